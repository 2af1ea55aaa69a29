package org.ringmaster.membership.group;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.ringmaster.membership.ConfigurationChange;
import org.ringmaster.membership.ConfigurationChange.Kind;
import org.ringmaster.membership.ConfigurationChange.Reason;
import org.ringmaster.membership.EvsChannel;
import org.ringmaster.membership.EvsListener;
import org.ringmaster.totem.Guarantee;

/**
 * In-memory EVS: N channels in one thread, seeded. Each ring has one total order; a message goes
 * through two steps, "sent" (sequenced in its ring) then "delivered" (to every member of the
 * ring at once, so every member of a configuration delivers the same messages in it). On a
 * configuration change each old ring's survivors get a transitional configuration in which they
 * deliver, in sequence order, the sequenced-but-undelivered messages of senders among them plus a
 * random subset of the others' (what some survivor had received), then the regular configuration.
 * Messages offered but not yet sequenced go to the sender's next regular configuration.
 */
final class FakeEvsCluster
{
    private final Random random;
    private final TreeMap<Integer, Node> nodes = new TreeMap<>();
    private final List<Ring> rings = new ArrayList<>();
    private final int maxMessageSize;
    private long ringSeq;
    private long delivered;

    FakeEvsCluster(final long seed)
    {
        this(seed, 1024);
    }

    FakeEvsCluster(final long seed, final int maxMessageSize)
    {
        this.random = new Random(seed);
        this.maxMessageSize = maxMessageSize;
    }

    Random random()
    {
        return random;
    }

    /** A new node's channel, not in any ring until {@link #start} or {@link #restart}. */
    Channel add(final int nodeId)
    {
        if (nodes.containsKey(nodeId) && nodes.get(nodeId).alive)
        {
            throw new IllegalStateException("node " + nodeId + " exists");
        }
        final Node node = new Node(nodeId);
        nodes.put(nodeId, node);
        return node.channel;
    }

    Channel channel(final int nodeId)
    {
        return nodes.get(nodeId).channel;
    }

    /** Form the first ring of these nodes: one regular configuration, reason START. */
    void start(final int... nodeIds)
    {
        final int[] members = Arrays.stream(nodeIds).sorted().toArray();
        final Ring ring = new Ring(++ringSeq, members);
        rings.add(ring);
        for (final int id : members)
        {
            final Node node = nodes.get(id);
            node.alive = true;
            node.ring = ring;
            node.listener().onConfigurationChange(new ConfigurationChange(Kind.REGULAR, ring.seq, ring.rep(), members,
                members, new int[0], Reason.START));
        }
    }

