package org.ringmaster.quorum.sim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.IntFunction;

import org.ringmaster.quorum.ConfigurationChange;
import org.ringmaster.quorum.QuorumConfig;
import org.ringmaster.quorum.QuorumDevice;
import org.ringmaster.quorum.QuorumState;
import org.ringmaster.quorum.RingId;
import org.ringmaster.quorum.VoteQuorum;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A deterministic, single-threaded stand-in for membership + agreed multicast: nodes live in groups
 * (partitions); each group is one ring whose messages are delivered to every member in one FIFO
 * order. Regrouping forms new rings and drops the old rings' undelivered messages (which VoteQuorum
 * would ignore as stale anyway). Virtual time only.
 */
public final class SimCluster
{
    /** One simulated node. */
    public static final class Node
    {
        final int id;
        VoteQuorum quorum;
        RingId ring = RingId.NONE;
        int[] members = new int[0];
        int incarnation;

        Node(final int id)
        {
            this.id = id;
        }

        public VoteQuorum quorum()
        {
            return quorum;
        }

        public QuorumState state()
        {
            return quorum.state();
        }
    }

    private final QuorumConfig config;
    private final IntFunction<QuorumDevice> deviceFactory;
    private final TreeMap<Integer, Node> live = new TreeMap<>();
    private final TreeSet<Integer> crashed = new TreeSet<>();
    private final List<TreeSet<Integer>> groups = new ArrayList<>();
    private final Map<RingId, ArrayDeque<byte[]>> queues = new HashMap<>();
    private final List<String> trace = new ArrayList<>();
    private long nowNs = 1_000_000_000L;
    private long ringSeq;
    private Random transitional;
    /** Per-node expected_votes_tracking files; they survive crashes and restarts like a disk would. */
    private final Map<Integer, int[]> evtFiles = new HashMap<>();

    public SimCluster(final QuorumConfig config, final IntFunction<QuorumDevice> deviceFactoryOrNull)
    {
        this.config = config;
        this.deviceFactory = deviceFactoryOrNull;
    }

    /**
     * Enables EVS transitional delivery: before a node sees a new configuration it delivers a random
     * prefix of its old ring's undelivered messages, the same prefix for all old-ring members that
     * stay together. Without it the old ring's undelivered messages are simply dropped.
     */
    public SimCluster transitionalDelivery(final Random rnd)
    {
        this.transitional = rnd;
        return this;
    }

    private void deliverTransitional(final List<TreeSet<Integer>> changedGroups)
    {
        if (transitional == null)
        {
            return;
        }
        final Map<RingId, List<byte[]>> snapshot = new HashMap<>();
        for (final Map.Entry<RingId, ArrayDeque<byte[]>> e : queues.entrySet())
        {
            snapshot.put(e.getKey(), new ArrayList<>(e.getValue()));
        }
        for (final TreeSet<Integer> g : changedGroups)
        {
            final TreeMap<RingId, List<Node>> byOldRing = new TreeMap<>();
            for (final int id : g)
            {
                final Node n = live.get(id);
                byOldRing.computeIfAbsent(n.ring, r -> new ArrayList<>()).add(n);
            }
            for (final Map.Entry<RingId, List<Node>> e : byOldRing.entrySet())
            {
                final List<byte[]> pending = snapshot.getOrDefault(e.getKey(), List.of());
                final int k = pending.isEmpty() ? 0 : transitional.nextInt(pending.size() + 1);
                for (int i = 0; i < k; i++)
                {
                    final byte[] m = pending.get(i);
                    for (final Node n : e.getValue())
                    {
                        n.quorum.onMessage(new UnsafeBuffer(m), 0, m.length, nowNs);
                    }
                }
                if (k > 0)
                {
                    trace.add("transitional " + k + "/" + pending.size() + " of ring " + e.getKey() + " to " +
                        e.getValue().stream().map(n -> n.id).toList());
                }
            }
        }
    }

    /** Starts the given nodes, each alone in its own group. */
    public SimCluster start(final int... ids)
    {
        for (final int id : ids)
        {
            boot(id);
        }
        return this;
    }

