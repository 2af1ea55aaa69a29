package org.ringmaster.membership.group;

/**
 * One member of a process group: a handle joined on a node. Ordered by node id, then member id,
 * which is the order {@link GroupView#members()} lists and the leader rule uses.
 *
 * @param nodeId   the node the member lives on.
 * @param memberId the member's id, unique on its node among that group's live members (like a pid).
 */
public record GroupMember(int nodeId, int memberId) implements Comparable<GroupMember>
{
    @Override
    public int compareTo(final GroupMember other)
    {
        final int byNode = Integer.compare(nodeId, other.nodeId);
        return byNode != 0 ? byNode : Integer.compare(memberId, other.memberId);
    }

    @Override
    public String toString()
    {
        return nodeId + "/" + memberId;
    }
}
