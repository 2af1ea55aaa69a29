package org.ringmaster.membership.group;

import org.agrona.DirectBuffer;
import org.ringmaster.totem.Guarantee;

/**
 * Receives one member's share of a group's ordered stream: views and messages, on the channel's
 * thread, in the order every member of the group sees them. Buffers are valid only during the call.
 * A listener that throws is logged and counted; the stream carries on.
 */
public interface GroupListener
{
    /**
     * A new view of the group. The first view a member gets is the one its own join created; the
     * last is the one that shows it leaving.
     */
    void onView(GroupHandle self, GroupView view);

    /** A message multicast to the group (including this member's own, in their place in the order). */
    void onMessage(GroupHandle self, GroupMember sender, Guarantee guarantee, DirectBuffer buffer, int offset,
        int length);
}
