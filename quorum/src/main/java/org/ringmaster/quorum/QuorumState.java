package org.ringmaster.quorum;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * An immutable snapshot of quorum for one node.
 *
 * @param ringId        configuration the snapshot belongs to.
 * @param quorate       whether upper layers may run services.
 * @param totalVotes    votes present in the partition, device votes included when cast.
 * @param expectedVotes expected votes of the partition (highest announced, raised by the total).
 * @param quorum        votes needed: floor(expected/2)+1, or 1 under two_node.
 * @param flags         {@link QuorumFlag}s.
 * @param nodes         every node known (nodelist and members), ascending id.
 */
public record QuorumState(RingId ringId, boolean quorate, int totalVotes, int expectedVotes, int quorum,
    Set<QuorumFlag> flags, List<NodeStatus> nodes)
{
    public QuorumState
    {
        flags = flags.isEmpty() ? Set.of() : java.util.Collections.unmodifiableSet(EnumSet.copyOf(flags));
        nodes = List.copyOf(nodes);
    }

    public boolean has(final QuorumFlag flag)
    {
        return flags.contains(flag);
    }

    @Override
    public String toString()
    {
        return "ring " + ringId + (quorate ? " QUORATE" : " inquorate") + " total=" + totalVotes + " expected=" +
            expectedVotes + " quorum=" + quorum + " flags=" + flags;
    }
}
