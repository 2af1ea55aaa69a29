package org.ringmaster.daemon.client;

import java.util.List;
import org.ringmaster.membership.group.GroupMember;

/**
 * A group member held by some client of the node, as {@code ringctl groups} lists it.
 *
 * @param group   the group
 * @param member  the member (this node / member id)
 * @param state   joining, joined, leaving or left
 * @param members the group's members in that member's last view
 */
public record LocalMember(String group, GroupMember member, String state, List<GroupMember> members) {

    public LocalMember {
        members = List.copyOf(members);
    }
}
