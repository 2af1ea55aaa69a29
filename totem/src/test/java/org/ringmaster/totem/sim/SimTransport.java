package org.ringmaster.totem.sim;

import java.util.ArrayDeque;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.ringmaster.totem.transport.DatagramHandler;
import org.ringmaster.totem.transport.Transport;
import org.ringmaster.totem.transport.TransportCounters;

/** A node's end of the {@link SimNetwork}. Copies each datagram; this is test code. */
public final class SimTransport implements Transport
{
    private final SimNetwork network;
    private final int nodeId;
    private final int[] members;
    private final int maxDatagram;
    private final ArrayDeque<byte[]> inbox = new ArrayDeque<>();
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private final TransportCounters counters = new TransportCounters();
    private boolean up = true;

    SimTransport(final SimNetwork network, final int nodeId, final int[] members, final int maxDatagram)
    {
        this.network = network;
        this.nodeId = nodeId;
        this.members = members.clone();
        this.maxDatagram = maxDatagram;
    }

    @Override
    public int localNodeId()
    {
        return nodeId;
    }

    @Override
    public int maxDatagramLength()
    {
        return maxDatagram;
    }

    @Override
    public boolean unicast(final int to, final DirectBuffer buffer, final int offset, final int length)
    {
        checkLength(length);
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        network.send(nodeId, to, bytes);
        counters.sent();
        return true;
    }

    @Override
    public boolean multicast(final DirectBuffer buffer, final int offset, final int length)
    {
        checkLength(length);
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        for (final int member : members)
        {
            if (member != nodeId)
            {
                network.send(nodeId, member, bytes);
            }
        }
        counters.sent();
        return true;
    }

    private void checkLength(final int length)
    {
        if (length <= 0 || length > maxDatagram)
        {
            throw new IllegalStateException("node " + nodeId + " sent a datagram of " + length + " bytes (max " +
                maxDatagram + ")");
        }
    }

    @Override
    public int poll(final DatagramHandler handler, final int limit)
    {
        int n = 0;
        while (n < limit && !inbox.isEmpty())
        {
            final byte[] bytes = inbox.poll();
            view.wrap(bytes);
            counters.received();
            handler.onDatagram(view, 0, bytes.length);
            n++;
        }
        return n;
    }

    /** Inject a raw datagram as if it came from the network (fuzzing, forgery tests). */
    public void inject(final byte[] bytes)
    {
        inbox.add(bytes);
    }

    void enqueue(final byte[] bytes)
    {
        inbox.add(bytes);
    }

    public boolean hasInput()
    {
        return !inbox.isEmpty();
    }

    public boolean isUp()
    {
        return up;
    }

    /** A crashed node's transport neither sends nor receives. */
    public void up(final boolean up)
    {
        this.up = up;
        if (!up)
        {
            inbox.clear();
        }
    }

    @Override
    public TransportCounters counters()
    {
        return counters;
    }

    @Override
    public void close()
    {
        up = false;
    }
}
