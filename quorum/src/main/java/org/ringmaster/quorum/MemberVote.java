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
 * @param quorate         it was quorate when it announced (its partition's survivors kept quorum): its
 *                        expected votes are the "higher authority" a non-quorate joiner adopts.
 */
public record MemberVote(int nodeId, int votes, int expectedVotes, boolean waitingForAll, boolean castsDeviceVote,
    boolean leaving, boolean quorate)
{
    /** A member that was not quorate when it announced. */
    public MemberVote(final int nodeId, final int votes, final int expectedVotes, final boolean waitingForAll,
        final boolean castsDeviceVote, final boolean leaving)
    {
        this(nodeId, votes, expectedVotes, waitingForAll, castsDeviceVote, leaving, false);
    }

    /** A plain member: votes, expected votes, no flags. */
    public static MemberVote of(final int nodeId, final int votes, final int expectedVotes)
    {
        return new MemberVote(nodeId, votes, expectedVotes, false, false, false, false);
    }

    MemberVote withVotes(final int v)
    {
        return new MemberVote(nodeId, v, expectedVotes, waitingForAll, castsDeviceVote, leaving, quorate);
    }

    MemberVote withExpected(final int e)
    {
        return new MemberVote(nodeId, votes, e, waitingForAll, castsDeviceVote, leaving, quorate);
    }

    MemberVote withWaiting(final boolean w)
    {
        return new MemberVote(nodeId, votes, expectedVotes, w, castsDeviceVote, leaving, quorate);
    }

    MemberVote withDevice(final boolean cast)
    {
        return new MemberVote(nodeId, votes, expectedVotes, waitingForAll, cast, leaving, quorate);
    }

    MemberVote withLeaving(final boolean l)
    {
        return new MemberVote(nodeId, votes, expectedVotes, waitingForAll, castsDeviceVote, l, quorate);
    }

    MemberVote withQuorate(final boolean q)
    {
        return new MemberVote(nodeId, votes, expectedVotes, waitingForAll, castsDeviceVote, leaving, q);
    }
}
