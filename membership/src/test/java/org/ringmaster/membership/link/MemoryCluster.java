package org.ringmaster.membership.link;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * N nodes, each a {@link RedundantTransport} over the links of one {@link MemoryNetwork}, on one
 * {@link ManualClock}. Records every datagram handed up (by id: sender and counter) and every link
 * event, so tests can check "exactly once" and the event history.
 */
final class MemoryCluster
{
    static final long STEP_MS = 5;
    private static final int PAYLOAD = 100;

    record Event(long atMs, int observer, int peer, int link, LinkState state)
    {
    }

    final ManualClock clock = new ManualClock();
    final MemoryNetwork net;
    final List<Event> events = new ArrayList<>();
    private final int nodes;
    private final RedundantTransport[] transports;
    private final Map<Long, Integer>[] received;
    private final long[] counter;
    private final long startNs = clock.getAsLong();
    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[PAYLOAD]);

    @SuppressWarnings("unchecked")
    MemoryCluster(final int nodes, final int links, final RedundantConfig config)
    {
        this.nodes = nodes;
        this.net = new MemoryNetwork(nodes, links);
        this.transports = new RedundantTransport[nodes + 1];
        this.received = new Map[nodes + 1];
        this.counter = new long[nodes + 1];
        final List<Integer> ids = IntStream.rangeClosed(1, nodes).boxed().toList();
        for (int node = 1; node <= nodes; node++)
        {
            final int observer = node;
            final List<MemoryNetwork.Endpoint> endpoints = new ArrayList<>();
            for (int link = 0; link < links; link++)
            {
                endpoints.add(net.endpoint(link, node));
            }
            transports[node] = new RedundantTransport(endpoints, ids, config,
                (peer, link, state) -> events.add(new Event(nowMs(), observer, peer, link, state)),
                clock, (1000L + node) << DuplicateWindow.SESSION_RANDOM_BITS);
            received[node] = new HashMap<>();
        }
    }

    RedundantTransport node(final int node)
    {
        return transports[node];
    }

    long nowMs()
    {
        return TimeUnit.NANOSECONDS.toMillis(clock.getAsLong() - startNs);
    }

    /** Send one numbered datagram; {@code to == 0} multicasts. @return its id, or -1 if refused. */
    long send(final int from, final int to)
    {
        final long id = ((long)from << 32) | ++counter[from];
        payload.putLong(0, id);
        for (int i = 8; i < PAYLOAD; i++)
        {
            payload.putByte(i, (byte)(id * 31 + i));
        }
        final boolean ok = to == 0 ? transports[from].multicast(payload, 0, PAYLOAD)
            : transports[from].unicast(to, payload, 0, PAYLOAD);
        return ok ? id : -1;
    }

    /** Poll every node until nothing is in flight. */
    void pump()
    {
        for (int round = 0; round < 1000; round++)
        {
            for (int node = 1; node <= nodes; node++)
            {
                final Map<Long, Integer> got = received[node];
                transports[node].poll((buffer, offset, length) ->
                {
                    if (length != PAYLOAD)
                    {
                        throw new AssertionError("handed up " + length + " bytes");
                    }
                    final long id = buffer.getLong(offset);
                    for (int i = 8; i < PAYLOAD; i++)
                    {
                        if (buffer.getByte(offset + i) != (byte)(id * 31 + i))
                        {
                            throw new AssertionError("corrupt payload of " + id);
                        }
                    }
                    got.merge(id, 1, Integer::sum);
                }, 64);
            }
            if (!net.anyQueued())
            {
                return;
            }
        }
        throw new AssertionError("network never drained");
    }

    /** Let {@code ms} of time pass in small steps, delivering everything at each step. */
    void run(final long ms)
    {
        for (long t = 0; t < ms; t += STEP_MS)
        {
            clock.advanceMs(STEP_MS);
            pump();
        }
    }

    /** How many times a node had datagram {@code id} handed up. */
    int times(final int node, final long id)
    {
        return received[node].getOrDefault(id, 0);
    }

    /** Every id handed up more than once, on any node. */
    List<Long> duplicates()
    {
        final List<Long> dups = new ArrayList<>();
        for (int node = 1; node <= nodes; node++)
        {
            received[node].forEach((id, n) ->
            {
                if (n > 1)
                {
                    dups.add(id);
                }
            });
        }
        return dups;
    }

    List<Event> eventsOf(final int observer, final int peer, final int link)
    {
        return events.stream().filter(e -> e.observer() == observer && e.peer() == peer && e.link() == link).toList();
    }
}
