package org.ringmaster.totem.transport;

import java.net.InetSocketAddress;
import java.util.Map;

import org.agrona.DirectBuffer;

/**
 * What the two socket transports ({@link UdpuTransport}, {@link UdpTransport}) have in common: a
 * node list from {@link UdpConfig}, unicasts to a peer's node-list address from one socket, and the
 * same accounting of a send's outcome. They differ only in how a multicast goes out and which
 * sockets receive. Not thread-safe: one agent thread owns a transport.
 */
abstract class NodeListTransport implements Transport
{
    final UdpConfig config;
    final TransportCounters counters = new TransportCounters();
    /** The other members' node-list addresses, in node-list order (this node left out). */
    final InetSocketAddress[] peerAddresses;
    /** How errors name this node, such as "udpu node 3". */
    final String name;
    private final int[] peerIds;

    NodeListTransport(final UdpConfig config, final String name)
    {
        this.config = config;
        this.name = name;
        final int peers = config.nodes().size() - 1;
        this.peerIds = new int[peers];
        this.peerAddresses = new InetSocketAddress[peers];
        int i = 0;
        for (final Map.Entry<Integer, InetSocketAddress> e : config.nodes().entrySet())
        {
            if (e.getKey() != config.localNodeId())
            {
                peerIds[i] = e.getKey();
                peerAddresses[i] = e.getValue();
                i++;
            }
        }
    }

    /** The socket unicasts leave from: the one bound to this node's node-list address. */
    abstract DatagramEndpoint sender();

    @Override
    public final int localNodeId()
    {
        return config.localNodeId();
    }

    @Override
    public final int maxDatagramLength()
    {
        return config.maxDatagramLength();
    }

    @Override
    public final boolean unicast(final int nodeId, final DirectBuffer buffer, final int offset, final int length)
    {
        final InetSocketAddress to = peer(nodeId);
        final DatagramEndpoint out = sender();
        out.stage(buffer, offset, length);
        return account(out.sendStaged(to));
    }

    @Override
    public final TransportCounters counters()
    {
        return counters;
    }

    /** Full buffer: back-pressure ({@code false}); hard error: counted and treated as lost. */
    final boolean account(final int result)
    {
        if (result == DatagramEndpoint.SENT)
        {
            counters.sent();
            return true;
        }
        counters.drop(TransportCounters.Drop.SEND_FAILED);
        return result == DatagramEndpoint.FAILED;
    }

    private InetSocketAddress peer(final int nodeId)
    {
        for (int i = 0; i < peerIds.length; i++)
        {
            if (peerIds[i] == nodeId)
            {
                return peerAddresses[i];
            }
        }
        throw new IllegalArgumentException(name + ": node " + nodeId
            + " is not a peer in the node list " + config.nodes().keySet());
    }
}
