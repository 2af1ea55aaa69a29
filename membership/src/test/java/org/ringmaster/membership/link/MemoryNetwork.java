package org.ringmaster.membership.link;

import java.util.ArrayDeque;
import java.util.Arrays;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.ringmaster.totem.transport.DatagramHandler;
import org.ringmaster.totem.transport.Transport;
import org.ringmaster.totem.transport.TransportCounters;

/**
 * Deterministic in-memory links for tests: node ids 1..n, links 0..k-1, each link a separate
 * network. A link can be cut between two nodes in one direction or both; a datagram sent over a
 * cut is lost. Single-threaded: datagrams wait in the receiver's queue until it polls.
 */
final class MemoryNetwork
{
    static final int MAX_DATAGRAM = 1472;

    private final int nodes;
    private final int links;
    private final boolean[][][] cut;
    private final Endpoint[][] endpoints;

    MemoryNetwork(final int nodes, final int links)
    {
        this.nodes = nodes;
        this.links = links;
        this.cut = new boolean[links][nodes + 1][nodes + 1];
        this.endpoints = new Endpoint[links][nodes + 1];
        for (int link = 0; link < links; link++)
        {
            for (int node = 1; node <= nodes; node++)
            {
                endpoints[link][node] = new Endpoint(link, node);
            }
        }
    }

    /** The transport of one node on one link. */
    Endpoint endpoint(final int link, final int node)
    {
        return endpoints[link][node];
    }

    /** Lose everything sent from {@code from} to {@code to} on this link (one direction). */
    void cut(final int link, final int from, final int to)
    {
        cut[link][from][to] = true;
    }

    void heal(final int link, final int from, final int to)
    {
        cut[link][from][to] = false;
    }

    /** Cut (or heal) the whole link, every direction: its switch failed. */
    void cutLink(final int link, final boolean isCut)
    {
        for (final boolean[] row : cut[link])
        {
            Arrays.fill(row, isCut);
        }
    }

    boolean anyQueued()
    {
        for (int link = 0; link < links; link++)
        {
            for (int node = 1; node <= nodes; node++)
            {
                if (!endpoints[link][node].queue.isEmpty())
                {
                    return true;
                }
            }
        }
        return false;
    }

    /** Put raw bytes into a node's receive queue on a link, as if {@code from} had sent them. */
    void inject(final int link, final int from, final int to, final byte[] frame)
    {
        endpoints[link][to].queue.add(new Datagram(from, frame));
    }

    private record Datagram(int from, byte[] bytes)
    {
    }

    final class Endpoint implements Transport
    {
        private final int link;
        private final int node;
        private final ArrayDeque<Datagram> queue = new ArrayDeque<>();
        private final TransportCounters counters = new TransportCounters();
        private final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);
        private boolean closed;
        /** Makes the next sends report back-pressure. */
        int refuseSends;

        private Endpoint(final int link, final int node)
        {
            this.link = link;
            this.node = node;
        }

        @Override
        public int localNodeId()
        {
            return node;
        }

        @Override
        public int maxDatagramLength()
        {
            return MAX_DATAGRAM;
        }

        @Override
        public boolean unicast(final int nodeId, final DirectBuffer buffer, final int offset, final int length)
        {
            if (nodeId < 1 || nodeId > nodes || nodeId == node)
            {
                throw new IllegalArgumentException("no peer " + nodeId);
            }
            if (length > MAX_DATAGRAM)
            {
                throw new IllegalArgumentException("datagram of " + length + " bytes");
            }
            if (refuseSends > 0)
            {
                refuseSends--;
                return false;
            }
            send(nodeId, buffer, offset, length);
            return true;
        }

        @Override
        public boolean multicast(final DirectBuffer buffer, final int offset, final int length)
        {
            if (refuseSends > 0)
            {
                refuseSends--;
                return false;
            }
            for (int to = 1; to <= nodes; to++)
            {
                if (to != node)
                {
                    send(to, buffer, offset, length);
                }
            }
            return true;
        }

        private void send(final int to, final DirectBuffer buffer, final int offset, final int length)
        {
            if (closed)
            {
                counters.drop(TransportCounters.Drop.SEND_FAILED);
                return;
            }
            counters.sent();
            if (cut[link][node][to] || endpoints[link][to].closed)
            {
                return;
            }
            final byte[] copy = new byte[length];
            buffer.getBytes(offset, copy);
            endpoints[link][to].queue.add(new Datagram(node, copy));
        }

        @Override
        public int poll(final DatagramHandler handler, final int limit)
        {
            int n = 0;
            while (n < limit && !queue.isEmpty())
            {
                final Datagram d = queue.poll();
                counters.received();
                view.wrap(d.bytes());
                handler.onDatagram(view, 0, d.bytes().length);
                n++;
            }
            return n;
        }

        @Override
        public TransportCounters counters()
        {
            return counters;
        }

        @Override
        public void close()
        {
            closed = true;
            queue.clear();
        }
    }
}
