package org.ringmaster.totem.security;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.ringmaster.totem.transport.DatagramHandler;
import org.ringmaster.totem.transport.Transport;
import org.ringmaster.totem.transport.TransportCounters;

/**
 * A minimal in-memory transport for the security tests: members of one {@link Net} exchange
 * byte arrays; every sent frame is also recorded ({@link #sent()}) so tests can replay, tamper
 * with and inject frames ({@link #inject}).
 */
final class MemoryTransport implements Transport
{
    /** The members' inboxes. */
    static final class Net
    {
        final Map<Integer, MemoryTransport> members = new HashMap<>();
        final int maxDatagramLength;

        Net(final int maxDatagramLength)
        {
            this.maxDatagramLength = maxDatagramLength;
        }

        MemoryTransport join(final int nodeId)
        {
            final MemoryTransport t = new MemoryTransport(this, nodeId);
            members.put(nodeId, t);
            return t;
        }
    }

    private final Net net;
    private final int nodeId;
    private final ArrayDeque<byte[]> inbox = new ArrayDeque<>();
    private final List<byte[]> sent = new ArrayList<>();
    private final TransportCounters counters = new TransportCounters();
    private final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);
    private boolean closed;

    private MemoryTransport(final Net net, final int nodeId)
    {
        this.net = net;
        this.nodeId = nodeId;
    }

    @Override
    public int localNodeId()
    {
        return nodeId;
    }

    @Override
    public int maxDatagramLength()
    {
        return net.maxDatagramLength;
    }

    @Override
    public boolean unicast(final int to, final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] copy = copy(buffer, offset, length);
        final MemoryTransport member = net.members.get(to);
        if (member != null)
        {
            member.inbox.add(copy);
        }
        counters.sent();
        return true;
    }

    @Override
    public boolean multicast(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] copy = copy(buffer, offset, length);
        for (final MemoryTransport member : net.members.values())
        {
            if (member != this)
            {
                member.inbox.add(copy);
            }
        }
        counters.sent();
        return true;
    }

    private byte[] copy(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length > net.maxDatagramLength)
        {
            throw new IllegalArgumentException("datagram of " + length + " bytes");
        }
        final byte[] copy = new byte[length];
        buffer.getBytes(offset, copy);
        sent.add(copy);
        return copy;
    }

    /** Put a raw frame into this node's inbox, as if it came off the wire. */
    void inject(final byte[] frame)
    {
        inbox.add(frame);
    }

    /** Lose whatever is in transit to this node, without counting it as received. */
    void loseInbox()
    {
        inbox.clear();
    }

    /** Every frame this node sent, in order. */
    List<byte[]> sent()
    {
        return sent;
    }

    boolean closed()
    {
        return closed;
    }

    @Override
    public int poll(final DatagramHandler handler, final int limit)
    {
        int n = 0;
        while (n < limit && !inbox.isEmpty())
        {
            final byte[] frame = inbox.poll();
            counters.received();
            if (frame.length == 0 || frame.length > net.maxDatagramLength)
            {
                counters.drop(TransportCounters.Drop.BAD_LENGTH);
                continue;
            }
            view.wrap(frame);
            handler.onDatagram(view, 0, frame.length);
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
    }
}
