package org.ringmaster.membership.sim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.ringmaster.membership.ConfigurationChange;
import org.ringmaster.membership.EvsListener;
import org.ringmaster.membership.MembershipConfig;
import org.ringmaster.membership.RingSeqStore;
import org.ringmaster.membership.TotemNode;
import org.ringmaster.totem.Guarantee;
import org.ringmaster.totem.TotemConfig;
import org.ringmaster.totem.sim.LinkFaults;
import org.ringmaster.totem.sim.Payloads;
import org.ringmaster.totem.sim.SimNetwork;
import org.ringmaster.totem.sim.SimTransport;

/**
 * Nodes running the Totem membership protocol in one thread on a {@link SimNetwork}: scripted
 * crashes, restarts, pauses, partitions and link cuts, random traffic, and a log of every
 * node's EVS events for {@link EvsInvariants}. Deterministic for a seed.
 */
public final class SimCluster
{
    private record Scheduled(long atNs, long order, Consumer<SimCluster> action)
    {
    }

    /** One node's current incarnation. */
    final class Node
    {
        final int id;
        TotemNode node;
        org.ringmaster.membership.EvsChannel traffic;
        SimTransport transport;
        boolean up;
        boolean paused;

        Node(final int id)
        {
            this.id = id;
        }
    }

    private final long seed;
    private final int[] ids;
    private final SimNetwork network;
    private final Random random;
    private final Map<Integer, Node> nodes = new HashMap<>();
    private final Map<Integer, RingSeqStore> stores = new HashMap<>();
    private final Map<Integer, List<EvsEvent>> logs = new HashMap<>();
    private final Map<Integer, Long> counters = new HashMap<>();
    private final Map<Integer, Set<Long>> sentBy = new HashMap<>();
    private final Map<Integer, Long> lastCrash = new HashMap<>();
    private final PriorityQueue<Scheduled> schedule = new PriorityQueue<>(
        (a, b) -> a.atNs != b.atNs ? Long.compare(a.atNs, b.atNs) : Long.compare(a.order, b.order));
    private final ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(4096);
    private final List<String> script = new ArrayList<>();
    private final Set<Integer> heldBack = new HashSet<>();
    private Above above;
    private java.util.function.ObjLongConsumer<Integer> work = (id, now) -> { };
    private Consumer<SimCluster> step = c -> { };
    private long order;
    private long tokenMs = 1000;
    private long sendJoinMs;
    private boolean accelerated = true;
    private int seqnoUnchangedConst = 30;

    public SimCluster(final long seed, final int nodeCount)
    {
        this.seed = seed;
        this.network = new SimNetwork(seed);
        this.random = new Random(seed ^ 0x5DEECE66DL);
        this.ids = new int[nodeCount];
        for (int i = 0; i < nodeCount; i++)
        {
            ids[i] = i + 1;
            stores.put(ids[i], RingSeqStore.inMemory());
            logs.put(ids[i], new ArrayList<>());
            counters.put(ids[i], 0L);
            sentBy.put(ids[i], new HashSet<>());
            nodes.put(ids[i], new Node(ids[i]));
        }
    }

    public long seed()
    {
        return seed;
    }

    public int[] ids()
    {
        return ids.clone();
    }

    public SimNetwork network()
    {
        return network;
    }

    public Random random()
    {
        return random;
    }

    /** totem.send_join for every node started from now on. */
    public SimCluster sendJoinMs(final long ms)
    {
        sendJoinMs = ms;
        return this;
    }

    /** totem.accelerated for every node started from now on. Default on. */
    public SimCluster accelerated(final boolean on)
    {
        accelerated = on;
        return this;
    }

    /** totem.seqno_unchanged_const for every node started from now on. Default 30. */
    public SimCluster seqnoUnchangedConst(final int rotations)
    {
        seqnoUnchangedConst = rotations;
        return this;
    }

    public boolean accelerated()
    {
        return accelerated;
    }

