package org.ringmaster.daemon.node;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.ringmaster.membership.ConfigurationChange;
import org.ringmaster.membership.EvsChannel;
import org.ringmaster.membership.EvsListener;
import org.ringmaster.totem.Guarantee;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Transient node attributes (Pacemaker's attrd, heartbeat's pingd values), replicated through the node's own ring
 * sub-channel so that every member holds the same values at the same point of the total order. Each node is the
 * authority on its own attributes: after every regular configuration each member announces its whole set, and
 * the attributes of nodes that left are forgotten (they announce theirs again when they come back). An attribute
 * set for another node ({@code ringctl node attribute}) is kept by that node from then on, like its own.
 *
 * <p>Messages (UTF-8, fields separated by {@code \t}): {@code set TARGET NAME VALUE}, {@code del TARGET NAME},
 * {@code all TARGET [NAME VALUE]...} (replaces TARGET's whole set). Malformed ones are counted and dropped.
 *
 * <p>Threads: {@link #set}/{@link #delete} and the readers from any thread; sending and delivery on the node's
 * agent thread ({@link #doWork}).
 */
final class NodeAttributes implements EvsListener {

    private static final Logger LOG = LoggerFactory.getLogger(NodeAttributes.class);
    /** Longest name and value accepted (a message must fit the ring). */
    static final int MAX_NAME = 64;
    static final int MAX_VALUE = 256;

    private final int self;
    private final EvsChannel channel;
    private final Map<Integer, Map<String, String>> values = new ConcurrentHashMap<>();
    private final Queue<String> outbox = new ConcurrentLinkedQueue<>();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong changes = new AtomicLong();
    private volatile int[] members = new int[0];

    NodeAttributes(int self, EvsChannel channel) {
        this.self = self;
        this.channel = channel;
        channel.listener(this);
    }

    /**
     * Asks the cluster to set {@code name} of {@code node}; applied when delivered. Any thread.
     *
     * @return null when queued, else why not (bad name or value, node not a member)
     */
    String set(int node, String name, String value) {
        String problem = check(node, name);
        if (problem == null && (value.isEmpty() || value.length() > MAX_VALUE || !printable(value))) {
            problem = "attribute value must be 1.." + MAX_VALUE + " printable characters without spaces";
        }
        if (problem == null) {
            outbox.add("set\t" + node + "\t" + name + "\t" + value);
        }
        return problem;
    }

    /** Asks the cluster to remove {@code name} of {@code node}; any thread. @return null when queued, else why not */
    String delete(int node, String name) {
        String problem = check(node, name);
        if (problem == null) {
            outbox.add("del\t" + node + "\t" + name);
        }
        return problem;
    }

    private String check(int node, String name) {
        if (name.isEmpty() || name.length() > MAX_NAME || !name.matches("[A-Za-z0-9_.:-]+")) {
            return "attribute name must be 1.." + MAX_NAME + " of letters, digits, '_', '-', '.', ':'";
        }
        if (node == self) {
            return null; // our own attributes (e.g. the ping score) may be set before the first configuration
        }
        for (int m : members) {
            if (m == node) {
                return null;
            }
        }
        return "node " + node + " is not a member of the current configuration (attributes are transient: "
                + "a node keeps them only while it is in the ring)";
    }

    private static boolean printable(String s) {
        return s.chars().allMatch(c -> c > 0x20 && c != 0x7f);
    }

    /** The attributes of {@code node} as of the last delivered message; any thread; never null. */
    Map<String, String> of(int node) {
        return values.getOrDefault(node, Map.of());
    }

    /** Grows with every change of any value; any thread. */
    long changes() {
        return changes.get();
    }

    long malformed() {
        return malformed.get();
    }

    /** Sends what was asked for, in order; agent thread. */
    int doWork() {
        int n = 0;
        String m;
        while ((m = outbox.peek()) != null) {
            byte[] b = m.getBytes(StandardCharsets.UTF_8);
            if (b.length > channel.maxMessageSize()) {
                LOG.error("node attributes: message of {} bytes exceeds the ring's {}; dropped", b.length,
                        channel.maxMessageSize());
                outbox.poll();
                continue;
            }
            if (!channel.offer(new UnsafeBuffer(b), 0, b.length, Guarantee.AGREED)) {
                break; // back-pressure: the rest goes next cycle, in order
            }
            outbox.poll();
            n++;
        }
        return n;
    }

    @Override
    public void onMessage(int sender, Guarantee guarantee, DirectBuffer buffer, int offset, int length) {
        String[] f = buffer.getStringWithoutLengthUtf8(offset, length).split("\t", -1);
        try {
            int target = Integer.parseInt(f[1]);
            switch (f[0]) {
                case "set" -> {
                    if (f.length != 4) {
                        throw new IllegalArgumentException("set needs 4 fields");
                    }
                    update(target, f[2], f[3]);
                }
                case "del" -> {
                    if (f.length != 3) {
                        throw new IllegalArgumentException("del needs 3 fields");
                    }
                    update(target, f[2], null);
                }
                case "all" -> {
                    if (f.length % 2 != 0) {
                        throw new IllegalArgumentException("all needs name/value pairs");
                    }
                    Map<String, String> m = new TreeMap<>();
                    for (int i = 2; i + 1 < f.length; i += 2) {
                        m.put(f[i], f[i + 1]);
                    }
                    if (!m.equals(of(target))) {
                        values.put(target, Map.copyOf(m));
                        changes.incrementAndGet();
                    }
                }
                default -> throw new IllegalArgumentException("unknown kind '" + f[0] + "'");
            }
        } catch (RuntimeException e) {
            malformed.incrementAndGet();
            LOG.warn("node attributes: malformed message from node {} ignored: {}", sender, e.toString());
        }
    }

    private void update(int target, String name, String value) {
        Map<String, String> m = new TreeMap<>(of(target));
        boolean changed = value == null ? m.remove(name) != null : !value.equals(m.put(name, value));
        if (changed) {
            values.put(target, Map.copyOf(m));
            changes.incrementAndGet();
            LOG.info("node attribute {} of node {} {}", name, target, value == null ? "removed" : "= " + value);
        }
    }

    @Override
    public void onConfigurationChange(ConfigurationChange change) {
        if (!change.isRegular()) {
            return;
        }
        int[] now = change.members().clone();
        members = now;
        List<Integer> gone = new ArrayList<>();
        for (Integer n : values.keySet()) {
            if (java.util.Arrays.stream(now).noneMatch(m -> m == n)) {
                gone.add(n);
            }
        }
        gone.forEach(values::remove);
        if (!gone.isEmpty()) {
            changes.incrementAndGet();
        }
        // Our own set, as we know it, becomes everyone's: members that merged from another partition learn it.
        StringBuilder all = new StringBuilder("all\t").append(self);
        new TreeMap<>(of(self)).forEach((k, v) -> all.append('\t').append(k).append('\t').append(v));
        outbox.add(all.toString());
    }
}
