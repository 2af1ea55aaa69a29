package org.ringmaster.crm.simple.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.ringmaster.crm.api.ClusterView;
import org.ringmaster.crm.api.CrmContext;
import org.ringmaster.crm.api.fencing.FenceListener;
import org.ringmaster.crm.api.fencing.FenceRequest;
import org.ringmaster.crm.api.fencing.FenceResult;
import org.ringmaster.crm.api.fencing.FenceStatus;
import org.ringmaster.crm.api.fencing.Fencer;
import org.ringmaster.crm.api.resource.LocalResourceManager;
import org.ringmaster.membership.ConfigurationChange;
import org.ringmaster.membership.EvsChannel;
import org.ringmaster.membership.EvsListener;
import org.ringmaster.totem.Guarantee;

/**
 * A seeded, replayable simulated cluster of {@link SimpleCrm}s over an in-memory EVS fake (one totally ordered
 * queue per partition; on a configuration change a random prefix of the queued messages reaches every old
 * member and the rest only the sender's new partition, which is a valid EVS execution), {@link SimLrm}s with
 * dummy-like agents, and a fencer that powers nodes off (and reboots them after a while). Time is simulated in
 * 20 ms steps; the nodes' wall clocks read {@link #WALL_START} plus the simulated time. After every step
 * the invariants are checked: no resource physically active on two live nodes
 * (with fencing; without it, within one partition once a heal's grace has passed), no node's replicated view
 * showing a resource active on two nodes, at most one DC per configuration, and no start of a resource while a
 * lost node that held it is not yet fenced.
 */
final class SimCluster implements AutoCloseable {
    static final long STEP_NS = 20_000_000L;
    static final long GRACE_NS = 15_000_000_000L;
    /** The simulated wall clock at simulated time 0: every node's clock reads this plus the simulated time. */
    static final Instant WALL_START = Instant.parse("2026-01-01T00:00:00Z");

    final long seed;
    final Random random;
    final int size;
    final SimLog log;
    final String configText;
    final boolean fencingEnabled;
    final CrmSettings settings;
    final Path root;
    final Node[] nodes;
    long nowNs;
    boolean fencingWorks = true;
    long rebootDelayNs = 3_000_000_000L;
    private long ringSeq;
    private long lastMergeNs = Long.MIN_VALUE / 2;
    private final Map<Integer, Ring> ringOf = new HashMap<>();
    private final List<PendingFence> fences = new ArrayList<>();
    private final Map<Integer, Long> restartAt = new TreeMap<>();
    private final Map<Integer, Set<String>> unfencedLoss = new HashMap<>();
    /** Nodes whose CRM asked to be taken out (no-quorum-policy fence), handled after the step; and every one so far. */
    private final List<Integer> suicides = new ArrayList<>();
    final List<Integer> selfFenced = new ArrayList<>();
    private int checkedEvents;
    private long fenceIds;
    /** Node attributes as the host would report them (e.g. a ping score); settable by tests. */
    final Map<Integer, Map<String, String>> attributes = new HashMap<>();

    private record Msg(int sender, byte[] bytes) {
    }

    private static final class Ring {
        final long seq;
        final int[] members;
        final List<Msg> queue = new ArrayList<>();

        Ring(long seq, int[] members) {
            this.seq = seq;
            this.members = members;
        }
    }

    private record PendingFence(long due, FenceRequest request, String origin, CompletableFuture<FenceResult> future) {
    }

