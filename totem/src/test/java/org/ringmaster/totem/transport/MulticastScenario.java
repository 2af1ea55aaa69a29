package org.ringmaster.totem.transport;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * Runs inside a network namespace whose loopback has the MULTICAST flag (started by
 * {@link UdpTransportTest}): three {@link UdpTransport}s on 127.0.0.1/2/3 with the same port
 * exchange multicasts and unicasts, and a stranger sends to the group. Prints one result line per
 * node for the test to check; exits 0 when every node got all it should within the deadline.
 */
public final class MulticastScenario
{
    static final int NODES = 3;
    static final int MULTICASTS_PER_NODE = 100;

    private MulticastScenario()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final int port = Integer.parseInt(args[0]);
        final InetSocketAddress group = new InetSocketAddress(args[1], port + 1);
        final Map<Integer, InetSocketAddress> nodes = new TreeMap<>();
        for (int id = 1; id <= NODES; id++)
        {
            nodes.put(id, new InetSocketAddress("127.0.0." + id, port));
        }
        final List<UdpTransport> transports = new ArrayList<>();
        final int[] multicasts = new int[NODES + 1];
        final int[] unicasts = new int[NODES + 1];
        final int[] own = new int[NODES + 1];
        try
        {
            for (final int id : nodes.keySet())
            {
                transports.add(new UdpTransport(
                    UdpConfig.builder().localNodeId(id).nodes(nodes).build(), MulticastConfig.of(group)));
            }
            for (int k = 0; k < MULTICASTS_PER_NODE; k++)
            {
                for (final UdpTransport t : transports)
                {
                    final byte[] m = ("m " + t.localNodeId() + " " + k).getBytes(StandardCharsets.US_ASCII);
                    if (!t.multicast(new UnsafeBuffer(m), 0, m.length))
                    {
                        throw new IllegalStateException("multicast refused by node " + t.localNodeId());
                    }
                }
            }
            for (final UdpTransport t : transports)
            {
                final int successor = t.localNodeId() % NODES + 1;
                final byte[] u = ("u " + t.localNodeId()).getBytes(StandardCharsets.US_ASCII);
                t.unicast(successor, new UnsafeBuffer(u), 0, u.length);
            }
            try (DatagramChannel stranger = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.9", 0)))
            {
                stranger.send(ByteBuffer.wrap("forged".getBytes(StandardCharsets.US_ASCII)), group);
            }
            final int expectedMulticasts = (NODES - 1) * MULTICASTS_PER_NODE;
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            boolean complete = false;
            long settleUntil = Long.MAX_VALUE;
            // Keep polling a little after everything arrived, so duplicates would show up too.
            while (System.nanoTime() < Math.min(deadline, settleUntil))
            {
                for (final UdpTransport t : transports)
                {
                    final int id = t.localNodeId();
                    t.poll((b, o, l) ->
                    {
                        final String s = b.getStringWithoutLengthAscii(o, l);
                        if (s.startsWith("m " + id + " "))
                        {
                            own[id]++;
                        }
                        else if (s.startsWith("m "))
                        {
                            multicasts[id]++;
                        }
                        else if (s.startsWith("u "))
                        {
                            unicasts[id]++;
                        }
                    }, 64);
                }
                if (!complete && allAtLeast(multicasts, expectedMulticasts) && allAtLeast(unicasts, 1)
                    && transports.stream().allMatch(
                    t -> t.counters().drops(TransportCounters.Drop.UNKNOWN_SENDER) >= 1))
                {
                    complete = true;
                    settleUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
                }
                LockSupport.parkNanos(100_000);
            }
            for (final UdpTransport t : transports)
            {
                final int id = t.localNodeId();
                System.out.println("node=" + id + " multicasts=" + multicasts[id] + " unicasts=" + unicasts[id]
                    + " own=" + own[id] + " unknown=" + t.counters().drops(TransportCounters.Drop.UNKNOWN_SENDER)
                    + " sent=" + t.counters().sentCount() + " received=" + t.counters().receivedCount());
            }
            System.exit(complete ? 0 : 1);
        }
        finally
        {
            transports.forEach(UdpTransport::close);
        }
    }

    private static boolean allAtLeast(final int[] counts, final int atLeast)
    {
        for (int id = 1; id < counts.length; id++)
        {
            if (counts[id] < atLeast)
            {
                return false;
            }
        }
        return true;
    }
}
