package org.ringmaster.membership;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.ringmaster.totem.Guarantee;

/**
 * Shares one EVS channel among several users (process groups, quorum, the CRM): each gets a
 * sub-channel with its own one-byte id. Every sub-channel sees every configuration change and its
 * own messages, all in the one total order of the underlying channel, so EVS holds for each.
 * Messages for an id nobody registered are counted and dropped.
 */
public final class EvsMultiplexer implements EvsListener
{
    private final EvsChannel channel;
    private final Int2ObjectHashMap<EvsListener> listeners = new Int2ObjectHashMap<>();
    private final ThreadLocal<ExpandableArrayBuffer> staging = ThreadLocal.withInitial(() -> new ExpandableArrayBuffer(1024));
    private long unknown;

    public EvsMultiplexer(final EvsChannel channel)
    {
        this.channel = channel;
        channel.listener(this);
    }

    /**
     * The sub-channel {@code id} (0..255). Register before the underlying channel starts, so that no
     * configuration change is missed.
     */
    public EvsChannel channel(final int id)
    {
        if (id < 0 || id > 255)
        {
            throw new IllegalArgumentException("sub-channel id must be within 0..255: " + id);
        }
        if (listeners.containsKey(id))
        {
            throw new IllegalStateException("sub-channel " + id + " is taken");
        }
        final EvsListener[] holder = new EvsListener[1];
        listeners.put(id, new EvsListener()
        {
            @Override
            public void onMessage(final int sender, final Guarantee guarantee, final DirectBuffer buffer,
                final int offset, final int length)
            {
                if (holder[0] != null)
                {
                    holder[0].onMessage(sender, guarantee, buffer, offset, length);
                }
            }

            @Override
            public void onConfigurationChange(final ConfigurationChange change)
            {
                if (holder[0] != null)
                {
                    holder[0].onConfigurationChange(change);
                }
            }
        });
        return new EvsChannel()
        {
            @Override
            public int nodeId()
            {
                return channel.nodeId();
            }

            @Override
            public boolean offer(final DirectBuffer buffer, final int offset, final int length, final Guarantee guarantee)
            {
                if (length > maxMessageSize())
                {
                    throw new IllegalArgumentException("message of " + length + " bytes exceeds " + maxMessageSize());
                }
                final ExpandableArrayBuffer out = staging.get();
                out.putByte(0, (byte)id);
                out.putBytes(1, buffer, offset, length);
                return channel.offer(out, 0, length + 1, guarantee);
            }

            @Override
            public int maxMessageSize()
            {
                return channel.maxMessageSize() - 1;
            }

            @Override
            public void listener(final EvsListener listener)
            {
                holder[0] = listener;
            }
        };
    }

    /** Messages that named no registered sub-channel. */
    public long unknownMessages()
    {
        return unknown;
    }

    @Override
    public void onMessage(final int sender, final Guarantee guarantee, final DirectBuffer buffer, final int offset,
        final int length)
    {
        final EvsListener listener = length > 0 ? listeners.get(buffer.getByte(offset) & 0xFF) : null;
        if (listener == null)
        {
            unknown++;
            return;
        }
        listener.onMessage(sender, guarantee, buffer, offset + 1, length - 1);
    }

    @Override
    public void onConfigurationChange(final ConfigurationChange change)
    {
        listeners.values().forEach(l -> l.onConfigurationChange(change));
    }
}
