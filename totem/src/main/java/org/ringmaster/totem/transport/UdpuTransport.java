package org.ringmaster.totem.transport;

import java.net.InetSocketAddress;
import java.nio.channels.SelectableChannel;
import java.util.List;

import org.agrona.DirectBuffer;

/**
 * corosync's {@code transport: udpu}, Ringmaster's default: one non-blocking UDP socket bound to
 * this node's (ip, port) from the node list; {@link #multicast} is a unicast to every other member.
 *
 * <p>A received datagram whose source (ip, port) is not in the node list is dropped and counted
 * {@link TransportCounters.Drop#UNKNOWN_SENDER}; an empty one, or one longer than
 * {@link #maxDatagramLength()}, {@link TransportCounters.Drop#BAD_LENGTH}. Not thread-safe: one
 * agent thread owns it.
 */
public final class UdpuTransport extends NodeListTransport
{
    private final DatagramEndpoint endpoint;

    /** Binds the socket now; a bind failure names the node and address. */
    public UdpuTransport(final UdpConfig config)
    {
        super(config, "udpu node " + config.localNodeId());
        this.endpoint = new DatagramEndpoint(name, DatagramEndpoint.open(config, config.localAddress(), false, name),
            config.maxDatagramLength(), config.nodes(), null);
    }

    @Override
    DatagramEndpoint sender()
    {
        return endpoint;
    }

    /**
     * Sends to each other member in node-list order. If the first send finds the socket buffer full,
     * nothing was sent and this returns {@code false}; a later member that cannot be reached is
     * counted {@link TransportCounters.Drop#SEND_FAILED} and treated as a lost datagram, which the
     * ring recovers by retransmission (a partial multicast must not be repeated to the others).
     */
    @Override
    public boolean multicast(final DirectBuffer buffer, final int offset, final int length)
    {
        endpoint.stage(buffer, offset, length);
        for (int i = 0; i < peerAddresses.length; i++)
        {
            final int result = endpoint.sendStaged(peerAddresses[i]);
            if (i == 0 && result == DatagramEndpoint.FULL)
            {
                counters.drop(TransportCounters.Drop.SEND_FAILED);
                return false;
            }
            account(result);
        }
        return true;
    }

    @Override
    public int poll(final DatagramHandler handler, final int limit)
    {
        return endpoint.receive(handler, limit, counters);
    }

    @Override
    public List<SelectableChannel> readableChannels()
    {
        return List.of(endpoint.channel());
    }

    /** The address the socket is bound to (from the node list). */
    public InetSocketAddress localAddress()
    {
        return config.localAddress();
    }

    @Override
    public void close()
    {
        endpoint.close();
    }
}
