package org.ringmaster.membership.group;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.agrona.DirectBuffer;
import org.ringmaster.totem.Guarantee;

/** A listener that records what one member saw: its views and messages, in order. */
class MemberLog implements GroupListener
{
    /** One delivered message. */
    record Message(GroupMember sender, Guarantee guarantee, String text)
    {
    }

    final int incarnation;
    final List<Object> events = new ArrayList<>();
    GroupHandle handle;
    /** Set when the member's node crashed: its log ends there. */
    boolean dead;

    MemberLog(final int incarnation)
    {
        this.incarnation = incarnation;
    }

    @Override
    public void onView(final GroupHandle self, final GroupView view)
    {
        events.add(view);
    }

    @Override
    public void onMessage(final GroupHandle self, final GroupMember sender, final Guarantee guarantee,
        final DirectBuffer buffer, final int offset, final int length)
    {
        events.add(new Message(sender, guarantee, buffer.getStringWithoutLengthUtf8(offset, length)));
    }

    List<GroupView> views()
    {
        return events.stream().filter(GroupView.class::isInstance).map(GroupView.class::cast).toList();
    }

    List<String> texts()
    {
        return events.stream().filter(Message.class::isInstance).map(e -> ((Message)e).text()).toList();
    }

    GroupView lastView()
    {
        final List<GroupView> views = views();
        return views.isEmpty() ? null : views.get(views.size() - 1);
    }

    /** Whether the member is still in its group at the end of a run. */
    boolean live()
    {
        return !dead && handle.state() == GroupHandle.State.JOINED;
    }

    String group()
    {
        return handle.group();
    }

    static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString()
    {
        return handle + (dead ? " (dead)" : "");
    }
}