    SimCluster(long seed, int size, String configText, boolean fencingEnabled, Path root) {
        this.seed = seed;
        this.random = new Random(seed);
        this.size = size;
        this.configText = configText;
        this.fencingEnabled = fencingEnabled;
        this.root = root;
        this.log = new SimLog(() -> nowNs / 1_000_000);
        Path seedFile = root.resolve(configText.startsWith("<") ? "cib.xml" : "resources.conf");
        try {
            Files.createDirectories(root);
            Files.writeString(seedFile, configText);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        this.settings = new CrmSettings(seedFile, Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofSeconds(10),
                Duration.ofMillis(300));
        this.nodes = new Node[size + 1];
        for (int i = 1; i <= size; i++) {
            nodes[i] = new Node(i);
        }
        for (int i = 1; i <= size; i++) {
            boot(i);
        }
        reconfigure();
    }

    static String name(int id) {
        return "n" + id;
    }

    /** One simulated node: its view, channel, fencer and context, all in one. */
    final class Node implements CrmContext, ClusterView, EvsChannel, Fencer {
        final int id;
        final String name;
        final Path stateDir;
        boolean alive;
        int component;
        SimpleCrm crm;
        SimLrm lrm;
        EvsListener listener;
        MeterRegistry meters;
        final List<byte[]> unsent = new ArrayList<>();
        final List<FenceListener> fenceListeners = new ArrayList<>();
        int boots;

        Node(int id) {
            this.id = id;
            this.name = name(id);
            this.stateDir = root.resolve(name);
        }

        @Override public ClusterView view() { return this; }
        @Override public EvsChannel channel() { return this; }
        @Override public LocalResourceManager resources() { return lrm; }
        @Override public Fencer fencer() { return this; }
        @Override public MeterRegistry meters() { return meters; }
        @Override public Path stateDirectory() { return stateDir; }
        @Override public Map<String, String> settings() { return Map.of(); }
        @Override public int localNodeId() { return id; }
        @Override public int nodeId() { return id; }

        @Override
        public int[] members() {
            Ring r = ringOf.get(id);
            return r == null ? new int[0] : r.members.clone();
        }

        @Override
        public boolean isQuorate() {
            int n = 0;
            for (int i = 1; i <= size; i++) {
                n += nodes[i].alive && nodes[i].component == component ? 1 : 0;
            }
            return n * 2 > size;
        }

        @Override public String nodeName(int nodeId) { return name(nodeId); }
        @Override public Map<String, String> attributes(int nodeId) { return attributes.getOrDefault(nodeId, Map.of()); }

        @Override
        public boolean offer(DirectBuffer buffer, int offset, int length, Guarantee guarantee) {
            byte[] b = new byte[length];
            buffer.getBytes(offset, b);
            Ring r = ringOf.get(id);
            if (!alive) {
                return true;
            }
            if (r == null) {
                unsent.add(b);
            } else {
                r.queue.add(new Msg(id, b));
            }
            return true;
        }

        @Override public int maxMessageSize() { return 1 << 20; }
        @Override public void listener(EvsListener l) { listener = l; }

        @Override
        public CompletableFuture<FenceResult> fence(FenceRequest request) {
            CompletableFuture<FenceResult> f = new CompletableFuture<>();
            fences.add(new PendingFence(nowNs + (100 + random.nextInt(300)) * 1_000_000L, request, name, f));
            return f;
        }

        @Override public void addListener(FenceListener l) { fenceListeners.add(l); }
        @Override public void removeListener(FenceListener l) { fenceListeners.remove(l); }
        @Override public List<FenceResult> history() { return List.of(); }

        @Override
        public boolean selfFence(String reason) {
            suicides.add(id); // the node powers itself off at the end of this step
            return true;
        }
    }

    // ---- lifecycle of nodes ----------------------------------------------------------------------

    private void boot(int id) {
        Node n = nodes[id];
        n.alive = true;
        n.boots++;
        n.lrm = new SimLrm(n.name, seed * 31 + id * 1000L + n.boots, log);
        n.lrm.tick(nowNs);
        n.meters = new SimpleMeterRegistry();
        n.unsent.clear();
        n.crm = new SimpleCrm(settings, () -> WALL_START.plusNanos(nowNs));
        n.crm.start(n);
        unfencedLoss.remove(id);
    }

    /** The node dies: its process and every resource on it. */
    void crash(int id) {
        Node n = nodes[id];
        if (!n.alive) {
            return;
        }
        Set<String> held = n.lrm.runningSet();
        if (!held.isEmpty()) {
            unfencedLoss.computeIfAbsent(id, k -> new TreeSet<>()).addAll(held);
        }
        n.alive = false;
        n.lrm.powerOff();
        n.crm = null;
        n.listener = null;
        ringOf.remove(id);
        reconfigure();
    }

    void restart(int id) {
        if (nodes[id].alive) {
            return;
        }
        boot(id);
        reconfigure();
    }

    /** Splits the network: each array is one partition; unnamed nodes form one more. */
    void partition(int[]... groups) {
        for (int i = 1; i <= size; i++) {
            nodes[i].component = 0;
        }
        for (int g = 0; g < groups.length; g++) {
            for (int id : groups[g]) {
                nodes[id].component = g + 1;
            }
        }
        reconfigure();
    }

    void heal() {
        for (int i = 1; i <= size; i++) {
            nodes[i].component = 0;
        }
        reconfigure();
    }

    // ---- EVS fake ------------------------------------------------------------------------------

    private void reconfigure() {
        Map<Integer, List<Integer>> groups = new TreeMap<>();
        for (int i = 1; i <= size; i++) {
            if (nodes[i].alive) {
                groups.computeIfAbsent(nodes[i].component, k -> new ArrayList<>()).add(i);
            }
        }
        Map<Integer, int[]> newGroupOf = new HashMap<>();
        List<int[]> newGroups = new ArrayList<>();
        for (List<Integer> g : groups.values()) {
            int[] m = g.stream().mapToInt(Integer::intValue).toArray();
            newGroups.add(m);
            for (int id : m) {
                newGroupOf.put(id, m);
            }
        }
        // Old rings that change: cut their queues.
        Set<Ring> oldRings = new LinkedHashSet<>();
        for (int i = 1; i <= size; i++) {
            Ring r = ringOf.get(i);
            if (r != null) {
                oldRings.add(r);
            }
        }
        // also rings of nodes that just crashed (removed from ringOf): their queues are simply lost to them
        Set<Ring> changed = new HashSet<>();
        for (Ring r : oldRings) {
            boolean same = false;
            for (int[] g : newGroups) {
                same |= Arrays.equals(g, r.members);
            }
            if (same) {
                continue;
            }
            changed.add(r);
            int n = r.queue.size();
            int k = n == 0 ? 0 : random.nextInt(n + 1);
            for (int i = 0; i < n; i++) {
                Msg m = r.queue.get(i);
                for (int member : r.members) {
                    Node x = nodes[member];
                    if (!x.alive || ringOf.get(member) != r) {
                        continue;
                    }
                    boolean sameSide = newGroupOf.get(member) == newGroupOf.get(m.sender()) && nodes[m.sender()].alive;
                    if (i < k || sameSide) {
                        deliver(x, m);
                    }
                }
            }
            r.queue.clear();
        }
        for (int[] g : newGroups) {
            Ring old = ringOf.get(g[0]);
            if (old != null && Arrays.equals(old.members, g) && !changed.contains(old)) {
                continue;
            }
            Ring ring = new Ring(++ringSeq * 4, g);
            Map<Integer, int[]> previous = new HashMap<>();
            for (int id : g) {
                Ring p = ringOf.get(id);
                previous.put(id, p == null ? new int[0] : p.members);
                ringOf.put(id, ring);
            }
            boolean merge = false;
            for (int id : g) {
                int[] prev = previous.get(id);
                int[] trans = Arrays.stream(g).filter(x -> contains(prev, x)).toArray();
                int[] left = Arrays.stream(prev).filter(x -> !contains(g, x)).toArray();
                int[] joined = Arrays.stream(g).filter(x -> !contains(prev, x)).toArray();
                merge |= prev.length > 0 && joined.length > 0;
                ConfigurationChange.Reason reason = prev.length == 0 ? ConfigurationChange.Reason.START
                        : joined.length > 0 ? ConfigurationChange.Reason.MERGE : ConfigurationChange.Reason.TOKEN_LOSS;
                Node x = nodes[id];
                if (x.listener != null) {
                    x.listener.onConfigurationChange(new ConfigurationChange(ConfigurationChange.Kind.TRANSITIONAL,
                            ring.seq, g[0], trans.length == 0 ? new int[] {id} : trans, new int[0], left, reason));
                    x.listener.onConfigurationChange(new ConfigurationChange(ConfigurationChange.Kind.REGULAR,
                            ring.seq, g[0], g, joined, left, reason));
                }
                for (byte[] b : x.unsent) {
                    ring.queue.add(new Msg(id, b));
                }
                x.unsent.clear();
            }
            if (merge) {
                lastMergeNs = nowNs;
            }
        }
    }

    private static boolean contains(int[] a, int x) {
        return Arrays.stream(a).anyMatch(y -> y == x);
    }

    private void deliver(Node x, Msg m) {
        if (x.listener != null) {
            x.listener.onMessage(m.sender(), Guarantee.AGREED, new UnsafeBuffer(m.bytes()), 0, m.bytes().length);
        }
    }

    private void deliverAll() {
        Set<Ring> rings = new LinkedHashSet<>(ringOf.values());
        for (Ring r : rings) {
            int n = r.queue.size();
            int count = random.nextInt(4) == 0 ? random.nextInt(n + 1) : n;
            for (int i = 0; i < count; i++) {
                Msg m = r.queue.get(i);
                for (int member : r.members) {
                    if (nodes[member].alive && ringOf.get(member) == r) {
                        deliver(nodes[member], m);
                    }
                }
            }
            r.queue.subList(0, count).clear();
        }
    }

    // ---- time ------------------------------------------------------------------------------------

    void step() {
        nowNs += STEP_NS;
        for (var it = restartAt.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (e.getValue() <= nowNs) {
                it.remove();
                restart(e.getKey());
            }
        }
        for (PendingFence f : new ArrayList<>(fences)) {
            if (f.due() <= nowNs) {
                fences.remove(f);
                completeFence(f);
            }
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 1; i <= size; i++) {
            order.add(i);
        }
        Collections.shuffle(order, random);
        for (int id : order) {
            Node n = nodes[id];
            if (n.alive) {
                n.lrm.tick(nowNs);
                n.crm.doWork(nowNs);
            }
        }
        for (int id : suicides) {
            selfFenced.add(id);
            crash(id);
            if (rebootDelayNs >= 0) {
                restartAt.put(id, nowNs + rebootDelayNs);
            }
        }
        suicides.clear();
        deliverAll();
        check();
    }

    private void completeFence(PendingFence f) {
        String target = f.request().target();
        Node victim = null;
        for (int i = 1; i <= size; i++) {
            if (nodes[i].name.equals(target)) {
                victim = nodes[i];
            }
        }
        boolean ok = fencingWorks && victim != null;
        if (ok) {
            log.fenced(target);
            crash(victim.id);
            unfencedLoss.remove(victim.id);
            if (rebootDelayNs >= 0) {
                restartAt.put(victim.id, nowNs + rebootDelayNs);
            }
        }
        FenceResult r = new FenceResult(++fenceIds, target, f.request().action(),
                ok ? FenceStatus.SUCCEEDED : FenceStatus.FAILED, f.origin(), ok ? "sim" : "", ok ? "sim-power" : "",
                ok ? "" : "simulated fencing failure", Instant.EPOCH);
        for (int i = 1; i <= size; i++) {
            if (nodes[i].alive) {
                nodes[i].fenceListeners.forEach(l -> l.onFenceResult(r));
            }
        }
        f.future().complete(r);
    }

    void runFor(long ms) {
        long end = nowNs + ms * 1_000_000L;
        while (nowNs < end) {
            step();
        }
    }

    /** Steps until the condition holds (checked after each step); false if it did not within {@code maxMs}. */
    boolean runUntil(BooleanSupplier condition, long maxMs) {
        long end = nowNs + maxMs * 1_000_000L;
        while (nowNs < end) {
            step();
            if (condition.getAsBoolean()) {
                return true;
            }
        }
        return false;
    }

    /** Submits a command on node {@code id} and steps until it is applied there. */
    CommandResult command(int id, String... words) {
        CompletableFuture<CommandResult> f = nodes[id].crm.submit(List.of(words));
        runUntil(f::isDone, 10_000);
        return f.getNow(new CommandResult(CommandResult.TIMED_OUT, "not applied in simulated time"));
    }

    // ---- observations ----------------------------------------------------------------------------

    /** Live nodes on which the resource physically runs. */
    List<String> runningOn(String rsc) {
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= size; i++) {
            if (nodes[i].alive && nodes[i].lrm.isRunning(rsc)) {
                out.add(nodes[i].name);
            }
        }
        return out;
    }