    public SimCluster tokenMs(final long ms)
    {
        tokenMs = ms;
        return this;
    }

    public long tokenMs()
    {
        return tokenMs;
    }

    public List<EvsEvent> log(final int id)
    {
        return logs.get(id);
    }

    public Set<Long> sentBy(final int id)
    {
        return sentBy.get(id);
    }

    /** When the node last crashed, or -1. */
    public long lastCrash(final int id)
    {
        return lastCrash.getOrDefault(id, -1L);
    }

    public boolean isUp(final int id)
    {
        return nodes.get(id).up;
    }

    public TotemNode node(final int id)
    {
        return nodes.get(id).node;
    }

    public List<String> script()
    {
        return script;
    }

    /** Schedule an action at a virtual time; {@code what} is recorded for failure reports. */
    public SimCluster at(final long atNs, final String what, final Consumer<SimCluster> action)
    {
        schedule.add(new Scheduled(atNs, order++, c ->
        {
            script.add("@" + atNs / 1_000_000 + "ms " + what);
            action.accept(c);
        }));
        return this;
    }

    /** Builds the layer above a node (quorum, a CRM) each time the node starts. */
    @FunctionalInterface
    public interface Above
    {
        /**
         * @param channel the upper layer's own EVS sub-channel (test traffic has another one).
         * @return the listener of that sub-channel.
         */
        EvsListener create(int id, TotemNode node, org.ringmaster.membership.EvsChannel channel);
    }

    /** Put a layer above every node, sharing the ring with the test traffic through an EvsMultiplexer. */
    public SimCluster above(final Above factory)
    {
        this.above = factory;
        return this;
    }

    /** Called after each duty cycle of a node, with its id and the time. */
    public SimCluster onWork(final java.util.function.ObjLongConsumer<Integer> hook)
    {
        this.work = hook;
        return this;
    }

    /** Called after every step of the run loop (invariants checked "at every step"). */
    public SimCluster onStep(final Consumer<SimCluster> hook)
    {
        this.step = hook;
        return this;
    }

    /** Keep a node from the initial start; the script starts it later. */
    public void holdBack(final int id)
    {
        heldBack.add(id);
    }

    public boolean isHeldBack(final int id)
    {
        return heldBack.contains(id);
    }

    public void start(final int id)
    {
        final Node n = nodes.get(id);
        final TotemConfig totem = TotemConfig.builder().nodeId(id).members(ids).tokenMs(tokenMs).accelerated(accelerated)
            .seqnoUnchangedConst(seqnoUnchangedConst)
            .sendQueueBytes(1024 * 1024).maxMessageSize(64 * 1024).receiveBufferSlots(512).build();
        n.transport = network.endpoint(id, ids, totem.netmtu() - TotemConfig.IP_UDP_OVERHEAD);
        n.node = new TotemNode(MembershipConfig.builder(totem).ringSeqStore(stores.get(id)).sendJoinMs(sendJoinMs).build(),
            n.transport);
        final List<EvsEvent> log = logs.get(id);
        final EvsListener logger = new EvsListener()
        {
            @Override
            public void onMessage(final int sender, final Guarantee guarantee, final DirectBuffer buffer,
                final int offset, final int length)
            {
                if (!Payloads.intact(buffer, offset, length) || Payloads.sender(buffer, offset) != sender)
                {
                    throw new IllegalStateException("node " + id + " delivered a corrupt message from " + sender);
                }
                log.add(EvsEvent.delivery(network.nowNs(), sender, Payloads.counter(buffer, offset), guarantee));
            }

            @Override
            public void onConfigurationChange(final ConfigurationChange change)
            {
                log.add(EvsEvent.configuration(network.nowNs(), change));
            }
        };
        if (above == null)
        {
            n.traffic = n.node;
            n.node.listener(logger);
        }
        else
        {
            final org.ringmaster.membership.EvsMultiplexer mux = new org.ringmaster.membership.EvsMultiplexer(n.node);
            n.traffic = mux.channel(0);
            n.traffic.listener(logger);
            final org.ringmaster.membership.EvsChannel upper = mux.channel(1);
            upper.listener(above.create(id, n.node, upper));
        }
        n.up = true;
        n.paused = false;
        n.node.start(network.nowNs());
    }

