package org.ringmaster.membership.group;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.ringmaster.totem.Guarantee;

/**
 * One local member of a group, returned by {@link GroupService#join}. Thread-safe: multicast and
 * leave may be called from any thread, including from inside the listener.
 */
public final class GroupHandle
{
    /** Life cycle of a member; it only moves forward. */
    public enum State
    {
        /** The JOIN is on its way through the total order; nothing is delivered yet. */
        JOINING,
        /** The member's own join view was delivered: it is in the group and may multicast. */
        JOINED,
        /** {@link #leave()} was called; views and messages still arrive until the LEAVE is ordered. */
        LEAVING,
        /** The member's leave (or its own departure) was delivered; nothing more arrives. */
        LEFT
    }

    private final GroupService service;
    private final String group;
    private final byte[] name;
    private final GroupMember member;
    private final GroupListener listener;
    private final UnsafeBuffer sendBuffer;
    private final GroupMessageFlyweight encoder = new GroupMessageFlyweight();
    private volatile State state = State.JOINING;
    private volatile GroupView view;

    GroupHandle(final GroupService service, final String group, final byte[] name, final GroupMember member,
        final GroupListener listener, final int maxMessageSize)
    {
        this.service = service;
        this.group = group;
        this.name = name;
        this.member = member;
        this.listener = listener;
        this.sendBuffer = new UnsafeBuffer(new byte[maxMessageSize]);
    }

    public String group()
    {
        return group;
    }

    public GroupMember member()
    {
        return member;
    }

    public State state()
    {
        return state;
    }

    /** The last view delivered to this member, or {@code null} before its join view. */
    public GroupView view()
    {
        return view;
    }

    /** Whether this member is the leader of its last view ({@link GroupView#leader()}). */
    public boolean isLeader()
    {
        final GroupView v = view;
        return v != null && v.leader().map(member::equals).orElse(false);
    }

    /** Largest payload {@link #multicast} takes for this group. */
    public int maxPayloadLength()
    {
        return sendBuffer.capacity() - GroupMessageFlyweight.encodedLength(name, 0);
    }

    /**
     * Multicast a message to every member of the group, in the channel's total order. The payload is
     * copied before this returns.
     *
     * @return {@code false} under back-pressure: nothing was sent, retry later.
     * @throws IllegalStateException    if the member is not {@link State#JOINED}.
     * @throws IllegalArgumentException if the payload is longer than {@link #maxPayloadLength()}.
     */
    public boolean multicast(final DirectBuffer payload, final int offset, final int length, final Guarantee guarantee)
    {
        if (state != State.JOINED)
        {
            throw new IllegalStateException("member " + member + " of group \"" + group + "\" cannot multicast while " +
                state);
        }
        if (length < 0 || length > maxPayloadLength())
        {
            throw new IllegalArgumentException("payload of " + length + " bytes for group \"" + group +
                "\" exceeds the largest the channel carries, " + maxPayloadLength());
        }
        synchronized (this)
        {
            encoder.wrap(sendBuffer, 0, sendBuffer.capacity());
            final int payloadOffset = encoder.encode(GroupMessageFlyweight.TYPE_DATA, member.memberId(), name);
            sendBuffer.putBytes(payloadOffset, payload, offset, length);
            return service.offerData(sendBuffer, payloadOffset + length, guarantee);
        }
    }

    /**
     * Leave the group cleanly: the others see this member leave with reason {@code LEAVE}, and so
     * does this member's listener, last. Idempotent.
     */
    public void leave()
    {
        synchronized (this)
        {
            if (state == State.LEAVING || state == State.LEFT)
            {
                return;
            }
            state = State.LEAVING;
        }
        service.sendLeave(group, name, member.memberId());
    }

    GroupListener listener()
    {
        return listener;
    }

    byte[] nameBytes()
    {
        return name;
    }

    void viewDelivered(final GroupView delivered)
    {
        view = delivered;
    }

    synchronized void joined()
    {
        if (state == State.JOINING)
        {
            state = State.JOINED;
        }
    }

    synchronized void left()
    {
        state = State.LEFT;
    }

    @Override
    public String toString()
    {
        return "GroupHandle{" + group + " " + member + " " + state + "}";
    }
}
