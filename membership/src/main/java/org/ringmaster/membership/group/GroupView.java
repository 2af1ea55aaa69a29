package org.ringmaster.membership.group;

import java.util.List;
import java.util.Optional;

import org.ringmaster.membership.ConfigurationChange;

/**
 * A view of a process group: its members after a change, and the change itself.
 *
 * @param group    the group name.
 * @param viewId   identifies the view: members that deliver views with the same id see the same
 *                 members (it chains the group's history since the last completed sync; after a
 *                 sync every member of the configuration holds the same id).
 * @param ringSeq  sequence of the channel configuration the view was delivered in.
 * @param ringRep  representative of that configuration.
 * @param regular  {@code true} when delivered in a regular configuration whose sync has completed,
 *                 so every node of the configuration agrees on this view; {@code false} for views
 *                 delivered while the configuration is changing (e.g. members lost in a
 *                 transitional configuration).
 * @param members  current members, ascending by node id then member id.
 * @param joined   members added by this view.
 * @param left     members removed by this view.
 * @param cause    the channel's reason when a configuration change caused the view, else {@code null}.
 */
public record GroupView(String group, long viewId, long ringSeq, int ringRep, boolean regular,
    List<GroupMember> members, List<MemberChange> joined, List<MemberChange> left, ConfigurationChange.Reason cause)
{
    public GroupView
    {
        members = List.copyOf(members);
        joined = List.copyOf(joined);
        left = List.copyOf(left);
    }

    /**
     * The group's leader: the lowest node id, then lowest member id, of the view, only when the
     * view is {@link #regular()} (agreed by every node of the configuration). Empty while the
     * configuration is changing or the group is empty. Deterministic: every member of a regular
     * view computes the same leader without exchanging a message. Within a partition each side
     * elects its own; combine with quorum when only the primary component may act.
     */
    public Optional<GroupMember> leader()
    {
        return regular && !members.isEmpty() ? Optional.of(members.get(0)) : Optional.empty();
    }

    public boolean contains(final GroupMember member)
    {
        return members.contains(member);
    }

    @Override
    public String toString()
    {
        return group + " view " + Long.toHexString(viewId) + " @" + ringSeq + "/" + ringRep +
            (regular ? "" : " (changing)") + " members=" + members + " joined=" + joined + " left=" + left +
            (cause == null ? "" : " cause=" + cause);
    }
}
