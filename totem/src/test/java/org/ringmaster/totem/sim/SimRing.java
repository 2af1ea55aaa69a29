package org.ringmaster.totem.sim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.IntFunction;

import org.agrona.ExpandableArrayBuffer;
import org.ringmaster.totem.Guarantee;
import org.ringmaster.totem.TotemConfig;
import org.ringmaster.totem.TotemRing;
import org.ringmaster.totem.codec.DataMessageFlyweight;
import org.ringmaster.totem.codec.DecodeError;
import org.ringmaster.totem.codec.MessageType;

/**
 * N {@link TotemRing} nodes in one thread on a {@link SimNetwork}: scripted traffic, a run loop
 * that jumps the virtual clock from event to event, and a record of what every node delivered and
 * when it first received each seq, for {@link RingInvariants}.
 */
public final class SimRing
{
    /** A message the scenario wants sent. */
    private record Planned(long atNs, int node, int length, Guarantee guarantee)
    {
    }

    private final long seed;
    private final SimNetwork network;
    private final int[] members;
    private final Map<Integer, TotemRing> nodes = new HashMap<>();
    private final Map<Integer, SimTransport> transports = new HashMap<>();
    private final Map<Integer, List<Delivery>> delivered = new HashMap<>();
    private final Map<Integer, Map<Long, Long>> firstReceipt = new HashMap<>();
    private final Map<Integer, Long> nextCounter = new HashMap<>();
    private final Map<Integer, Map<Long, Long>> sentAt = new HashMap<>();
    private final List<Planned> plan = new ArrayList<>();
    private final ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(4096);
    private final DataMessageFlyweight probe = new DataMessageFlyweight();
    private long sentMessages;
    private int planIndex;

    public SimRing(final long seed, final int nodeCount, final IntFunction<TotemConfig.Builder> configs)
    {
        this.seed = seed;
        this.network = new SimNetwork(seed);
        this.members = new int[nodeCount];
        for (int i = 0; i < nodeCount; i++)
        {
            members[i] = i + 1;
        }
        network.observer(this::onArrival);
        for (final int id : members)
        {
            final TotemConfig config = configs.apply(id).nodeId(id).members(members).build();
            final SimTransport transport = network.endpoint(id, members, config.netmtu() - TotemConfig.IP_UDP_OVERHEAD);
            final List<Delivery> log = new ArrayList<>();
            delivered.put(id, log);
            firstReceipt.put(id, new HashMap<>());
            nextCounter.put(id, 0L);
            sentAt.put(id, new HashMap<>());
            transports.put(id, transport);
            nodes.put(id, new TotemRing(config, transport, (sender, seq, guarantee, buffer, offset, length) ->
                log.add(new Delivery(Payloads.sender(buffer, offset), Payloads.counter(buffer, offset), seq, guarantee,
                    network.nowNs(), Payloads.intact(buffer, offset, length) &&
                    Payloads.sender(buffer, offset) == sender))));
        }
    }

    public long seed()
    {
        return seed;
    }

    public SimNetwork network()
    {
        return network;
    }

    public int[] members()
    {
        return members.clone();
    }

    public TotemRing node(final int id)
    {
        return nodes.get(id);
    }

    public SimTransport transport(final int id)
    {
        return transports.get(id);
    }

    public List<Delivery> delivered(final int id)
    {
        return delivered.get(id);
    }

    /** First time node {@code id} held datagram {@code seq} (received, or originated itself). */
    public Long firstReceipt(final int id, final long seq)
    {
        return firstReceipt.get(id).get(seq);
    }

    public long sentMessages()
    {
        return sentMessages;
    }

    /**
     * Plan random traffic: {@code perNode} messages from each sender in {@code senders}, at random
     * times within {@code spanNs}, sizes uniform in [minSize, maxSize], SAFE with probability
     * {@code safeShare}.
     */
    public SimRing traffic(final int[] senders, final int perNode, final long spanNs, final int minSize,
        final int maxSize, final double safeShare)
    {
        final Random random = network.random();
        for (final int node : senders)
        {
            for (int i = 0; i < perNode; i++)
            {
                final long at = (long)(random.nextDouble() * spanNs);
                final int length = minSize + random.nextInt(maxSize - minSize + 1);
                plan.add(new Planned(at, node, length, random.nextDouble() < safeShare ? Guarantee.SAFE : Guarantee.AGREED));
            }
        }
        plan.sort((a, b) -> Long.compare(a.atNs, b.atNs));
        return this;
    }