    /** The DC as the live node {@code id} sees it (-1 when none). */
    int dcSeenBy(int id) {
        return nodes[id].alive ? nodes[id].crm.replicated().dc() : -1;
    }

    /** The transition running as the node sees it, or null. */
    TransitionRun transitionSeenBy(int id) {
        return nodes[id].alive ? nodes[id].crm.replicated().current() : null;
    }

    boolean allSynced() {
        for (int i = 1; i <= size; i++) {
            if (nodes[i].alive && !nodes[i].crm.replicated().synced()) {
                return false;
            }
        }
        return true;
    }

    /** Every live node is synced, agrees with its DC's state, and the DC has nothing left to do. */
    boolean quiet() {
        if (!allSynced()) {
            return false;
        }
        for (int i = 1; i <= size; i++) {
            if (!nodes[i].alive) {
                continue;
            }
            ReplicatedState s = nodes[i].crm.replicated();
            if (!nodes[i].crm.idle()) {
                return false;
            }
            for (NodeRecord r : s.records().values()) {
                if (!r.pending().isEmpty()) {
                    return false;
                }
            }
        }
        return fences.isEmpty();
    }

    // ---- invariants ------------------------------------------------------------------------------

    private void check() {
        boolean grace = nowNs - lastMergeNs < GRACE_NS;
        Map<String, List<Integer>> physical = new TreeMap<>();
        for (int i = 1; i <= size; i++) {
            if (nodes[i].alive) {
                for (String rsc : nodes[i].lrm.runningSet()) {
                    physical.computeIfAbsent(rsc, k -> new ArrayList<>()).add(i);
                }
            }
        }
        for (var e : physical.entrySet()) {
            List<Integer> on = e.getValue();
            if (on.size() < 2) {
                continue;
            }
            if (fencingEnabled) {
                log.violation(e.getKey() + " runs on nodes " + on + " at once");
            } else if (!grace) {
                for (int a = 0; a < on.size(); a++) {
                    for (int b = a + 1; b < on.size(); b++) {
                        if (nodes[on.get(a)].component == nodes[on.get(b)].component) {
                            log.violation(e.getKey() + " runs on " + on + " within one partition");
                        }
                    }
                }
            }
        }
        // fencing precedes recovery
        for (; checkedEvents < log.events.size(); checkedEvents++) {
            SimLog.Event ev = log.events.get(checkedEvents);
            if (fencingEnabled && ev.kind().equals("start-submitted")) {
                for (var e : unfencedLoss.entrySet()) {
                    if (!name(e.getKey()).equals(ev.node()) && e.getValue().contains(ev.rsc())) {
                        log.violation("start of " + ev.rsc() + " on " + ev.node() + " before lost " + name(e.getKey())
                                + " was fenced");
                    }
                }
            }
        }
        // views and DCs
        Map<Ring, Set<Integer>> dcs = new HashMap<>();
        for (int i = 1; i <= size; i++) {
            Node n = nodes[i];
            if (!n.alive) {
                continue;
            }
            ReplicatedState s = n.crm.replicated();
            if (!s.synced()) {
                continue;
            }
            Ring ring = ringOf.get(i);
            if (s.isDc()) {
                dcs.computeIfAbsent(ring, k -> new TreeSet<>()).add(i);
            }
            if (grace) {
                continue;
            }
            Map<String, Integer> active = new HashMap<>();
            for (NodeRecord r : s.records().values()) {
                boolean counts = s.isMember(r.uname()) || (fencingEnabled && r.expectedUp());
                if (!counts) {
                    continue;
                }
                for (var e : r.resources().entrySet()) {
                    if (e.getValue().active() && active.merge(e.getKey(), 1, Integer::sum) == 2) {
                        log.violation("view of " + n.name + ": " + e.getKey() + " active on two nodes: " + s.records());
                    }
                }
            }
        }
        dcs.forEach((ring, set) -> {
            if (set.size() > 1) {
                log.violation("configuration " + ring.seq + " has DCs " + set);
            }
        });
    }

    @Override
    public void close() throws IOException {
        for (int i = 1; i <= size; i++) {
            if (nodes[i].alive) {
                nodes[i].crm.close();
            }
        }
        if (Files.exists(root)) {
            try (var walk = Files.walk(root)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