    private void boot(final int id)
    {
        final Node n = new Node(id);
        n.quorum = new VoteQuorum(config, id, (buf, off, len) -> {
            final byte[] copy = new byte[len];
            buf.getBytes(off, copy);
            final ArrayDeque<byte[]> q = queues.get(n.ring);
            if (q != null)
            {
                q.add(copy);
            }
            return true;
        }, deviceFactory == null ? null : deviceFactory.apply(id), s -> { }, null, evtStore(id));
        live.put(id, n);
        crashed.remove(id);
        final TreeSet<Integer> g = new TreeSet<>();
        g.add(id);
        groups.add(g);
        formRing(g);
    }

    private org.ringmaster.quorum.ExpectedVotesStore evtStore(final int id)
    {
        final int[] cell = evtFiles.computeIfAbsent(id, k -> new int[1]);
        return new org.ringmaster.quorum.ExpectedVotesStore()
        {
            public int load()
            {
                return cell[0];
            }

            public void save(final int expectedVotes)
            {
                cell[0] = expectedVotes;
            }
        };
    }

    public long nowNs()
    {
        return nowNs;
    }

    public List<String> trace()
    {
        return trace;
    }

    public Node node(final int id)
    {
        return live.get(id);
    }

    public boolean isLive(final int id)
    {
        return live.containsKey(id);
    }

    public List<TreeSet<Integer>> groups()
    {
        final List<TreeSet<Integer>> copy = new ArrayList<>();
        for (final TreeSet<Integer> g : groups)
        {
            copy.add(new TreeSet<>(g));
        }
        return copy;
    }

    public TreeSet<Integer> crashed()
    {
        return new TreeSet<>(crashed);
    }

    /** Sets the partitions: every live node must appear in exactly one group. Changed groups form new rings. */
    public SimCluster partition(final List<? extends java.util.Collection<Integer>> newGroups)
    {
        trace.add("partition " + newGroups);
        final List<TreeSet<Integer>> next = new ArrayList<>();
        final TreeSet<Integer> seen = new TreeSet<>();
        for (final java.util.Collection<Integer> g : newGroups)
        {
            final TreeSet<Integer> s = new TreeSet<>(g);
            for (final int id : s)
            {
                if (!live.containsKey(id) || !seen.add(id))
                {
                    throw new IllegalArgumentException("node " + id + " is not live or appears twice in " + newGroups);
                }
            }
            if (!s.isEmpty())
            {
                next.add(s);
            }
        }
        if (!seen.equals(live.navigableKeySet()))
        {
            throw new IllegalArgumentException("groups " + newGroups + " must cover live nodes " + live.keySet());
        }
        final List<TreeSet<Integer>> old = new ArrayList<>(groups);
        final List<TreeSet<Integer>> changed = new ArrayList<>();
        for (final TreeSet<Integer> g : next)
        {
            if (!old.contains(g))
            {
                changed.add(g);
            }
        }
        deliverTransitional(changed);
        groups.clear();
        groups.addAll(next);
        for (final TreeSet<Integer> g : changed)
        {
            formRing(g);
        }
        return this;
    }

    /** Convenience: partition given as int arrays. */
    public SimCluster split(final int[]... newGroups)
    {
        final List<List<Integer>> gs = new ArrayList<>();
        for (final int[] g : newGroups)
        {
            gs.add(Arrays.stream(g).boxed().toList());
        }
        return partition(gs);
    }

    /** Everyone live in one group. */
    public SimCluster heal()
    {
        return partition(List.of(new ArrayList<>(live.keySet())));
    }

    /** The node stops; its group (if others remain) forms a new ring without it. */
    public SimCluster crash(final int id)
    {
        trace.add("crash " + id);
        final Node n = live.remove(id);
        if (n == null)
        {
            throw new IllegalArgumentException("node " + id + " is not live");
        }
        crashed.add(id);
        for (final TreeSet<Integer> g : new ArrayList<>(groups))
        {
            if (g.remove(id))
            {
                if (g.isEmpty())
                {
                    groups.remove(g);
                }
                else
                {
                    deliverTransitional(List.of(g));
                    formRing(g);
                }
            }
        }
        queues.remove(n.ring);
        return this;
    }

    /** A crashed node boots with fresh state, alone until the next partition change. */
    public SimCluster restart(final int id)
    {
        trace.add("restart " + id);
        if (!crashed.contains(id))
        {
            throw new IllegalArgumentException("node " + id + " is not crashed");
        }
        boot(id);
        return this;
    }

