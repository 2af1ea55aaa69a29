package org.ringmaster.membership.link;

import org.agrona.DirectBuffer;
import org.ringmaster.totem.transport.DatagramHandler;
import org.ringmaster.totem.transport.Transport;
import org.ringmaster.totem.transport.TransportCounters;

/** Wraps a link transport; while {@link #cut} is set (from any thread) everything sent or received on it is lost. */
final class CuttableTransport implements Transport
{
    private static final DatagramHandler DISCARD = (buffer, offset, length) -> { };

    private final Transport inner;
    volatile boolean cut;

    CuttableTransport(final Transport inner)
    {
        this.inner = inner;
    }

    @Override
    public int localNodeId()
    {
        return inner.localNodeId();
    }

    @Override
    public int maxDatagramLength()
    {
        return inner.maxDatagramLength();
    }

    @Override
    public boolean unicast(final int nodeId, final DirectBuffer buffer, final int offset, final int length)
    {
        return cut || inner.unicast(nodeId, buffer, offset, length);
    }

    @Override
    public boolean multicast(final DirectBuffer buffer, final int offset, final int length)
    {
        return cut || inner.multicast(buffer, offset, length);
    }

    @Override
    public int poll(final DatagramHandler handler, final int limit)
    {
        return inner.poll(cut ? DISCARD : handler, limit);
    }

    @Override
    public TransportCounters counters()
    {
        return inner.counters();
    }

    @Override
    public void close()
    {
        inner.close();
    }
}
