package org.ringmaster.quorum;

import java.util.Arrays;
import java.util.Collection;

/**
 * The vote arithmetic as a pure function: given the agreed announcements of a partition's members
 * and the members of the last quorate partition they know of, decide quorum. Every member evaluates
 * the same inputs (delivered in total order), so every member reaches the same verdict.
 *
 * <p>Rules (votequorum(5), with our deviations marked in {@code package-info}):
 * <ul>
 * <li>total = sum of member votes, plus the device votes if any member casts them;</li>
 * <li>expected = max(highest expected announced, total) - expected votes are raised by the total; if
 *     some members were quorate when they announced, only their expected votes count (a joiner from an
 *     inquorate partition adopts them, as in Corosync);</li>
 * <li>quorum = floor(expected/2)+1 (the OpenVMS rule); under two_node with at most two voters, 1;</li>
 * <li>wait_for_all: if every member is waiting (none has been quorate since it last lost quorum),
 *     quorate only once total reaches expected and every member of the last quorate partition is here;</li>
 * <li>auto_tie_breaker: a partition holding exactly half of expected is quorate iff it contains the
 *     tie-breaker node chosen among the members of the last quorate partition.</li>
 * </ul>
 */
public final class QuorumRules
{
    private QuorumRules()
    {
    }

    /**
     * The outcome for one partition.
     *
     * @param totalVotes      votes present, device included when counted.
     * @param expectedVotes   expected votes after raising.
     * @param quorum          votes needed.
     * @param quorate         the decision.
     * @param waitingForAll   wait_for_all held quorum back.
     * @param tieBroken       quorate only through auto_tie_breaker.
     * @param twoNodeActive   two_node lowered quorum to 1.
     * @param deviceCounted   the device votes were counted.
     */
    public record Verdict(int totalVotes, int expectedVotes, int quorum, boolean quorate, boolean waitingForAll,
        boolean tieBroken, boolean twoNodeActive, boolean deviceCounted)
    {
    }

    /** floor(expected/2)+1. */
    public static int quorumOf(final int expectedVotes)
    {
        return expectedVotes / 2 + 1;
    }

    /**
     * Decides quorum for a partition.
     *
     * @param config        cluster settings.
     * @param members       the agreed announcements of every member of the partition.
     * @param lastQuorate   members of the last quorate partition known to this partition (sorted), used
     *                      to pick the auto_tie_breaker node; empty if none.
     */
    public static Verdict evaluate(final QuorumConfig config, final Collection<MemberVote> members,
        final int[] lastQuorate)
    {
        long total = 0;
        int highestExpected = 0;
        int quorateExpected = -1;
        boolean deviceCast = false;
        boolean allWaiting = true;
        for (final MemberVote m : members)
        {
            total += m.votes();
            highestExpected = Math.max(highestExpected, m.expectedVotes());
            if (m.quorate())
            {
                quorateExpected = Math.max(quorateExpected, m.expectedVotes());
            }
            deviceCast |= m.castsDeviceVote();
            allWaiting &= m.waitingForAll();
        }
        final boolean deviceCounted = deviceCast && config.deviceVotes() > 0;
        if (deviceCounted)
        {
            total += config.deviceVotes();
        }
        final int totalVotes = (int)Math.min(Integer.MAX_VALUE, total);
        // Members that were quorate are the higher authority: joiners from inquorate partitions adopt their
        // expected votes (as in Corosync), so a restarted node with a stale, higher value cannot knock
        // a last_man_standing / setexpected-lowered majority out of quorum.
        final int announced = quorateExpected >= 0 ? quorateExpected : highestExpected;
        final int expected = Math.max(announced, totalVotes);
        int quorum = quorumOf(expected);
        final int voters = members.size() + (deviceCounted ? 1 : 0);
        final boolean twoNodeActive = config.twoNode() && voters <= 2;
        if (twoNodeActive)
        {
            quorum = 1;
        }
        if (members.isEmpty())
        {
            return new Verdict(0, expected, quorum, false, false, false, twoNodeActive, false);
        }
        // A member that is not waiting was in a quorate partition since it last lost quorum, together
        // with a majority of it: the partition is no cold start, plain majority applies to everyone.
        // "All seen" also means every member of the last quorate partition we know of is here: after
        // last_man_standing lowered expected votes, the votes alone no longer prove that.
        if (config.waitForAll() && allWaiting && (totalVotes < expected || !containsAll(members, lastQuorate)))
        {
            return new Verdict(totalVotes, expected, quorum, false, true, false, twoNodeActive, deviceCounted);
        }
        boolean quorate = totalVotes >= quorum;
        boolean tieBroken = false;
        if (!quorate && config.autoTieBreaker() && 2L * totalVotes == expected)
        {
            final int tieNode = config.tieBreaker().choose(lastQuorate);
            if (tieNode != 0 && containsNode(members, tieNode))
            {
                quorate = true;
                tieBroken = true;
            }
        }
        return new Verdict(totalVotes, expected, quorum, quorate, false, tieBroken, twoNodeActive, deviceCounted);
    }

    private static boolean containsAll(final Collection<MemberVote> members, final int[] nodeIds)
    {
        for (final int id : nodeIds)
        {
            if (!containsNode(members, id))
            {
                return false;
            }
        }
        return true;
    }

    private static boolean containsNode(final Collection<MemberVote> members, final int nodeId)
    {
        for (final MemberVote m : members)
        {
            if (m.nodeId() == nodeId)
            {
                return true;
            }
        }
        return false;
    }

    static int[] sorted(final int[] ids)
    {
        final int[] copy = ids.clone();
        Arrays.sort(copy);
        return copy;
    }
}
