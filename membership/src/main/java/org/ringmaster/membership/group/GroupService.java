package org.ringmaster.membership.group;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.ringmaster.membership.ConfigurationChange;
import org.ringmaster.membership.EvsChannel;
import org.ringmaster.membership.EvsListener;
import org.ringmaster.membership.group.GroupCounters.Counter;
import org.ringmaster.totem.Guarantee;
import org.ringmaster.totem.codec.DecodeError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Process groups over one {@link EvsChannel} (what libcpg is to Corosync): many named groups, each
 * with members on many nodes and possibly several per node, all sharing the channel's total order.
 *
 * <pre>{@code
 * GroupService groups = GroupService.attach(channel);        // before the channel starts
 * GroupHandle me = groups.join("web", listener);              // views and messages arrive on listener
 * me.multicast(buffer, 0, length, Guarantee.AGREED);          // after me.state() == JOINED
 * me.leave();
 * }</pre>
 *
 * Inbound work (decoding, membership, listener callbacks) runs on the channel's thread, where the
 * channel calls this {@link EvsListener}; {@link #join}, {@link GroupHandle#multicast} and
 * {@link GroupHandle#leave} may be called from any thread. Malformed input is counted and dropped;
 * nothing thrown by a listener escapes to the channel.
 */
public final class GroupService implements EvsListener
{
    private static final Logger LOG = LoggerFactory.getLogger(GroupService.class);

    private final EvsChannel channel;
    private final int nodeId;
    private final GroupCounters counters = new GroupCounters();
    private final GroupMembership membership;
    private final ConcurrentHashMap<Key, GroupHandle> handles = new ConcurrentHashMap<>();
    private final AtomicInteger nextMemberId = new AtomicInteger(1);

    private final ReentrantLock outboundLock = new ReentrantLock();
    /** JOIN, LEAVE and SYNC held back by back-pressure, in order (guarded by outboundLock). */
    private final ArrayDeque<Outbound> outbound = new ArrayDeque<>();
    private final UnsafeBuffer outboundBuffer = new UnsafeBuffer(new byte[0]);

    private final GroupMessageFlyweight inbound = new GroupMessageFlyweight();
    private final SyncMessageFlyweight inboundSync = new SyncMessageFlyweight();

    /**
     * A service that is not yet the channel's listener; use {@link #attach} unless another layer
     * dispatches the channel's stream to this service.
     */
    public GroupService(final EvsChannel channel)
    {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.nodeId = channel.nodeId();
        this.membership = new GroupMembership(nodeId, new Delivery(), counters);
    }

    /** Create a service and make it the channel's listener (call before the channel starts). */
    public static GroupService attach(final EvsChannel channel)
    {
        final GroupService service = new GroupService(channel);
        channel.listener(service);
        return service;
    }

    public int nodeId()
    {
        return nodeId;
    }

    public GroupCounters counters()
    {
        return counters;
    }

    /** Live local members (joining, joined or leaving). */
    public int localMemberCount()
    {
        return handles.size();
    }

    /** Join a group with a member id chosen by the service (unique on this node). */
    public GroupHandle join(final String group, final GroupListener listener)
    {
        while (true)
        {
            final int memberId = nextMemberId.getAndIncrement();
            if (memberId <= 0)
            {
                nextMemberId.compareAndSet(memberId + 1, 1);
                continue;
            }
            if (!handles.containsKey(new Key(group, memberId)))
            {
                try
                {
                    return join(group, memberId, listener);
                }
                catch (final IllegalStateException raced)
                {
                    // Another thread took the id between the check and the join: take the next.
                }
            }
        }
    }

    /**
     * Join a group as a given member. The member is in the group once its join view arrives on the
     * listener ({@link GroupHandle.State#JOINED}).
     *
     * @param memberId &gt; 0, not used by a live local member of the same group (like a pid).
     * @throws IllegalArgumentException if the group name or member id is invalid (the message names it).
     * @throws IllegalStateException    if the member id is in use in that group on this node.
     */
    public GroupHandle join(final String group, final int memberId, final GroupListener listener)
    {
        final byte[] name = GroupNames.encode(group);
        Objects.requireNonNull(listener, "listener");
        if (memberId <= 0)
        {
            throw new IllegalArgumentException("member id must be > 0, was " + memberId + " (group \"" + group + "\")");
        }
        final GroupHandle handle = new GroupHandle(this, group, name, new GroupMember(nodeId, memberId), listener,
            channel.maxMessageSize());
        if (handle.maxPayloadLength() < 0 ||
            SyncMessageFlyweight.ENTRIES_OFFSET + SyncMessageFlyweight.entryLength(name) > channel.maxMessageSize())
        {
            throw new IllegalArgumentException("group name \"" + group + "\" does not fit the channel's " +
                channel.maxMessageSize() + "-byte messages");
        }
        if (handles.putIfAbsent(new Key(group, memberId), handle) != null)
        {
            throw new IllegalStateException("member id " + memberId + " is in use in group \"" + group + "\" on node " +
                nodeId);
        }
        sendControl(GroupMessageFlyweight.TYPE_JOIN, name, memberId);
        return handle;
    }

    /**
     * Retry control messages (JOIN, LEAVE, sync announcements) the channel refused under
     * back-pressure. Also done on every delivery; call it from a duty cycle to be sure.
     *
     * @return the number of messages sent.
     */
    public int doWork()
    {
        if (!outboundLock.tryLock())
        {
            return 0;
        }
        try
        {
            int sent = 0;
            Outbound next;
            while ((next = outbound.peek()) != null)
            {
                outboundBuffer.wrap(next.bytes);
                if (!channel.offer(outboundBuffer, 0, next.bytes.length, Guarantee.AGREED))
                {
                    counters.increment(Counter.BACK_PRESSURE);
                    break;
                }
                outbound.poll();
                sent++;
            }
            return sent;
        }
        finally
        {
            outboundLock.unlock();
        }
    }

    @Override
    public void onMessage(final int sender, final Guarantee guarantee, final DirectBuffer buffer, final int offset,
        final int length)
    {
        try
        {
            decode(sender, guarantee, buffer, offset, length);
        }
        catch (final RuntimeException e)
        {
            // Never let a bug or a bad message take the channel's thread down.
            counters.increment(Counter.MALFORMED);
            LOG.error("node {}: group message of {} bytes from node {} failed", nodeId, length, sender, e);
        }
        doWork();
    }

    @Override
    public void onConfigurationChange(final ConfigurationChange change)
    {
        try
        {
            membership.onConfigurationChange(change);
        }
        catch (final RuntimeException e)
        {
            LOG.error("node {}: group service failed on {}", nodeId, change, e);
        }
        doWork();
    }

    /** The group's members as this node sees them now (for diagnostics; read on the channel's thread). */
    List<GroupMember> members(final String group)
    {
        return membership.members(group);
    }

    GroupMembership membership()
    {
        return membership;
    }

    private void decode(final int sender, final Guarantee guarantee, final DirectBuffer buffer, final int offset,
        final int length)
    {
        inbound.wrap(buffer, offset, length);
        DecodeError error = inbound.validateHeader();
        if (error == DecodeError.NONE && inbound.type() == GroupMessageFlyweight.TYPE_SYNC)
        {
            inboundSync.wrap(buffer, offset, length);
            error = inboundSync.validate();
            if (error == DecodeError.NONE)
            {
                final List<GroupMembership.Announcement> entries = new ArrayList<>(inboundSync.count());
                for (int i = 0, p = inboundSync.firstEntry(); i < inboundSync.count(); i++, p = inboundSync.nextEntry(p))
                {
                    final String name = inboundSync.entryName(p);
                    if (name == null)
                    {
                        malformed(sender, length, DecodeError.BAD_FIELD);
                        return;
                    }
                    entries.add(new GroupMembership.Announcement(name, inboundSync.entryMemberId(p)));
                }
                membership.onSync(sender, inboundSync.ringSeq(), inboundSync.ringRep(), inboundSync.last(), entries);
                return;
            }
        }
        else if (error == DecodeError.NONE)
        {
            error = inbound.validate();
        }
        if (error != DecodeError.NONE)
        {
            malformed(sender, length, error);
            return;
        }
        final String group = inbound.name();
        if (group == null)
        {
            malformed(sender, length, DecodeError.BAD_FIELD);
            return;
        }
        switch (inbound.type())
        {
            case GroupMessageFlyweight.TYPE_JOIN -> membership.onJoin(sender, group, inbound.memberId());
            case GroupMessageFlyweight.TYPE_LEAVE -> membership.onLeave(sender, group, inbound.memberId());
            default -> membership.onData(sender, group, inbound.memberId(), guarantee, inbound.buffer(),
                inbound.payloadOffset(), inbound.payloadLength());
        }
    }

    private void malformed(final int sender, final int length, final DecodeError error)
    {
        counters.increment(Counter.MALFORMED);
        LOG.debug("node {}: dropped malformed group message of {} bytes from node {}: {}", nodeId, length, sender,
            error);
    }

    boolean offerData(final DirectBuffer buffer, final int length, final Guarantee guarantee)
    {
        if (channel.offer(buffer, 0, length, guarantee))
        {
            return true;
        }
        counters.increment(Counter.BACK_PRESSURE);
        return false;
    }

    void sendLeave(final String group, final byte[] name, final int memberId)
    {
        sendControl(GroupMessageFlyweight.TYPE_LEAVE, name, memberId);
    }

    private void sendControl(final int type, final byte[] name, final int memberId)
    {
        final byte[] bytes = new byte[GroupMessageFlyweight.encodedLength(name, 0)];
        new GroupMessageFlyweight().wrap(new UnsafeBuffer(bytes), 0, bytes.length).encode(type, memberId, name);
        enqueue(new Outbound(bytes, -1, 0));
        doWork();
    }

    private void enqueue(final Outbound message)
    {
        outboundLock.lock();
        try
        {
            outbound.add(message);
        }
        finally
        {
            outboundLock.unlock();
        }
    }

    private void announce(final long ringSeq, final int ringRep, final List<GroupMembership.Announcement> local)
    {
        final int max = channel.maxMessageSize();
        final SyncMessageFlyweight encoder = new SyncMessageFlyweight();
        final List<byte[]> chunks = new ArrayList<>();
        UnsafeBuffer chunk = new UnsafeBuffer(new byte[max]);
        encoder.wrap(chunk, 0, max).start(ringSeq, ringRep);
        for (final GroupMembership.Announcement a : local)
        {
            final byte[] name = GroupNames.encode(a.group());
            if (!encoder.addEntry(a.memberId(), name))
            {
                chunks.add(copy(chunk, encoder.finish(false)));
                chunk = new UnsafeBuffer(new byte[max]);
                encoder.wrap(chunk, 0, max).start(ringSeq, ringRep);
                if (!encoder.addEntry(a.memberId(), name))
                {
                    throw new IllegalStateException("sync entry for group \"" + a.group() + "\" does not fit " + max +
                        " bytes");
                }
            }
        }
        chunks.add(copy(chunk, encoder.finish(true)));
        outboundLock.lock();
        try
        {
            // Announcements for configurations that have ended are ignored by everyone: don't send them.
            outbound.removeIf(o -> o.syncRingSeq >= 0);
            for (final byte[] c : chunks)
            {
                outbound.add(new Outbound(c, ringSeq, ringRep));
            }
        }
        finally
        {
            outboundLock.unlock();
        }
        LOG.debug("node {}: sync for ring {}/{}: announcing {} local members in {} messages", nodeId, ringSeq, ringRep,
            local.size(), chunks.size());
    }

    private static byte[] copy(final UnsafeBuffer buffer, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(0, bytes);
        return bytes;
    }

    private record Key(String group, int memberId)
    {
    }

    private record Outbound(byte[] bytes, long syncRingSeq, int syncRingRep)
    {
    }

    /** Hands the core's decisions to local members' listeners. */
    private final class Delivery implements GroupMembership.Output
    {
        @Override
        public void view(final GroupView view, final int[] localMemberIds)
        {
            for (final int memberId : localMemberIds)
            {
                final GroupMember member = new GroupMember(nodeId, memberId);
                final GroupHandle handle = handles.get(new Key(view.group(), memberId));
                final boolean joinedNow = changed(view.joined(), member);
                if (handle == null)
                {
                    if (joinedNow)
                    {
                        // Our own JOIN with no handle behind it (cannot normally happen): take it back out.
                        counters.increment(Counter.IGNORED);
                        sendControl(GroupMessageFlyweight.TYPE_LEAVE, GroupNames.encode(view.group()), memberId);
                    }
                    continue;
                }
                if (joinedNow)
                {
                    handle.joined();
                }
                handle.viewDelivered(view);
                try
                {
                    handle.listener().onView(handle, view);
                }
                catch (final RuntimeException e)
                {
                    listenerFailed(handle, e);
                }
                if (changed(view.left(), member))
                {
                    handle.left();
                    handles.remove(new Key(view.group(), memberId), handle);
                }
            }
        }

        @Override
        public void message(final String group, final int[] localMemberIds, final GroupMember sender,
            final Guarantee guarantee, final DirectBuffer buffer, final int offset, final int length)
        {
            for (final int memberId : localMemberIds)
            {
                final GroupHandle handle = handles.get(new Key(group, memberId));
                if (handle == null)
                {
                    continue;
                }
                try
                {
                    handle.listener().onMessage(handle, sender, guarantee, buffer, offset, length);
                }
                catch (final RuntimeException e)
                {
                    listenerFailed(handle, e);
                }
            }
        }

        @Override
        public void announce(final long ringSeq, final int ringRep, final List<GroupMembership.Announcement> local)
        {
            GroupService.this.announce(ringSeq, ringRep, local);
        }

        private boolean changed(final List<MemberChange> changes, final GroupMember member)
        {
            for (final MemberChange c : changes)
            {
                if (c.member().equals(member))
                {
                    return true;
                }
            }
            return false;
        }

        private void listenerFailed(final GroupHandle handle, final RuntimeException e)
        {
            counters.increment(Counter.LISTENER_ERRORS);
            LOG.warn("node {}: listener of {} in group \"{}\" threw", nodeId, handle.member(), handle.group(), e);
        }
    }
}