    Set<Integer> alive()
    {
        return nodes.values().stream().filter(n -> n.alive).map(n -> n.id).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The members of the node's current ring. */
    Set<Integer> ringOf(final int nodeId)
    {
        return Arrays.stream(nodes.get(nodeId).ring.members).boxed().collect(Collectors.toCollection(TreeSet::new));
    }

    long deliveredCount()
    {
        return delivered;
    }

    /**
     * Sequence or deliver one message somewhere; {@code false} if nothing is pending anywhere.
     * Synchronized with {@link Channel#offer} so a test may step on one thread and offer on others.
     */
    synchronized boolean step()
    {
        final List<Runnable> actions = new ArrayList<>();
        for (final Node node : nodes.values())
        {
            if (node.alive && node.ring != null && !node.pending.isEmpty())
            {
                actions.add(() -> node.ring.inflight.add(node.pending.poll()));
            }
        }
        for (final Ring ring : rings)
        {
            if (!ring.inflight.isEmpty())
            {
                actions.add(() -> deliver(ring, ring.members, ring.inflight.poll()));
            }
        }
        if (actions.isEmpty())
        {
            return false;
        }
        actions.get(random.nextInt(actions.size())).run();
        return true;
    }

    /** Step until nothing is pending (bounded, so a livelock fails the test instead of hanging it). */
    void settle()
    {
        for (int i = 0; i < 1_000_000; i++)
        {
            if (!step())
            {
                return;
            }
        }
        throw new AssertionError("cluster did not settle");
    }

    /** Up to {@code n} random steps. */
    void steps(final int n)
    {
        for (int i = 0; i < n && step(); i++)
        {
            // stepping
        }
    }

    /** The node stops dead: the others lose the token. */
    void crash(final int nodeId)
    {
        final Set<Integer> survivors = new TreeSet<>(ringOf(nodeId));
        survivors.remove(nodeId);
        kill(nodeId);
        reconfigure(Reason.TOKEN_LOSS, List.of(survivors));
    }

    /** The node shuts down cleanly: the others reform with reason LEAVE. */
    void shutdown(final int nodeId)
    {
        final Set<Integer> survivors = new TreeSet<>(ringOf(nodeId));
        survivors.remove(nodeId);
        kill(nodeId);
        reconfigure(Reason.LEAVE, List.of(survivors));
    }

    /** A crashed node comes back with the same id and a new channel, alone in a ring of its own. */
    Channel restart(final int nodeId)
    {
        if (nodes.get(nodeId).alive)
        {
            throw new IllegalStateException("node " + nodeId + " is running");
        }
        final Channel channel = add(nodeId);
        return channel;
    }

    /** Bring a restarted (or added) node up in a ring of one. */
    void startAlone(final int nodeId)
    {
        start(nodeId);
    }

    /** Split the given nodes' rings into these sides (token loss on each side). */
    void partition(final Collection<Set<Integer>> sides)
    {
        reconfigure(Reason.TOKEN_LOSS, sides);
    }

    /** Merge every live node into one ring. */
    void mergeAll()
    {
        reconfigure(Reason.MERGE, List.of(alive()));
    }

    /**
     * Move the listed nodes into the listed new rings, one configuration change each. Nodes whose ring
     * is unchanged are left alone; every live member of an affected ring must be listed.
     */
    void reconfigure(final Reason reason, final Collection<Set<Integer>> newRings)
    {
        final List<Ring> next = new ArrayList<>();
        final Set<Integer> listed = new TreeSet<>();
        for (final Set<Integer> side : newRings)
        {
            if (side.isEmpty())
            {
                continue;
            }
            final int[] members = side.stream().mapToInt(Integer::intValue).sorted().toArray();
            for (final int id : members)
            {
                if (!nodes.get(id).alive || nodes.get(id).ring == null)
                {
                    throw new IllegalStateException("node " + id + " is not running");
                }
            }
            listed.addAll(side);
            if (!Arrays.equals(nodes.get(members[0]).ring.members, members) ||
                Arrays.stream(members).anyMatch(id -> nodes.get(id).ring != nodes.get(members[0]).ring))
            {
                next.add(new Ring(++ringSeq, members));
            }
        }
        final List<Ring> ended = new ArrayList<>();
        for (final Ring ring : next)
        {
            // Transitional configurations: the members of each old ring that move into this ring together.
            final TreeMap<Long, List<Integer>> byOld = new TreeMap<>();
            for (final int id : ring.members)
            {
                byOld.computeIfAbsent(nodes.get(id).ring.seq, k -> new ArrayList<>()).add(id);
            }
            for (final List<Integer> group : byOld.values())
            {
                final Ring old = nodes.get(group.get(0)).ring;
                if (!ended.contains(old))
                {
                    ended.add(old);
                }
                final int[] transitional = group.stream().mapToInt(Integer::intValue).toArray();
                final int[] leftOld = Arrays.stream(old.members).filter(id -> !group.contains(id)).toArray();
                for (final int id : transitional)
                {
                    nodes.get(id).listener().onConfigurationChange(new ConfigurationChange(Kind.TRANSITIONAL, ring.seq,
                        ring.rep(), transitional, new int[0], leftOld, reason));
                }
                // Recovery: the old ring's sequenced messages this side holds, in sequence order.
                for (final Message m : old.inflight)
                {
                    if (group.contains(m.sender) || random.nextBoolean())
                    {
                        deliver(old, transitional, m);
                    }
                }
            }
        }
        for (final Ring old : ended)
        {
            for (final int id : old.members)
            {
                if (nodes.get(id).alive && nodes.get(id).ring == old && !listed.contains(id))
                {
                    throw new IllegalStateException("node " + id + " of ring " + Arrays.toString(old.members) +
                        " is not in any new ring");
                }
            }
            old.inflight.clear();
            rings.remove(old);
        }
        // Switch every moved node first, so what listeners offer in the regular callbacks goes to the new ring.
        for (final Ring ring : next)
        {
            rings.add(ring);
            for (final int id : ring.members)
            {
                final Node node = nodes.get(id);
                node.previousMembers = node.ring.members;
                node.ring = ring;
            }
        }
        for (final Ring ring : next)
        {
            for (final int id : ring.members)
            {
                final int[] previous = nodes.get(id).previousMembers;
                final int[] joined = Arrays.stream(ring.members).filter(x -> Arrays.binarySearch(previous, x) < 0)
                    .toArray();
                final int[] left = Arrays.stream(previous).filter(x -> Arrays.binarySearch(ring.members, x) < 0)
                    .toArray();
                nodes.get(id).listener().onConfigurationChange(new ConfigurationChange(Kind.REGULAR, ring.seq, ring.rep(),
                    ring.members, joined, left, reason));
            }
        }
    }

    private void kill(final int nodeId)
    {
        final Node node = nodes.get(nodeId);
        node.alive = false;
        node.pending.clear();
        if (node.ring != null && Arrays.stream(node.ring.members).noneMatch(id -> nodes.get(id).alive))
        {
            rings.remove(node.ring);
        }
    }

    /** Deliver to those of {@code members} still alive in {@code ring} (never to a later incarnation). */
    private void deliver(final Ring ring, final int[] members, final Message m)
    {
        delivered++;
        final UnsafeBuffer buffer = new UnsafeBuffer(m.bytes);
        for (final int id : members)
        {
            final Node node = nodes.get(id);
            if (node.alive && node.ring == ring)
            {
                node.listener().onMessage(m.sender, m.guarantee, buffer, 0, m.bytes.length);
            }
        }
    }

    private record Message(int sender, Guarantee guarantee, byte[] bytes)
    {
    }

    private static final class Ring
    {
        final long seq;
        final int[] members;
        final ArrayDeque<Message> inflight = new ArrayDeque<>();

        Ring(final long seq, final int[] members)
        {
            this.seq = seq;
            this.members = members;
        }

        int rep()
        {
            return members[0];
        }
    }

    private final class Node
    {
        final int id;
        final Channel channel;
        final ArrayDeque<Message> pending = new ArrayDeque<>();
        boolean alive;
        Ring ring;
        int[] previousMembers;

        Node(final int id)
        {
            this.id = id;
            this.channel = new Channel(this);
        }

        EvsListener listener()
        {
            if (channel.listener == null)
            {
                throw new IllegalStateException("node " + id + " has no listener");
            }
            return channel.listener;
        }
    }

    /** One node's channel. */
    final class Channel implements EvsChannel
    {
        private final Node node;
        private EvsListener listener;
        /** Offers refused while more than this many are pending (back-pressure tests). */
        private int capacity = Integer.MAX_VALUE;

        Channel(final Node node)
        {
            this.node = node;
        }

        @Override
        public int nodeId()
        {
            return node.id;
        }

        @Override
        public boolean offer(final DirectBuffer buffer, final int offset, final int length, final Guarantee guarantee)
        {
            synchronized (FakeEvsCluster.this)
            {
                return enqueue(buffer, offset, length, guarantee);
            }
        }

        private boolean enqueue(final DirectBuffer buffer, final int offset, final int length, final Guarantee guarantee)
        {
            if (length > maxMessageSize)
            {
                throw new IllegalArgumentException("message of " + length + " bytes > " + maxMessageSize);
            }
            if (!node.alive && node.ring != null || node.pending.size() >= capacity)
            {
                return false;
            }
            final byte[] bytes = new byte[length];
            buffer.getBytes(offset, bytes);
            node.pending.add(new Message(node.id, guarantee, bytes));
            return true;
        }

        @Override
        public int maxMessageSize()
        {
            return maxMessageSize;
        }

        @Override
        public void listener(final EvsListener listener)
        {
            this.listener = listener;
        }

        void capacity(final int capacity)
        {
            this.capacity = capacity;
        }

        int pending()
        {
            return node.pending.size();
        }
    }
}