    private void formRing(final TreeSet<Integer> g)
    {
        ringSeq += 4;
        final RingId ring = new RingId(ringSeq, g.first());
        final int[] members = g.stream().mapToInt(Integer::intValue).toArray();
        queues.put(ring, new ArrayDeque<>());
        for (final int id : members)
        {
            final Node n = live.get(id);
            final RingId oldRing = n.ring;
            final int[] joined = Arrays.stream(members).filter(m -> Arrays.binarySearch(n.members, m) < 0).toArray();
            final int[] left = Arrays.stream(n.members).filter(m -> Arrays.binarySearch(members, m) < 0).toArray();
            n.ring = ring;
            n.members = members;
            n.quorum.onConfigurationChange(new ConfigurationChange(ring, members, joined, left), nowNs);
            if (oldRing != null && !oldRing.equals(ring) && queues.containsKey(oldRing) && !ringInUse(oldRing))
            {
                queues.remove(oldRing);
            }
        }
    }

    private boolean ringInUse(final RingId ring)
    {
        for (final Node n : live.values())
        {
            if (n.ring.equals(ring))
            {
                return true;
            }
        }
        return false;
    }

    /** Runs one duty cycle on every node at the current time. */
    public SimCluster work()
    {
        for (final Node n : new ArrayList<>(live.values()))
        {
            n.quorum.doWork(nowNs);
        }
        return this;
    }

    /** Delivers up to {@code max} queued messages, one ring at a time in ring order; returns how many. */
    public int deliver(final int max)
    {
        int delivered = 0;
        boolean progress = true;
        while (delivered < max && progress)
        {
            progress = false;
            for (final RingId ring : new TreeSet<>(queues.keySet()))
            {
                final ArrayDeque<byte[]> q = queues.get(ring);
                if (q == null || q.isEmpty())
                {
                    continue;
                }
                final byte[] m = q.poll();
                final UnsafeBuffer b = new UnsafeBuffer(m);
                for (final Node n : new ArrayList<>(live.values()))
                {
                    if (n.ring.equals(ring))
                    {
                        n.quorum.onMessage(b, 0, m.length, nowNs);
                    }
                }
                delivered++;
                progress = true;
                if (delivered >= max)
                {
                    break;
                }
            }
        }
        return delivered;
    }

    /** Work and deliver until no message is left (bounded). */
    public SimCluster settle()
    {
        for (int i = 0; i < 1000; i++)
        {
            work();
            if (deliver(Integer.MAX_VALUE) == 0)
            {
                work();
                if (deliver(Integer.MAX_VALUE) == 0)
                {
                    return this;
                }
            }
        }
        throw new AssertionError("cluster did not settle");
    }

    /** Advances virtual time, running duty cycles every {@code stepMs}. */
    public SimCluster advanceMs(final long ms, final long stepMs)
    {
        trace.add("advance " + ms + "ms");
        long left = ms;
        while (left > 0)
        {
            final long d = Math.min(stepMs, left);
            nowNs += d * 1_000_000L;
            left -= d;
            settle();
        }
        return this;
    }

    public SimCluster advanceMs(final long ms)
    {
        return advanceMs(ms, 100);
    }

    /** Rings of live nodes that currently have at least one quorate member. */
    public TreeSet<RingId> quorateRings()
    {
        final TreeSet<RingId> rings = new TreeSet<>();
        for (final Node n : live.values())
        {
            if (n.quorum.isQuorate())
            {
                rings.add(n.ring);
            }
        }
        return rings;
    }

    /** Live nodes whose state says quorate. */
    public TreeSet<Integer> quorateNodes()
    {
        final TreeSet<Integer> ids = new TreeSet<>();
        for (final Node n : live.values())
        {
            if (n.quorum.isQuorate())
            {
                ids.add(n.id);
            }
        }
        return ids;
    }

    /** Describes every node for failure messages. */
    public String describe()
    {
        final StringBuilder sb = new StringBuilder("groups=" + groups + " crashed=" + crashed + "\n");
        for (final Node n : live.values())
        {
            sb.append("  node ").append(n.id).append(": ").append(n.state()).append(n.quorum.isSynced() ? "" : " (syncing)")
                .append('\n');
        }
        return sb.toString();
    }

    public Random random(final long seed)
    {
        return new Random(seed);
    }
}
