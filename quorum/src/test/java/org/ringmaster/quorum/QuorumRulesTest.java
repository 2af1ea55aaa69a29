package org.ringmaster.quorum;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Table tests of the pure vote arithmetic. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class QuorumRulesTest
{
    private static final QuorumConfig WEIGHTED = QuorumConfig.builder().nodesWithVotes(4, 2, 1, 2).build();

    private static List<MemberVote> members(final QuorumConfig c, final int expected, final int... ids)
    {
        final List<MemberVote> list = new ArrayList<>();
        for (final int id : ids)
        {
            list.add(MemberVote.of(id, c.votesOf(id), expected));
        }
        return list;
    }

    static Stream<Arguments> weightedPartitions()
    {
        // a=1 (4 votes), b=2 (2), c=3 (1), d=4 (2): total 9, quorum 5.
        return Stream.of(
            Arguments.of(new int[] {1, 2}, 6, true),
            Arguments.of(new int[] {3, 4}, 3, false),
            Arguments.of(new int[] {1, 3}, 5, true),
            Arguments.of(new int[] {2, 3, 4}, 5, true),
            Arguments.of(new int[] {1}, 4, false),
            Arguments.of(new int[] {1, 2, 3, 4}, 9, true),
            Arguments.of(new int[] {2, 4}, 4, false),
            Arguments.of(new int[] {1, 4}, 6, true));
    }

    @ParameterizedTest(name = "votes 4,2,1,2: {0} has {1} votes, quorate={2}")
    @MethodSource("weightedPartitions")
    void weightedVotesFromTheIssue(final int[] ids, final int total, final boolean quorate)
    {
        assertThat(WEIGHTED.expectedVotes()).isEqualTo(9);
        final QuorumRules.Verdict v = QuorumRules.evaluate(WEIGHTED, members(WEIGHTED, 9, ids), new int[] {1, 2, 3, 4});
        assertThat(v.totalVotes()).isEqualTo(total);
        assertThat(v.quorum()).isEqualTo(5);
        assertThat(v.quorate()).isEqualTo(quorate);
    }

    @Test
    void quorumIsFloorHalfPlusOne()
    {
        assertThat(QuorumRules.quorumOf(1)).isEqualTo(1);
        assertThat(QuorumRules.quorumOf(2)).isEqualTo(2);
        assertThat(QuorumRules.quorumOf(3)).isEqualTo(2);
        assertThat(QuorumRules.quorumOf(8)).isEqualTo(5);
        assertThat(QuorumRules.quorumOf(9)).isEqualTo(5);
    }

    @Test
    void expectedVotesAreRaisedByTheTotalSeen()
    {
        final QuorumConfig c = QuorumConfig.builder().expectedVotes(3).defaultVotes(1).build();
        final QuorumRules.Verdict v = QuorumRules.evaluate(c,
            List.of(MemberVote.of(1, 1, 3), MemberVote.of(2, 1, 3), MemberVote.of(3, 1, 3), MemberVote.of(4, 1, 3),
                MemberVote.of(5, 1, 3)), new int[0]);
        assertThat(v.expectedVotes()).isEqualTo(5);
        assertThat(v.quorum()).isEqualTo(3);
        assertThat(v.quorate()).isTrue();
    }

    @Test
    void highestAnnouncedExpectedVotesWins()
    {
        final QuorumConfig c = QuorumConfig.builder().nodesWithVotes(1, 1, 1, 1, 1).build();
        final QuorumRules.Verdict v = QuorumRules.evaluate(c,
            List.of(MemberVote.of(1, 1, 3), MemberVote.of(2, 1, 5)), new int[0]);
        assertThat(v.expectedVotes()).isEqualTo(5);
        assertThat(v.quorate()).isFalse();
    }

    @Test
    void aJoinerAdoptsTheExpectedVotesOfQuorateMembers()
    {
        final QuorumConfig c = QuorumConfig.builder().expectedVotes(8).defaultVotes(1).build();
        final List<MemberVote> m = List.of(new MemberVote(1, 1, 3, false, false, false, true),
            new MemberVote(2, 1, 3, false, false, false, true), new MemberVote(5, 1, 8, true, false, false, false));
        final QuorumRules.Verdict v = QuorumRules.evaluate(c, m, new int[] {1, 2, 3});
        assertThat(v.expectedVotes()).isEqualTo(3);
        assertThat(v.quorate()).isTrue();
        // Nobody quorate: the highest announcement counts.
        final List<MemberVote> none = List.of(MemberVote.of(1, 1, 3), MemberVote.of(5, 1, 8));
        assertThat(QuorumRules.evaluate(c, none, new int[0]).expectedVotes()).isEqualTo(8);
    }

    @Test
    void waitForAllAlsoNeedsEveryMemberOfTheLastQuoratePartition()
    {
        final QuorumConfig c = QuorumConfig.builder().nodesWithVotes(1, 1, 1).waitForAll(true).build();
        final List<MemberVote> m = List.of(new MemberVote(2, 1, 2, true, false, false), new MemberVote(3, 1, 2, true, false, false));
        assertThat(QuorumRules.evaluate(c, m, new int[] {2, 3}).quorate()).isTrue();
        final QuorumRules.Verdict v = QuorumRules.evaluate(c, m, new int[] {1, 2});
        assertThat(v.quorate()).isFalse();
        assertThat(v.waitingForAll()).isTrue();
    }

    @Test
    void twoNodeWithWaitForAllNeedsBothAtFirstStart()
    {
        final QuorumConfig c = QuorumConfig.builder().nodesWithVotes(1, 1).twoNode(true).build();
        assertThat(c.waitForAll()).isTrue();
        final QuorumRules.Verdict alone = QuorumRules.evaluate(c,
            List.of(new MemberVote(1, 1, 2, true, false, false)), new int[0]);
        assertThat(alone.quorate()).isFalse();
        assertThat(alone.waitingForAll()).isTrue();
        assertThat(alone.quorum()).isEqualTo(1);
        final QuorumRules.Verdict both = QuorumRules.evaluate(c,
            List.of(new MemberVote(1, 1, 2, true, false, false), new MemberVote(2, 1, 2, true, false, false)), new int[0]);
        assertThat(both.quorate()).isTrue();
        assertThat(both.twoNodeActive()).isTrue();
        // After both were seen (waiting cleared) one node alone keeps quorum: the fence race decides.
        final QuorumRules.Verdict after = QuorumRules.evaluate(c, List.of(MemberVote.of(1, 1, 2)), new int[] {1, 2});
        assertThat(after.quorate()).isTrue();
    }

    @Test
    void twoNodeWithoutWaitForAllIsQuorateAloneAtFirstStart()
    {
        final QuorumConfig c = QuorumConfig.builder().nodesWithVotes(1, 1).twoNode(true).waitForAll(false).build();
        final QuorumRules.Verdict alone = QuorumRules.evaluate(c,
            List.of(new MemberVote(1, 1, 2, true, false, false)), new int[0]);
        assertThat(alone.quorate()).isTrue();
        assertThat(alone.quorum()).isEqualTo(1);
    }

    @Test
    void waitForAllHoldsUntilEveryExpectedVoteWasSeen()
    {
        final QuorumConfig c = QuorumConfig.builder().expectedVotes(8).waitForAll(true).build();
        final List<MemberVote> five = new ArrayList<>();
        for (int i = 1; i <= 5; i++)
        {
            five.add(new MemberVote(i, 1, 8, true, false, false));
        }
        assertThat(QuorumRules.evaluate(c, five, new int[0]).quorate()).isFalse();
        final List<MemberVote> eight = new ArrayList<>(five);
        for (int i = 6; i <= 8; i++)
        {
            eight.add(new MemberVote(i, 1, 8, true, false, false));
        }
        assertThat(QuorumRules.evaluate(c, eight, new int[0]).quorate()).isTrue();
        // One member that was quorate since (not waiting) vouches: plain majority for everyone.
        final List<MemberVote> mixed = new ArrayList<>(five);
        mixed.set(0, MemberVote.of(1, 1, 8));
        assertThat(QuorumRules.evaluate(c, mixed, new int[0]).quorate()).isTrue();
        // Once nobody waits, a plain majority is enough again.
        final List<MemberVote> fiveNotWaiting = new ArrayList<>();
        for (int i = 1; i <= 5; i++)
        {
            fiveNotWaiting.add(MemberVote.of(i, 1, 8));
        }
        assertThat(QuorumRules.evaluate(c, fiveNotWaiting, new int[0]).quorate()).isTrue();
    }

    static Stream<Arguments> tieBreaks()
    {
        final int[] lq = {1, 2, 3, 4, 5, 6, 7, 8};
        return Stream.of(
            Arguments.of("lowest", lq, new int[] {1, 2, 3, 4}, true),
            Arguments.of("lowest", lq, new int[] {5, 6, 7, 8}, false),
            Arguments.of("lowest", lq, new int[] {2, 4, 6, 8}, false),
            Arguments.of("highest", lq, new int[] {5, 6, 7, 8}, true),
            Arguments.of("highest", lq, new int[] {1, 2, 3, 4}, false),
            Arguments.of("1 3 5", lq, new int[] {1, 2, 4, 6}, true),
            Arguments.of("1 3 5", lq, new int[] {3, 5, 7, 8}, false),
            // node 1 was not in the cluster before the split: node 3 decides.
            Arguments.of("1 3 5", new int[] {2, 3, 4, 5, 6, 7, 8}, new int[] {3, 5, 7, 8}, true),
            Arguments.of("1 3 5", new int[] {2, 3, 4, 5, 6, 7, 8}, new int[] {2, 4, 6}, false),
            // lowest of the last quorate partition, not of the nodelist.
            Arguments.of("lowest", new int[] {2, 3, 4, 5, 6, 7, 8}, new int[] {2, 4, 6, 8}, true));
    }

    @ParameterizedTest(name = "atb {0}, last quorate {1}: partition {2} quorate={3}")
    @MethodSource("tieBreaks")
    void autoTieBreakerOnEvenSplits(final String node, final int[] lastQuorate, final int[] partition,
        final boolean quorate)
    {
        final QuorumConfig c = QuorumConfig.builder().nodesWithVotes(1, 1, 1, 1, 1, 1, 1, 1).autoTieBreaker(true)
            .tieBreaker(TieBreaker.parse(node)).build();
        final QuorumRules.Verdict v = QuorumRules.evaluate(c, members(c, 8, partition), lastQuorate);
        assertThat(v.quorate()).isEqualTo(quorate);
        assertThat(v.tieBroken()).isEqualTo(quorate);
    }

    @Test
    void autoTieBreakerNeedsAnExactHalf()
    {
        final QuorumConfig c = QuorumConfig.builder().nodesWithVotes(1, 1, 1, 1, 1).autoTieBreaker(true)
            .waitForAll(true).build();
        // 2 of 5 is not half: the other side may hold 3 and be quorate by majority.
        assertThat(QuorumRules.evaluate(c, members(c, 5, 1, 2), new int[] {1, 2, 3, 4, 5}).quorate()).isFalse();
        assertThat(QuorumRules.evaluate(c, members(c, 5, 3, 4, 5), new int[] {1, 2, 3, 4, 5}).quorate()).isTrue();
    }

    @Test
    void autoTieBreakerWithWeightedVotes()
    {
        // votes 3,1,1,1 total 6: {1} holds exactly half and the lowest node.
        final QuorumConfig c = QuorumConfig.builder().nodesWithVotes(3, 1, 1, 1).autoTieBreaker(true).build();
        assertThat(QuorumRules.evaluate(c, members(c, 6, 1), new int[] {1, 2, 3, 4}).quorate()).isTrue();
        assertThat(QuorumRules.evaluate(c, members(c, 6, 2, 3, 4), new int[] {1, 2, 3, 4}).quorate()).isFalse();
    }

    @Test
    void deviceVotesCountOnceForThePartition()
    {
        final QuorumConfig c = QuorumConfig.builder().nodesWithVotes(1, 1).deviceVotes(1).build();
        assertThat(c.expectedVotes()).isEqualTo(3);
        final QuorumRules.Verdict withDevice = QuorumRules.evaluate(c,
            List.of(new MemberVote(1, 1, 3, false, true, false)), new int[0]);
        assertThat(withDevice.totalVotes()).isEqualTo(2);
        assertThat(withDevice.quorate()).isTrue();
        assertThat(withDevice.deviceCounted()).isTrue();
        final QuorumRules.Verdict both = QuorumRules.evaluate(c,
            List.of(new MemberVote(1, 1, 3, false, true, false), new MemberVote(2, 1, 3, false, true, false)),
            new int[0]);
        assertThat(both.totalVotes()).isEqualTo(3);
        final QuorumRules.Verdict without = QuorumRules.evaluate(c, List.of(MemberVote.of(2, 1, 3)), new int[0]);
        assertThat(without.totalVotes()).isEqualTo(1);
        assertThat(without.quorate()).isFalse();
    }

    @Test
    void emptyPartitionIsNeverQuorate()
    {
        final QuorumConfig c = QuorumConfig.builder().expectedVotes(1).build();
        assertThat(QuorumRules.evaluate(c, List.of(), new int[0]).quorate()).isFalse();
    }

    @Test
    void zeroVoteNodesDoNotMakeQuorum()
    {
        final QuorumConfig c = QuorumConfig.builder().node(1, 0).node(2, 1).build();
        assertThat(QuorumRules.evaluate(c, members(c, 1, 1), new int[0]).quorate()).isFalse();
        assertThat(QuorumRules.evaluate(c, members(c, 1, 2), new int[0]).quorate()).isTrue();
    }
}
