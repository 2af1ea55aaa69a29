package org.ringmaster.quorum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ringmaster.quorum.sim.SimCluster;

/** The votequorum(5) behaviours, driven through the state machine on the simulated ring. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class VoteQuorumScenarioTest
{
    private static SimCluster cluster(final QuorumConfig c, final int n)
    {
        final int[] ids = new int[n];
        for (int i = 0; i < n; i++)
        {
            ids[i] = i + 1;
        }
        return new SimCluster(c, null).start(ids).settle();
    }

    @Test
    void weightedVotesThroughTheStateMachine()
    {
        final SimCluster sim = cluster(QuorumConfig.builder().nodesWithVotes(4, 2, 1, 2).build(), 4).heal().settle();
        assertThat(sim.quorateNodes()).containsExactly(1, 2, 3, 4);
        assertThat(sim.node(1).state().totalVotes()).isEqualTo(9);
        assertThat(sim.node(1).state().quorum()).isEqualTo(5);

        sim.split(new int[] {1, 2}, new int[] {3, 4}).settle();
        assertThat(sim.quorateNodes()).containsExactly(1, 2);
        sim.split(new int[] {1, 3}, new int[] {2, 4}).settle();
        assertThat(sim.quorateNodes()).containsExactly(1, 3);
        sim.split(new int[] {1}, new int[] {2, 3, 4}).settle();
        assertThat(sim.quorateNodes()).containsExactly(2, 3, 4);
        assertThat(sim.node(1).state().totalVotes()).isEqualTo(4);
        assertThat(sim.node(1).state().nodes()).extracting(NodeStatus::state)
            .containsExactly(NodeStatus.State.MEMBER, NodeStatus.State.DEAD, NodeStatus.State.DEAD, NodeStatus.State.DEAD);
    }

    @Test
    void everyPartitionOfTheWeightedFourNodeClusterHasAtMostOneQuorateSide()
    {
        // All 15 set partitions of {1,2,3,4} with votes 4,2,1,2 (quorum 5), reached from the healed cluster.
        final List<List<List<Integer>>> all = new ArrayList<>();
        setPartitions(List.of(1, 2, 3, 4), 0, new ArrayList<>(), all);
        assertThat(all).hasSize(15);
        final int[] votes = {0, 4, 2, 1, 2};
        for (final List<List<Integer>> p : all)
        {
            final SimCluster sim = cluster(QuorumConfig.builder().nodesWithVotes(4, 2, 1, 2).build(), 4).heal().settle();
            sim.partition(p).settle();
            final List<Integer> expected = new ArrayList<>();
            for (final List<Integer> g : p)
            {
                if (g.stream().mapToInt(id -> votes[id]).sum() >= 5)
                {
                    expected.addAll(g);
                }
            }
            assertThat(sim.quorateNodes()).as("partition %s", p).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(sim.quorateRings()).as("partition %s", p).hasSizeLessThanOrEqualTo(1);
        }
    }

    private static void setPartitions(final List<Integer> ids, final int i, final List<List<Integer>> current,
        final List<List<List<Integer>>> out)
    {
        if (i == ids.size())
        {
            final List<List<Integer>> copy = new ArrayList<>();
            current.forEach(g -> copy.add(new ArrayList<>(g)));
            out.add(copy);
            return;
        }
        for (int k = 0; k < current.size(); k++)
        {
            final List<Integer> g = current.get(k);
            g.add(ids.get(i));
            setPartitions(ids, i + 1, current, out);
            g.remove(g.size() - 1);
        }
        final List<Integer> fresh = new ArrayList<>(List.of(ids.get(i)));
        current.add(fresh);
        setPartitions(ids, i + 1, current, out);
        current.remove(current.size() - 1);
    }

    @Test
    void olderOrRepeatedConfigurationsAreIgnored()
    {
        final VoteQuorum q = new VoteQuorum(QuorumConfig.builder().nodesWithVotes(1).build(), 1, (b, o, l) -> true, null,
            s -> { }, null);
        q.onConfigurationChange(new ConfigurationChange(new RingId(8, 1), new int[] {1}, new int[] {1}, new int[0]), 0);
        q.onConfigurationChange(new ConfigurationChange(new RingId(4, 1), new int[] {1}, new int[0], new int[0]), 0);
        assertThat(q.state().ringId()).isEqualTo(new RingId(8, 1));
    }

    @Test
    void aNodeCutOffIsInquorateAtTheConfigurationChangeNotAfterTheExchange()
    {
        final SimCluster sim = cluster(QuorumConfig.builder().nodesWithVotes(1, 1, 1).build(), 3).heal().settle();
        assertThat(sim.quorateNodes()).containsExactly(1, 2, 3);
        sim.split(new int[] {1, 2}, new int[] {3}); // no message delivered yet
        assertThat(sim.node(3).quorum().isQuorate()).isFalse();
        assertThat(sim.node(3).state().has(QuorumFlag.SYNCING)).isTrue();
        assertThat(sim.node(1).quorum().isQuorate()).isTrue();
    }

    @Test
    void aJoinDoesNotMakeTheQuorateSideFlap()
    {
        final List<QuorumState> seen = new ArrayList<>();
        final SimCluster sim = cluster(QuorumConfig.builder().nodesWithVotes(1, 1, 1, 1, 1).build(), 5)
            .split(new int[] {1, 2, 3}, new int[] {4}, new int[] {5}).settle();
        assertThat(sim.quorateNodes()).containsExactly(1, 2, 3);
        final int before = sim.node(1).state().hashCode();
        sim.split(new int[] {1, 2, 3, 4}, new int[] {5});
        assertThat(sim.node(1).quorum().isQuorate()).isTrue(); // provisional, before the exchange
        assertThat(sim.node(4).quorum().isQuorate()).isFalse();
        sim.settle();
        assertThat(sim.quorateNodes()).containsExactly(1, 2, 3, 4);
        assertThat(sim.node(4).state().totalVotes()).isEqualTo(4);
        assertThat(before).isNotZero();
        seen.add(sim.node(1).state());
        assertThat(seen).allMatch(QuorumState::quorate);
    }

    @Test
    void twoNodeWithWaitForAllNeedsBothNodesOnceThenSurvivesAlone()
    {
        final SimCluster sim = cluster(QuorumConfig.builder().nodesWithVotes(1, 1).twoNode(true).build(), 2);
        assertThat(sim.quorateNodes()).isEmpty();
        assertThat(sim.node(1).state().has(QuorumFlag.WAITING_FOR_ALL)).isTrue();
        sim.heal().settle();
        assertThat(sim.quorateNodes()).containsExactly(1, 2);
        assertThat(sim.node(1).state().quorum()).isEqualTo(1);
        assertThat(sim.node(1).state().has(QuorumFlag.TWO_NODE)).isTrue();
        // A real split leaves both quorate: two_node relies on the fence race (documented).
        sim.split(new int[] {1}, new int[] {2}).settle();
        assertThat(sim.quorateNodes()).containsExactly(1, 2);
        // Node 2 lost the fence race and reboots: it waits for node 1 again.
        sim.crash(2).restart(2).settle();
        assertThat(sim.node(2).quorum().isQuorate()).isFalse();
        assertThat(sim.node(1).quorum().isQuorate()).isTrue();
        sim.heal().settle();
        assertThat(sim.quorateNodes()).containsExactly(1, 2);
    }

    @Test
    void twoNodeWithoutWaitForAllIsQuorateAloneFromTheStart()
    {
        final SimCluster sim = cluster(QuorumConfig.builder().nodesWithVotes(1, 1).twoNode(true).waitForAll(false).build(), 2);
        assertThat(sim.quorateNodes()).containsExactly(1, 2);
    }

    @Test
    void waitForAllAtColdStartAndCancel()
    {
        final SimCluster sim = cluster(QuorumConfig.builder().nodesWithVotes(1, 1, 1).waitForAll(true).build(), 3)
            .split(new int[] {1, 2}, new int[] {3}).settle();
        assertThat(sim.quorateNodes()).isEmpty();
        sim.heal().settle();
        assertThat(sim.quorateNodes()).containsExactly(1, 2, 3);
        sim.split(new int[] {1, 2}, new int[] {3}).settle();
        assertThat(sim.quorateNodes()).containsExactly(1, 2);
        assertThat(sim.node(3).state().has(QuorumFlag.WAITING_FOR_ALL)).isTrue();
        // Node 3 lost quorum so it waits again, but rejoining the quorate majority it is absorbed, and
        // the majority does not lose quorum because of it.
        sim.heal();
        assertThat(sim.node(1).quorum().isQuorate()).isTrue();
        sim.settle();
        assertThat(sim.quorateNodes()).containsExactly(1, 2, 3);
        // Both halves of a later split lose quorum and wait; together again they need everyone.
        sim.split(new int[] {1}, new int[] {2}, new int[] {3}).settle();
        sim.crash(1).split(new int[] {2, 3}).settle();
        assertThat(sim.quorateNodes()).isEmpty();
        assertThat(sim.node(2).state().has(QuorumFlag.WAITING_FOR_ALL)).isTrue();
        sim.node(2).quorum().cancelWaitForAll();
        sim.settle();
        assertThat(sim.quorateNodes()).containsExactly(2, 3);
    }

    @Test
    void lastManStandingShrinksFiveFourThreeTwoAndToOneWithTieBreaker()
    {
        final QuorumConfig c = QuorumConfig.builder().nodesWithVotes(1, 1, 1, 1, 1).waitForAll(true)
            .lastManStanding(true).lastManStandingWindowMs(10_000).autoTieBreaker(true).build();
        final SimCluster sim = cluster(c, 5).heal().settle();
        assertThat(sim.node(1).state().expectedVotes()).isEqualTo(5);
        int expected = 5;
        for (final int victim : new int[] {5, 4, 3})
        {
            sim.crash(victim).settle();
            expected--;
            assertThat(sim.node(1).quorum().isQuorate()).as("after losing node %d", victim).isTrue();
            sim.advanceMs(9_900);
            assertThat(sim.node(1).state().expectedVotes()).as("window not yet over").isEqualTo(expected + 1);
            sim.advanceMs(200);
            assertThat(sim.node(1).state().expectedVotes()).isEqualTo(expected);
            assertThat(sim.node(2).state().expectedVotes()).isEqualTo(expected);
            assertThat(sim.node(1).state().quorum()).isEqualTo(expected / 2 + 1);
        }
        // 2 nodes, expected 2: losing node 2 leaves an exact half that holds the lowest node.
        sim.crash(2).settle();
        assertThat(sim.node(1).quorum().isQuorate()).isTrue();
        assertThat(sim.node(1).state().has(QuorumFlag.TIE_BROKEN)).isTrue();
        sim.advanceMs(10_100);
        assertThat(sim.node(1).state().expectedVotes()).isEqualTo(1);
        assertThat(sim.node(1).state().has(QuorumFlag.TIE_BROKEN)).isFalse();
    }

    @Test
    void lastManStandingWindowRestartsOnEveryChange()
    {
        final QuorumConfig c = QuorumConfig.builder().expectedVotes(8).defaultVotes(1).waitForAll(true)
            .lastManStanding(true).build();
        final SimCluster sim = cluster(c, 8).heal().settle();
        sim.crash(8).crash(7).crash(6).settle();
        sim.advanceMs(6_000);
        sim.crash(5).settle(); // 4 of 8: quorum lost, no recalculation
        assertThat(sim.quorateNodes()).isEmpty();
        sim.advanceMs(20_000);
        assertThat(sim.node(1).state().expectedVotes()).isEqualTo(8);
    }

    @Test
    void lastManStandingWithoutTieBreakerStopsAtTwo()
    {
        final QuorumConfig c = QuorumConfig.builder().expectedVotes(8).defaultVotes(1).waitForAll(true)
            .lastManStanding(true).build();
        final SimCluster sim = cluster(c, 8).heal().settle();
        sim.crash(8).crash(7).crash(6).settle().advanceMs(10_100);
        assertThat(sim.node(1).state().expectedVotes()).isEqualTo(5);
        assertThat(sim.node(1).state().quorum()).isEqualTo(3);
        sim.crash(5).crash(4).settle().advanceMs(10_100);
        assertThat(sim.node(1).state().expectedVotes()).isEqualTo(3);
        sim.crash(3).settle().advanceMs(10_100);
        assertThat(sim.node(1).state().expectedVotes()).isEqualTo(2);
        assertThat(sim.node(1).state().quorum()).isEqualTo(2);
        sim.crash(2).settle().advanceMs(10_100);
        assertThat(sim.node(1).quorum().isQuorate()).isFalse();
    }

    @Test
    void autoTieBreakerLowestHighestAndList()
    {
        for (final String tb : new String[] {"lowest", "highest", "3 1"})
        {
            final QuorumConfig c = QuorumConfig.builder().nodesWithVotes(1, 1, 1, 1).autoTieBreaker(true)
                .tieBreaker(TieBreaker.parse(tb)).build();
            final SimCluster sim = cluster(c, 4).heal().settle();
            sim.split(new int[] {1, 2}, new int[] {3, 4}).settle();
            final List<Integer> expected = tb.equals("lowest") ? List.of(1, 2) : List.of(3, 4);
            assertThat(sim.quorateNodes()).as(tb).containsExactlyElementsOf(expected);
            assertThat(sim.node(expected.get(0)).state().has(QuorumFlag.TIE_BROKEN)).isTrue();
        }
    }

    @Test
    void expectedVotesSetAtRuntime()
    {
        final SimCluster sim = cluster(QuorumConfig.builder().nodesWithVotes(1, 1, 1, 1, 1).build(), 5).heal().settle();
        sim.crash(5).crash(4).crash(3).settle();
        assertThat(sim.quorateNodes()).isEmpty();
        assertThatThrownBy(() -> sim.node(1).quorum().setExpectedVotes(9)).hasMessageContaining("would need 5 votes");
        assertThatThrownBy(() -> sim.node(1).quorum().setExpectedVotes(0)).hasMessageContaining(">= 1");
        sim.node(1).quorum().setExpectedVotes(3);
        sim.settle();
        assertThat(sim.quorateNodes()).containsExactly(1, 2);
        assertThat(sim.node(2).state().expectedVotes()).isEqualTo(3);
        assertThat(sim.node(2).state().quorum()).isEqualTo(2);
        // Expected votes rise again as nodes come back.
        sim.restart(3).restart(4).restart(5).heal().settle();
        assertThat(sim.node(1).state().expectedVotes()).isEqualTo(5);
    }

    @Test
    void nodeVotesChangedAtRuntime()
    {
        final SimCluster sim = cluster(QuorumConfig.builder().nodesWithVotes(1, 1, 1).build(), 3).heal().settle();
        sim.node(2).quorum().setVotes(1, 3);
        sim.settle();
        assertThat(sim.node(3).state().totalVotes()).isEqualTo(5);
        assertThat(sim.node(3).state().expectedVotes()).isEqualTo(5);
        sim.split(new int[] {1}, new int[] {2, 3}).settle();
        assertThat(sim.quorateNodes()).containsExactly(1);
    }

    @Test
    void raisingVotesRaisesExpectedVotesSoACutOffMinorityStaysInquorate()
    {
        final SimCluster sim = cluster(QuorumConfig.builder().nodesWithVotes(1, 1, 1, 1, 1).build(), 5)
            .split(new int[] {1, 2, 3}, new int[] {4, 5}).settle();
        sim.node(1).quorum().setVotes(1, 3);
        sim.settle();
        assertThat(sim.node(2).state().totalVotes()).isEqualTo(5);
        assertThat(sim.node(2).state().expectedVotes()).isEqualTo(7);
        // Node 3 leaves the majority carrying expected 7: with 4 and 5 it has 3 votes, not 4 of 7.
        sim.split(new int[] {1, 2}, new int[] {3, 4, 5}).settle();
        assertThat(sim.quorateNodes()).containsExactly(1, 2);
        assertThat(sim.node(4).state().expectedVotes()).isEqualTo(7);
    }

    @Test
    void expectedVotesTrackingSurvivesRestarts(@org.junit.jupiter.api.io.TempDir final java.nio.file.Path dir)
        throws java.io.IOException
    {
        final QuorumConfig c = QuorumConfig.builder().nodesWithVotes(1, 1, 1).expectedVotesTracking(true).build();
        final SimCluster sim = cluster(c, 3).heal().settle();
        sim.node(1).quorum().setVotes(1, 3); // expected 5 now, remembered by every member
        sim.settle();
        assertThat(sim.node(3).state().expectedVotes()).isEqualTo(5);
        sim.crash(1).crash(2).crash(3).restart(2).restart(3).split(new int[] {2, 3}).settle();
        // Without tracking, 2 of the configured 3 would be quorate again.
        assertThat(sim.node(2).state().expectedVotes()).isEqualTo(5);
        assertThat(sim.quorateNodes()).isEmpty();

        final ExpectedVotesStore file = ExpectedVotesStore.file(dir.resolve("ev_tracking"));
        assertThat(file.load()).isZero();
        file.save(9);
        assertThat(file.load()).isEqualTo(9);
        final VoteQuorum q = new VoteQuorum(c, 1, (b, o, l) -> true, null, s -> { }, null, file);
        assertThat(q.state().nodes().get(0).expectedVotes()).isEqualTo(9);
        java.nio.file.Files.writeString(dir.resolve("ev_tracking"), "garbage\n");
        assertThatThrownBy(() -> new VoteQuorum(c, 1, (b, o, l) -> true, null, s -> { }, null, file))
            .isInstanceOf(QuorumConfigException.class).hasMessageStartingWith("quorum.expected_votes_tracking:")
            .hasMessageContaining("ev_tracking").hasMessageContaining("'garbage'");
        assertThatThrownBy(() -> new VoteQuorum(c, 1, (b, o, l) -> true, null, s -> { }, null))
            .hasMessageStartingWith("quorum.expected_votes_tracking:");
    }

    @Test
    void aRestartedNodeAdoptsTheQuorateSidesLoweredExpectedVotes()
    {
        final QuorumConfig c = QuorumConfig.builder().expectedVotes(8).defaultVotes(1).waitForAll(true)
            .lastManStanding(true).build();
        final SimCluster sim = cluster(c, 8).heal().settle();
        sim.crash(8).crash(7).crash(6).settle().advanceMs(10_100);
        sim.crash(5).settle().advanceMs(10_100);
        sim.crash(4).settle().advanceMs(10_100);
        assertThat(sim.node(1).state().expectedVotes()).isEqualTo(3);
        assertThat(sim.quorateNodes()).containsExactly(1, 2, 3);
        // Node 5 restarts with expected 8 from its config; counting that, 4 votes would be inquorate.
        sim.restart(5).heal().settle();
        assertThat(sim.quorateNodes()).containsExactly(1, 2, 3, 5);
        assertThat(sim.node(5).state().expectedVotes()).isEqualTo(4);
    }

    @Test
    void allowDownscaleOnCleanLeaveDownToConfiguredExpectedVotes()
    {
        final QuorumConfig c = QuorumConfig.builder().expectedVotes(3).defaultVotes(1).allowDownscale(true).build();
        // votequorum(5): expected_votes 3 configured, 13 nodes running, orderly shutdown back to 3.
        final SimCluster sim = cluster(c, 13).heal().settle();
        assertThat(sim.node(1).state().expectedVotes()).isEqualTo(13);
        for (int leaver = 13; leaver >= 3; leaver--)
        {
            sim.node(leaver).quorum().leave();
            sim.settle();
            assertThat(sim.node(1).state().nodes().get(leaver - 1).state()).isEqualTo(NodeStatus.State.LEAVING);
            sim.crash(leaver).settle();
        }
        assertThat(sim.node(1).state().expectedVotes()).isEqualTo(3);
        assertThat(sim.quorateNodes()).containsExactly(1, 2);
        // An unclean loss does not lower expected votes.
        sim.crash(2).settle();
        assertThat(sim.node(1).state().expectedVotes()).isEqualTo(3);
        assertThat(sim.quorateNodes()).isEmpty();
    }

    @Test
    void malformedAndStaleMessagesAreDroppedAndCounted()
    {
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        final List<QuorumState> states = new ArrayList<>();
        final List<byte[]> sent = new ArrayList<>();
        final VoteQuorum q = new VoteQuorum(QuorumConfig.builder().nodesWithVotes(1).build(), 1, recording(sent), null,
            states::add, registry);
        q.onConfigurationChange(new ConfigurationChange(new RingId(4, 1), new int[] {1}, new int[] {1}, new int[0]), 0);
        assertThat(sent).hasSize(1);
        q.onMessage(new UnsafeBuffer(new byte[] {1, 2, 3}), 0, 3, 0);
        final byte[] garbage = new byte[64];
        new java.util.Random(7).nextBytes(garbage);
        q.onMessage(new UnsafeBuffer(garbage), 0, garbage.length, 0);
        final byte[] truncated = java.util.Arrays.copyOf(sent.get(0), sent.get(0).length - 4);
        q.onMessage(new UnsafeBuffer(truncated), 0, truncated.length, 0);
        assertThat(registry.get("ringmaster.quorum.messages.dropped").tag("reason", "malformed").counter().count())
            .isEqualTo(3.0);
        assertThat(q.isSynced()).isFalse();
        q.onMessage(new UnsafeBuffer(sent.get(0)), 0, sent.get(0).length, 0);
        assertThat(q.isSynced()).isTrue();
        assertThat(q.isQuorate()).isTrue();
        // A message of an older ring is stale.
        q.onConfigurationChange(new ConfigurationChange(new RingId(8, 1), new int[] {1}, new int[0], new int[0]), 0);
        q.onMessage(new UnsafeBuffer(sent.get(0)), 0, sent.get(0).length, 0);
        assertThat(registry.get("ringmaster.quorum.messages.dropped").tag("reason", "stale").counter().count())
            .isEqualTo(1.0);
        assertThat(registry.get("ringmaster.quorum.quorate").gauge().value()).isEqualTo(1.0);
        assertThat(states).isNotEmpty();
    }

    @Test
    void deviceVotesArePublishedAndMetered()
    {
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        final StubDevice device = new StubDevice(false, 7);
        final List<byte[]> sent = new ArrayList<>();
        final List<QuorumState> states = new ArrayList<>();
        final VoteQuorum q = new VoteQuorum(QuorumConfig.builder().nodesWithVotes(1, 1).deviceVotes(1).build(), 1,
            recording(sent), device, states::add, registry);
        q.onConfigurationChange(new ConfigurationChange(new RingId(4, 1), new int[] {1}, new int[] {1}, new int[0]), 0);
        q.onMessage(new UnsafeBuffer(sent.get(0)), 0, sent.get(0).length, 0);
        assertThat(q.isQuorate()).isFalse();
        device.casting = true;
        q.doWork(1);
        assertThat(sent).hasSize(2); // DEVICE_VOTE
        q.onMessage(new UnsafeBuffer(sent.get(1)), 0, sent.get(1).length, 1);
        assertThat(q.isQuorate()).isTrue();
        assertThat(q.state().has(QuorumFlag.QUORUM_DEVICE_CAST_VOTE)).isTrue();
        assertThat(states.get(states.size() - 1).totalVotes()).isEqualTo(2);
        assertThat(registry.get("ringmaster.quorum.device.casting").gauge().value()).isEqualTo(1.0);
        assertThat(registry.get("ringmaster.quorum.device.score").gauge().value()).isEqualTo(7.0);
        assertThat(registry.get("ringmaster.quorum.transitions").tag("to", "quorate").counter().count()).isEqualTo(1.0);
    }

    @Test
    void aWithdrawnDeviceClaimStopsCountingBeforeTheWithdrawalIsDelivered()
    {
        final StubDevice device = new StubDevice(true, 0);
        final List<byte[]> sent = new ArrayList<>();
        final List<QuorumState> states = new ArrayList<>();
        final VoteQuorum q = new VoteQuorum(QuorumConfig.builder().nodesWithVotes(1, 1).deviceVotes(1).build(), 1,
            recording(sent), device, states::add, null);
        // Split from node 2: alone, quorate only through the device (1 + 1 of expected 3).
        q.onConfigurationChange(new ConfigurationChange(new RingId(4, 1), new int[] {1}, new int[] {1}, new int[0]), 0);
        assertThat(q.isQuorate()).as("own fresh claim counts provisionally").isTrue();
        q.onMessage(new UnsafeBuffer(sent.get(0)), 0, sent.get(0).length, 0);
        assertThat(q.isQuorate()).isTrue();
        assertThat(q.state().totalVotes()).isEqualTo(2);

        // The device gives up (e.g. the qdisk master lost its disk): not quorate from this duty cycle on,
        // although the DEVICE_VOTE withdrawal has not been delivered yet.
        device.casting = false;
        q.doWork(1);
        assertThat(sent).hasSize(2);
        assertThat(q.isQuorate()).isFalse();
        assertThat(q.state().totalVotes()).isEqualTo(1);
        assertThat(q.state().has(QuorumFlag.QUORUM_DEVICE_CAST_VOTE)).isFalse();
        assertThat(states.get(states.size() - 1).quorate()).as("listeners told at once").isFalse();
        q.onMessage(new UnsafeBuffer(sent.get(1)), 0, sent.get(1).length, 1);
        assertThat(q.isQuorate()).isFalse();

        // A claim that comes back counts only once it is delivered (agreed), not before.
        device.casting = true;
        q.doWork(2);
        assertThat(q.isQuorate()).isFalse();
        q.onMessage(new UnsafeBuffer(sent.get(2)), 0, sent.get(2).length, 2);
        assertThat(q.isQuorate()).isTrue();

        // Withdrawn during the exchange of a new ring: the provisional verdict does not keep it either.
        q.onConfigurationChange(new ConfigurationChange(new RingId(8, 1), new int[] {1}, new int[0], new int[0]), 3);
        assertThat(q.isQuorate()).isTrue();
        device.casting = false;
        q.doWork(4);
        assertThat(q.isSynced()).isFalse();
        assertThat(q.isQuorate()).isFalse();
    }

    @Test
    void backPressureIsRetriedOnTheNextDutyCycle()
    {
        final boolean[] accept = {false};
        final List<byte[]> sent = new ArrayList<>();
        final VoteQuorum q = new VoteQuorum(QuorumConfig.builder().nodesWithVotes(1).build(), 1,
            recording(sent, () -> accept[0]), null, s -> { }, null);
        q.onConfigurationChange(new ConfigurationChange(new RingId(4, 1), new int[] {1}, new int[] {1}, new int[0]), 0);
        assertThat(sent).isEmpty();
        accept[0] = true;
        assertThat(q.doWork(1)).isEqualTo(1);
        assertThat(sent).hasSize(1);
    }

    @Test
    void rejectsANodeOutsideTheNodelistAndForeignConfigurations()
    {
        final QuorumConfig c = QuorumConfig.builder().nodesWithVotes(1, 1).build();
        assertThatThrownBy(() -> new VoteQuorum(c, 3, (b, o, l) -> true, null, s -> { }, null))
            .hasMessageStartingWith("nodelist:");
        final VoteQuorum q = new VoteQuorum(c, 1, (b, o, l) -> true, null, s -> { }, null);
        assertThatThrownBy(() -> q.onConfigurationChange(
            new ConfigurationChange(new RingId(4, 2), new int[] {2}, new int[0], new int[0]), 0))
            .hasMessageContaining("not a member");
    }

    /** Records each multicast message's bytes in {@code sent}. */
    private static OrderedChannel recording(final List<byte[]> sent)
    {
        return recording(sent, () -> true);
    }

    /** Records each multicast message's bytes in {@code sent} while {@code accepting}; refuses it otherwise. */
    private static OrderedChannel recording(final List<byte[]> sent, final BooleanSupplier accepting)
    {
        return (b, o, l) ->
        {
            if (!accepting.getAsBoolean())
            {
                return false;
            }
            final byte[] m = new byte[l];
            b.getBytes(o, m);
            sent.add(m);
            return true;
        };
    }

    /** A device whose vote the test switches; it scores {@code scoreWhileCasting} while casting, else 0. */
    private static final class StubDevice implements QuorumDevice
    {
        boolean casting;
        private final int scoreWhileCasting;

        StubDevice(final boolean casting, final int scoreWhileCasting)
        {
            this.casting = casting;
            this.scoreWhileCasting = scoreWhileCasting;
        }

        @Override
        public String name()
        {
            return "stub";
        }

        @Override
        public int doWork(final long nowNs)
        {
            return 0;
        }

        @Override
        public boolean castsVote()
        {
            return casting;
        }

        @Override
        public int score()
        {
            return casting ? scoreWhileCasting : 0;
        }
    }
}