    /** Start every node and run until all planned traffic is delivered everywhere and the ring is quiet, or the limit. */
    public SimRing runUntilQuiet(final long limitNs)
    {
        return run(limitNs, true);
    }

    /** Start every node and run until the virtual clock reaches {@code limitNs}. */
    public SimRing runUntil(final long limitNs)
    {
        return run(limitNs, false);
    }

    private SimRing run(final long limitNs, final boolean stopWhenQuiet)
    {
        for (final int id : members)
        {
            nodes.get(id).start(0);
        }
        final long[] retryAt = new long[1];
        retryAt[0] = Long.MAX_VALUE;
        final List<Planned> blocked = new ArrayList<>();
        while (network.nowNs() < limitNs)
        {
            if (stopWhenQuiet && planIndex >= plan.size() && blocked.isEmpty() && allDelivered())
            {
                break;
            }
            long next = Math.min(network.nextArrivalNs(), planIndex < plan.size() ? plan.get(planIndex).atNs : Long.MAX_VALUE);
            next = Math.min(next, blocked.isEmpty() ? Long.MAX_VALUE : retryAt[0]);
            for (final TotemRing node : nodes.values())
            {
                next = Math.min(next, node.nextDeadlineNs());
            }
            if (next == Long.MAX_VALUE || next > limitNs)
            {
                network.advanceTo(limitNs);
                break;
            }
            network.advanceTo(next);
            final long now = network.nowNs();
            network.deliverDue();
            if (!blocked.isEmpty() && now >= retryAt[0])
            {
                final List<Planned> retry = new ArrayList<>(blocked);
                blocked.clear();
                retry.forEach(p -> send(p, blocked));
                retryAt[0] = now + 1_000_000;
            }
            while (planIndex < plan.size() && plan.get(planIndex).atNs <= now)
            {
                send(plan.get(planIndex++), blocked);
                if (!blocked.isEmpty() && retryAt[0] <= now)
                {
                    retryAt[0] = now + 1_000_000;
                }
            }
            for (final int id : members)
            {
                final SimTransport transport = transports.get(id);
                final TotemRing node = nodes.get(id);
                if (transport.isUp() && (transport.hasInput() || node.nextDeadlineNs() <= now))
                {
                    node.doWork(now);
                }
            }
        }
        return this;
    }

    private void send(final Planned p, final List<Planned> blocked)
    {
        final long counter = nextCounter.get(p.node);
        Payloads.write(scratch, p.node, counter, p.length);
        if (nodes.get(p.node).offer(scratch, 0, p.length, p.guarantee))
        {
            sentAt.get(p.node).put(counter, network.nowNs());
            nextCounter.put(p.node, counter + 1);
            sentMessages++;
        }
        else
        {
            blocked.add(p);
        }
    }

    private boolean allDelivered()
    {
        for (final int id : members)
        {
            if (delivered.get(id).size() != sentMessages)
            {
                return false;
            }
        }
        return true;
    }

    /** When planned message {@code counter} of {@code sender} got into its send queue (null if never). */
    public Long sentAtNs(final int sender, final long counter)
    {
        return sentAt.get(sender).get(counter);
    }

    /** Messages each sender got into its send queue, by sender. */
    public Map<Integer, Long> sentBySender()
    {
        return new HashMap<>(nextCounter);
    }

    private void onArrival(final long nowNs, final int from, final int to, final byte[] bytes)
    {
        probe.wrap(new org.agrona.concurrent.UnsafeBuffer(bytes), 0, bytes.length);
        if (probe.validateHeader() == DecodeError.NONE && probe.typeCode() == MessageType.DATA.code() &&
            probe.validate() == DecodeError.NONE)
        {
            firstReceipt.get(to).putIfAbsent(probe.seq(), nowNs);
            // The originator holds its own datagram from the moment it multicasts it.
            firstReceipt.get(probe.sender()).putIfAbsent(probe.seq(), nowNs);
        }
    }

    /** Run something against every node, e.g. to flip a fault flag. */
    public void forEachNode(final Consumer<TotemRing> action)
    {
        nodes.values().forEach(action);
    }

    @Override
    public String toString()
    {
        return "SimRing{seed=" + seed + ", nodes=" + members.length + ", now=" + network.nowNs() + "ns, sent=" +
            sentMessages + ", datagrams=" + network.sentCount() + ", dropped=" + network.droppedCount() + '}';
    }
}