    public void crash(final int id)
    {
        final Node n = nodes.get(id);
        if (!n.up)
        {
            return;
        }
        n.up = false;
        n.transport.up(false);
        logs.get(id).add(EvsEvent.crash(network.nowNs()));
        lastCrash.put(id, network.nowNs());
    }

    public void leave(final int id)
    {
        final Node n = nodes.get(id);
        if (n.up)
        {
            n.node.leave();
            crash(id);
        }
    }

    /** Put a raw datagram into a node's inbox, as if it came off the network. */
    public void injectInto(final int id, final byte[] bytes)
    {
        final Node n = nodes.get(id);
        if (n.up)
        {
            n.transport.inject(bytes);
        }
    }

    public void pause(final int id, final boolean paused)
    {
        nodes.get(id).paused = paused;
    }

    /** Offer one message of {@code length} bytes from node {@code id}; false if down or pushed back. */
    public boolean send(final int id, final int length, final Guarantee guarantee)
    {
        final Node n = nodes.get(id);
        if (!n.up)
        {
            return false;
        }
        final long counter = counters.get(id);
        Payloads.write(scratch, id, counter, length);
        if (n.traffic.offer(scratch, 0, length, guarantee))
        {
            counters.put(id, counter + 1);
            sentBy.get(id).add(((long)id << 40) | counter);
            return true;
        }
        return false;
    }

    /** Random traffic: each node sends about {@code perSecond} messages a second from {@code fromNs} to {@code toNs}. */
    public SimCluster traffic(final long fromNs, final long toNs, final int perSecond)
    {
        for (final int id : ids)
        {
            long t = fromNs;
            while (true)
            {
                t += (long)(-Math.log(1 - random.nextDouble()) * 1e9 / perSecond);
                if (t >= toNs)
                {
                    break;
                }
                final int length = Payloads.MIN_LENGTH + random.nextInt(600);
                final Guarantee g = random.nextInt(4) == 0 ? Guarantee.SAFE : Guarantee.AGREED;
                schedule.add(new Scheduled(t, order++, c -> c.send(id, length, g)));
            }
        }
        return this;
    }

    public SimCluster faults(final LinkFaults faults)
    {
        network.faults(faults);
        return this;
    }

    /** Run the schedule and the protocol until {@code untilNs} of virtual time. */
    public SimCluster runUntil(final long untilNs)
    {
        while (true)
        {
            long next = Math.min(network.nextArrival(), schedule.isEmpty() ? Long.MAX_VALUE : schedule.peek().atNs);
            for (final Node n : nodes.values())
            {
                if (n.up && !n.paused)
                {
                    next = Math.min(next, n.node.nextDeadlineNs());
                }
            }
            if (next > untilNs)
            {
                network.advance(untilNs);
                return this;
            }
            network.advance(next);
            final long now = network.nowNs();
            network.deliverDueNow();
            while (!schedule.isEmpty() && schedule.peek().atNs <= now)
            {
                schedule.poll().action.accept(this);
            }
            for (final int id : ids)
            {
                final Node n = nodes.get(id);
                if (n.up && !n.paused && (n.transport.hasInput() || n.node.nextDeadlineNs() <= now))
                {
                    n.node.doWork(now);
                    work.accept(id, now);
                }
            }
            step.accept(this);
        }
    }

    @Override
    public String toString()
    {
        return "SimCluster{seed=" + seed + ", nodes=" + ids.length + ", now=" + network.nowNs() / 1_000_000 +
            "ms, datagrams=" + network.sentCount() + ", dropped=" + network.droppedCount() + ", script=" + script + '}';
    }
}
