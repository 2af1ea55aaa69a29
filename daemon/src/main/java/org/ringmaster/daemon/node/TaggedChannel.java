package org.ringmaster.daemon.node;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.ringmaster.membership.EvsChannel;
import org.ringmaster.membership.EvsListener;
import org.ringmaster.totem.Guarantee;

/**
 * One service's share of the node's EVS channel: every message it offers is prefixed with its
 * one-byte tag, so votequorum and the process groups share one totally ordered stream.
 * {@link ClusterNode} strips the tag on delivery and dispatches by it. Thread-safe like the channel.
 */
final class TaggedChannel implements EvsChannel {

    /** votequorum's messages. */
    static final byte QUORUM = 1;
    /** The process-group service's messages. */
    static final byte GROUPS = 3;

    private final EvsChannel channel;
    private final byte tag;
    private final UnsafeBuffer scratch;

    TaggedChannel(EvsChannel channel, byte tag) {
        this.channel = channel;
        this.tag = tag;
        this.scratch = new UnsafeBuffer(new byte[channel.maxMessageSize()]);
    }

    @Override
    public int nodeId() {
        return channel.nodeId();
    }

    @Override
    public synchronized boolean offer(DirectBuffer buffer, int offset, int length, Guarantee guarantee) {
        if (length > maxMessageSize()) {
            throw new IllegalArgumentException("message of " + length + " bytes exceeds " + maxMessageSize());
        }
        scratch.putByte(0, tag);
        scratch.putBytes(1, buffer, offset, length);
        return channel.offer(scratch, 0, length + 1, guarantee);
    }

    @Override
    public int maxMessageSize() {
        return channel.maxMessageSize() - 1;
    }

    /** Unused: {@link ClusterNode} dispatches deliveries itself. */
    @Override
    public void listener(EvsListener listener) {
        throw new UnsupportedOperationException("deliveries are dispatched by ClusterNode");
    }
}
