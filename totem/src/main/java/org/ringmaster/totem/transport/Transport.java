package org.ringmaster.totem.transport;

import java.nio.channels.SelectableChannel;
import java.util.List;

import org.agrona.DirectBuffer;

/**
 * Moves opaque datagrams between the members of a fixed node list.
 *
 * <p>The ring above never blocks on a transport: sends return {@code false} under back-pressure
 * and receiving is polled from the ring's duty cycle. Implementations are not thread-safe; one
 * agent thread owns a transport. A datagram is at most {@link #maxDatagramLength()} bytes.
 *
 * <p>A node never receives its own datagrams back through {@link #multicast}: the ring
 * "receives" its own broadcasts locally (Totem SRP §3).
 */
public interface Transport extends AutoCloseable
{
    /** This node's id in the node list. */
    int localNodeId();

    /** Largest datagram accepted by {@link #unicast} and {@link #multicast}, in bytes. */
    int maxDatagramLength();

    /**
     * Send one datagram to one member.
     *
     * @return {@code false} if it could not be queued now (back-pressure); the caller may retry.
     */
    boolean unicast(int nodeId, DirectBuffer buffer, int offset, int length);

    /**
     * Send one datagram to every other member.
     *
     * @return {@code false} if it could not be queued now (back-pressure); the caller may retry.
     */
    boolean multicast(DirectBuffer buffer, int offset, int length);

    /**
     * Hand up to {@code limit} received datagrams to the handler, without blocking.
     *
     * @return how many were handed up.
     */
    int poll(DatagramHandler handler, int limit);

    /** Counters of what this transport dropped and why; never null. */
    TransportCounters counters();

    /**
     * The non-blocking sockets this transport's datagrams arrive on, so that an idle agent thread
     * can sleep in the kernel until one is readable ({@link SocketIdleStrategy}) rather than park
     * blind and notice a token only when the park ends. Empty (the default) when the transport
     * cannot be waited on that way (Aeron, in-memory transports).
     */
    default List<SelectableChannel> readableChannels()
    {
        return List.of();
    }

    @Override
    void close();
}
