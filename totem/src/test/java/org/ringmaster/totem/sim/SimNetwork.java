package org.ringmaster.totem.sim;

import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.function.BiFunction;

/**
 * A deterministic network on a virtual clock: every datagram becomes an event at a time drawn
 * from a seeded RNG; loss, duplication, delay, reordering and partitions per directed link.
 * Single-threaded; the same seed replays the same run.
 */
public final class SimNetwork
{
    /** A datagram in flight. */
    record InFlight(long atNs, long order, int from, int to, byte[] bytes)
    {
    }

    private final Random random;
    private final PriorityQueue<InFlight> inFlight = new PriorityQueue<>(
        (a, b) -> a.atNs != b.atNs ? Long.compare(a.atNs, b.atNs) : Long.compare(a.order, b.order));
    private final Map<Integer, SimTransport> endpoints = new HashMap<>();
    private BiFunction<Integer, Integer, LinkFaults> faults = (from, to) -> LinkFaults.PERFECT;
    private DatagramObserver observer = (nowNs, from, to, bytes) -> { };
    private java.util.function.BiPredicate<Integer, Integer> cut = (from, to) -> false;
    private long nowNs;
    private long order;
    private long sent;
    private long dropped;

    /** Sees every datagram when it reaches its destination (for invariant bookkeeping). */
    @FunctionalInterface
    public interface DatagramObserver
    {
        void onArrival(long nowNs, int from, int to, byte[] bytes);
    }

    public SimNetwork(final long seed)
    {
        this.random = new Random(seed);
    }

    public Random random()
    {
        return random;
    }

    public long nowNs()
    {
        return nowNs;
    }

    void advanceTo(final long timeNs)
    {
        if (timeNs > nowNs)
        {
            nowNs = timeNs;
        }
    }

    /** The same faults on every link. */
    public void faults(final LinkFaults linkFaults)
    {
        this.faults = (from, to) -> linkFaults;
    }

    /** Faults per directed link (from, to). */
    public void faults(final BiFunction<Integer, Integer, LinkFaults> perLink)
    {
        this.faults = perLink;
    }

    public void observer(final DatagramObserver observer)
    {
        this.observer = observer;
    }

    public SimTransport endpoint(final int nodeId, final int[] members, final int maxDatagram)
    {
        final SimTransport transport = new SimTransport(this, nodeId, members, maxDatagram);
        endpoints.put(nodeId, transport);
        return transport;
    }

    /** Drop everything on the directed links the predicate names (partitions, one-way cuts). */
    public void cut(final java.util.function.BiPredicate<Integer, Integer> blocked)
    {
        this.cut = blocked;
    }

    /** Split the nodes into groups that cannot reach each other; nodes in no group are isolated. */
    public void partition(final int[]... groups)
    {
        final Map<Integer, Integer> groupOf = new HashMap<>();
        for (int g = 0; g < groups.length; g++)
        {
            for (final int id : groups[g])
            {
                groupOf.put(id, g);
            }
        }
        cut((from, to) -> !groupOf.containsKey(from) || !groupOf.get(from).equals(groupOf.get(to)));
    }

    /** Heal every partition and cut. */
    public void heal()
    {
        cut((from, to) -> false);
    }

    public void advance(final long timeNs)
    {
        advanceTo(timeNs);
    }

    public long nextArrival()
    {
        return nextArrivalNs();
    }

    public void deliverDueNow()
    {
        deliverDue();
    }

    void send(final int from, final int to, final byte[] bytes)
    {
        sent++;
        if (cut.test(from, to))
        {
            dropped++;
            return;
        }
        final LinkFaults link = faults.apply(from, to);
        int copies = 1;
        if (link.loss() > 0 && random.nextDouble() < link.loss())
        {
            copies = 0;
            dropped++;
        }
        if (copies == 1 && link.duplication() > 0 && random.nextDouble() < link.duplication())
        {
            copies = 2;
        }
        for (int i = 0; i < copies; i++)
        {
            final long span = link.maxDelayNs() - link.minDelayNs();
            final long delay = link.minDelayNs() + (span == 0 ? 0 : (long)(random.nextDouble() * span));
            inFlight.add(new InFlight(nowNs + delay, order++, from, to, bytes));
        }
    }

    /** Time of the next arrival, or Long.MAX_VALUE. */
    long nextArrivalNs()
    {
        final InFlight next = inFlight.peek();
        return next == null ? Long.MAX_VALUE : next.atNs;
    }

    /** Move every datagram due by now into its destination's inbox. */
    void deliverDue()
    {
        while (!inFlight.isEmpty() && inFlight.peek().atNs <= nowNs)
        {
            final InFlight d = inFlight.poll();
            final SimTransport to = endpoints.get(d.to);
            if (to != null && to.isUp())
            {
                observer.onArrival(nowNs, d.from, d.to, d.bytes);
                to.enqueue(d.bytes);
            }
        }
    }

    public long sentCount()
    {
        return sent;
    }

    public long droppedCount()
    {
        return dropped;
    }
}
