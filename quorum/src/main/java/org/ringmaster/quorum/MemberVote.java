package org.ringmaster.quorum;

/**
 * What one member announced in the vote exchange of the current ring.
 *
 * @param nodeId          node id.
 * @param votes           its votes.
 * @param expectedVotes   the expected votes it currently holds.
 * @param waitingForAll   it is under wait_for_all (fresh start, or quorum was lost since).
 * @param castsDeviceVote its quorum device claims the device votes.
 * @param leaving         it announced a clean leave (allow_downscale).
 */
public record MemberVote(int nodeId, int votes, int expectedVotes, boolean waitingForAll, boolean castsDeviceVote,
    boolean leaving)
{
    /** A plain member: votes, expected votes, no flags. */
    public static MemberVote of(final int nodeId, final int votes, final int expectedVotes)
    {
        return new MemberVote(nodeId, votes, expectedVotes, false, false, false);
    }

    MemberVote withVotes(final int v)
    {
        return new MemberVote(nodeId, v, expectedVotes, waitingForAll, castsDeviceVote, leaving);
    }

    MemberVote withExpected(final int e)
    {
        return new MemberVote(nodeId, votes, e, waitingForAll, castsDeviceVote, leaving);
    }

    MemberVote withWaiting(final boolean w)
    {
        return new MemberVote(nodeId, votes, expectedVotes, w, castsDeviceVote, leaving);
    }

    MemberVote withDevice(final boolean cast)
    {
        return new MemberVote(nodeId, votes, expectedVotes, waitingForAll, cast, leaving);
    }

    MemberVote withLeaving(final boolean l)
    {
        return new MemberVote(nodeId, votes, expectedVotes, waitingForAll, castsDeviceVote, l);
    }
}
