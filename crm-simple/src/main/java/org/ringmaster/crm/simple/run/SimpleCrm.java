package org.ringmaster.crm.simple.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import io.micrometer.core.instrument.Counter;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.ringmaster.crm.api.ClusterResourceManager;
import org.ringmaster.crm.api.ClusterView;
import org.ringmaster.crm.api.CrmContext;
import org.ringmaster.crm.api.fencing.FenceRequest;
import org.ringmaster.crm.api.resource.OperationResult;
import org.ringmaster.crm.api.resource.OperationStatus;
import org.ringmaster.crm.api.resource.ResourceAgentId;
import org.ringmaster.crm.api.resource.ResourceOperation;
import org.ringmaster.crm.simple.model.Configuration;
import org.ringmaster.crm.simple.model.Meta;
import org.ringmaster.crm.simple.model.Operation;
import org.ringmaster.crm.simple.model.Primitive;
import org.ringmaster.crm.simple.model.Role;
import org.ringmaster.crm.simple.model.Score;
import org.ringmaster.crm.simple.policy.Action;
import org.ringmaster.crm.simple.policy.PolicyEngine;
import org.ringmaster.crm.simple.policy.Transition;
import org.ringmaster.membership.ConfigurationChange;
import org.ringmaster.membership.EvsListener;
import org.ringmaster.totem.Guarantee;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simple CRM on a live cluster: replicates configuration and status through the ordered channel
 * ({@link ReplicatedState}), runs the policy engine on the designated coordinator, and carries out
 * transitions on every node through the local resource manager and the fencer. See the package
 * documentation for the protocol and its rules.
 *
 * <p>Threading as {@link ClusterResourceManager} says: everything runs on the host's agent thread; LRM and
 * fencer callbacks are queued and handled in {@link #doWork}. {@link #submit} and {@link #snapshot} may be
 * called from any thread.
 */
public final class SimpleCrm implements ClusterResourceManager {
    private static final Logger LOG = LoggerFactory.getLogger(SimpleCrm.class);
    /** Node records are written to disk at most this often (configuration changes at once). */
    private static final long RECORD_PERSIST_NS = Duration.ofSeconds(1).toNanos();

    private final CrmSettings fixedSettings;
    /** The wall clock: failure times and the engine's "now" (date rules, failure-timeout). */
    private final java.time.InstantSource wall;
    private CrmContext ctx;
    private CrmSettings settings;
    private StateStore store;
    private ReplicatedState state;
    private ClusterView view;

    private final Queue<Runnable> inbox = new ConcurrentLinkedQueue<>();
    private final Queue<CrmMessage.Command> commands = new ConcurrentLinkedQueue<>();
    private final Map<Long, CompletableFuture<CommandResult>> awaiting = new ConcurrentHashMap<>();
    private final AtomicLong requestIds = new AtomicLong();
    private final ArrayDeque<byte[]> outbox = new ArrayDeque<>();
    private volatile CrmSnapshot snapshot;
    private volatile boolean closed;

    private long now;
    // this node as executor
    private final Set<String> claimed = new HashSet<>();
    private final Map<String, ResourceOperation> monitors = new TreeMap<>();
    private final Set<String> probing = new HashSet<>();
    private boolean announce;
    private Object localKey;
    // this node as DC
    private final Map<String, Long> runningSince = new HashMap<>();
    private final Set<String> timeoutsSent = new HashSet<>();
    private boolean planSent;
    private long plannedVersion = -1;
    private List<Object> plannedView;
    private long notBefore;
    private long lastFinishedTid = -1;
    private String lastPlanError;
    /** When the DC decides again without any event (cluster-recheck-interval or a known time boundary). */
    private boolean recheckArmed;
    private long recheckAtNs;
    /** Expired fail-counts already asked to be cleared in this configuration (node, instance, failure time). */
    private final Set<String> expirySent = new HashSet<>();
    // persistence and snapshots
    private long savedEpoch = -1;
    private Object savedKey;
    private long lastRecordSave;
    private Object snapshotKey;
    private AutoCloseable lrmListener;
    private Alerts alerts;
    private int[] lastSyncedMembers = new int[0];
    // no-quorum-policy fence: whether (and since when) the configuration was found without quorum at its sync,
    // and whether the node is fencing itself (stops sent, waiting for them) or has been fenced (nothing more)
    private boolean inquorate;
    private long inquorateSince;
    private boolean selfFencing;
    private volatile boolean selfFenced;
    /** When the last sync completed (the no-quorum delay counts from there). */
    private long syncedAt;

    private Counter transitions;
    private Counter actionsOk;
    private Counter actionsFailed;
    private Counter malformed;
    private Counter errors;
    private Counter rechecks;
    private Counter expiredFailures;
    private final AtomicInteger isDcGauge = new AtomicInteger();

    /** A CRM configured from the context's settings (the plugin's way). */
    public SimpleCrm() {
        this(null);
    }

    /** A CRM with the given settings, ignoring the context's (tests, embedding). */
    public SimpleCrm(CrmSettings settings) {
        this(settings, java.time.InstantSource.system());
    }

    /**
     * A CRM with the given settings (null: the context's) and wall clock. The clock gives failure times and the
     * policy engine's "now"; the recheck timer runs on the host's monotonic {@code doWork} time, so a
     * simulation drives both from its virtual clock.
     */
    public SimpleCrm(CrmSettings settings, java.time.InstantSource wallClock) {
        this.fixedSettings = settings;
        this.wall = java.util.Objects.requireNonNull(wallClock, "wallClock");
    }

    @Override
    public void start(CrmContext context) {
        this.ctx = context;
        this.settings = fixedSettings != null ? fixedSettings : CrmSettings.from(context.settings());
        this.view = context.view();
        this.store = new StateStore(context.stateDirectory());
        int self = context.view().localNodeId();
        ConfigDocument cfg;
        List<NodeRecord> known = List.of();
        long nextTid = 1;
        var persisted = store.load();
        if (persisted.isPresent()) {
            cfg = persisted.get().config();
            known = persisted.get().records();
            nextTid = persisted.get().nextTransitionId();
            LOG.info("CRM state loaded from {}: configuration epoch {}", store.file(), cfg.epoch());
        } else {
            cfg = seed(settings.configFile());
        }
        var meters = context.meters();
        transitions = Counter.builder("ringmaster.crm.transitions").description("transitions planned as DC")
                .register(meters);
        actionsOk = Counter.builder("ringmaster.crm.actions").tag("result", "ok").register(meters);
        actionsFailed = Counter.builder("ringmaster.crm.actions").tag("result", "failed").register(meters);
        malformed = Counter.builder("ringmaster.crm.messages.malformed").register(meters);
        errors = Counter.builder("ringmaster.crm.errors").description("unexpected errors caught by the CRM")
                .register(meters);
        meters.gauge("ringmaster.crm.dc", isDcGauge);
        rechecks = Counter.builder("ringmaster.crm.rechecks")
                .description("decisions the DC made again because time passed (recheck interval or a time boundary)")
                .register(meters);
        expiredFailures = Counter.builder("ringmaster.crm.failcounts.expired")
                .description("fail-counts the DC cleared because failure-timeout expired them").register(meters);
        state = new ReplicatedState(self, view::nodeName, new Effects(), cfg, known, nextTid);
        alerts = new Alerts(settings.alertProgram(), settings.alertTimeout(), settings.alertRecipient());
        lrmListener = context.resources().addListener(r -> {
            if (r.operation().isRecurring()) {
                inbox.add(() -> onMonitorResult(r));
            }
        });
        context.channel().listener(new Listener());
        publish();
    }

    private static ConfigDocument seed(Path file) {
        if (file == null) {
            return ConfigDocument.EMPTY;
        }
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            String format = file.getFileName().toString().endsWith(".xml") ? ConfigDocument.CIB : ConfigDocument.NATIVE;
            ConfigDocument.parse(format, text, List.of());
            return new ConfigDocument(0, 0, format, text, new TreeMap<>());
        } catch (IOException e) {
            throw new IllegalArgumentException("crm.config = " + file + ": cannot read: " + e.getMessage(), e);
        } catch (ConfigDocument.ConfigException e) {
            throw new IllegalArgumentException("crm.config = " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Sends an administrative command (e.g. {@code resource move web node2}) through the ordered channel.
     * Thread-safe.
     *
     * @return completes when the command was applied here (and so, in the same order, on every member)
     */
    public CompletableFuture<CommandResult> submit(List<String> words) {
        CompletableFuture<CommandResult> f = new CompletableFuture<>();
        if (closed) {
            f.complete(CommandResult.failed("the CRM is stopped"));
            return f;
        }
        long id = requestIds.incrementAndGet();
        awaiting.put(id, f);
        commands.add(new CrmMessage.Command(id, words));
        return f;
    }

    /** The latest published state; never null after {@link #start}. */
    public CrmSnapshot snapshot() {
        return snapshot;
    }

    @Override
    public int doWork(long nowNs) {
        if (closed) {
            return 0;
        }
        this.now = nowNs;
        try {
            return duty();
        } catch (RuntimeException e) {
            // A bug must not stop the node's CRM: count it, log it, carry on with the next cycle.
            errors.increment();
            LOG.error("CRM duty cycle failed", e);
            return 0;
        }
    }

    private int duty() {
        int work = 0;
        Runnable r;
        while ((r = inbox.poll()) != null) {
            r.run();
            work++;
        }
        if (selfFenced) {
            return work;
        }
        work += noQuorumFence();
        if (selfFencing) {
            work += flush();
            publish();
            return work; // only the stops' results matter now
        }
        CrmMessage.Command c;
        while ((c = commands.poll()) != null) {
            send(c);
            work++;
        }
        if (state.synced()) {
            work += executorDuties();
            if (state.isDc()) {
                work += coordinatorDuties();
            }
        }
        isDcGauge.set(state.isDc() ? 1 : 0);
        if (announce) {
            announce = false;
            send(new CrmMessage.NodeUpdate(-1, -1, CrmMessage.NodeUpdate.NONE, state.mine()));
        }
        work += flush();
        persist();
        publish();
        return work;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (lrmListener != null) {
            try {
                lrmListener.close();
            } catch (Exception e) {
                LOG.debug("closing the LRM listener: {}", e.toString());
            }
        }
        if (alerts != null) {
            alerts.close();
        }
        awaiting.values().forEach(f -> f.complete(new CommandResult(CommandResult.TIMED_OUT, "the CRM stopped")));
        awaiting.clear();
        if (state != null) {
            savedKey = null;
            lastRecordSave = Long.MIN_VALUE / 2;
            persist();
        }
    }

    // ---- the channel -----------------------------------------------------------------------------

    private final class Listener implements EvsListener {
        @Override
        public void onMessage(int sender, Guarantee guarantee, DirectBuffer buffer, int offset, int length) {
            if (closed) {
                return;
            }
            byte[] bytes = new byte[length];
            buffer.getBytes(offset, bytes);
            CrmMessage m;
            try {
                m = Wire.decode(bytes, 0, length);
            } catch (IllegalArgumentException e) {
                malformed.increment();
                LOG.warn("malformed CRM message from node {} ({} bytes) ignored: {}", sender, length, e.getMessage());
                return;
            }
            if (m instanceof CrmMessage.Plan && sender == view.localNodeId()) {
                planSent = false;
            }
            try {
                state.apply(sender, m);
            } catch (RuntimeException e) {
                errors.increment();
                LOG.error("applying {} from node {} failed", m.getClass().getSimpleName(), sender, e);
            }
        }

        @Override
        public void onConfigurationChange(ConfigurationChange change) {
            if (closed || selfFenced) {
                return;
            }
            inquorate = false; // judged again when this configuration's sync completes
            state.onConfigurationChange(change);
            if (change.isRegular()) {
                planSent = false;
                List<NodeRecord> records = new ArrayList<>(state.records().values());
                records.replaceAll(x -> x.uname().equals(state.self()) ? state.mine() : x);
                send(new CrmMessage.Sync(change.ringSeq(), state.config(), records, state.nextTid()));
            }
        }
    }

    private void send(CrmMessage m) {
        byte[] bytes = Wire.encode(m);
        if (bytes.length > ctx.channel().maxMessageSize()) {
            LOG.error("CRM message {} of {} bytes exceeds the channel's limit of {} bytes; not sent",
                    m.getClass().getSimpleName(), bytes.length, ctx.channel().maxMessageSize());
            return;
        }
        outbox.add(bytes);
    }

    private int flush() {
        int n = 0;
        while (!outbox.isEmpty()) {
            byte[] b = outbox.peek();
            if (!ctx.channel().offer(new UnsafeBuffer(b), 0, b.length, Guarantee.AGREED)) {
                break; // back-pressure: retry next cycle, in order
            }
            outbox.poll();
            n++;
        }
        return n;
    }

    private final class Effects implements ReplicatedState.Effects {
        @Override
        public void run(long tid, Action a) {
            execute(tid, a);
        }

        @Override
        public void running(long tid, int idx) {
            runningSince.put(tid + ":" + idx, now);
        }

        @Override
        public void commandApplied(int sender, long requestId, int exitCode, String text) {
            if (sender == view.localNodeId()) {
                CompletableFuture<CommandResult> f = awaiting.remove(requestId);
                if (f != null) {
                    f.complete(new CommandResult(exitCode, text));
                }
            }
        }

        @Override
        public void ownRecordChanged() {
            announce = true;
        }

        @Override
        public void fencedWhileMember(String detail) {
            Configuration cfg = state.configuration();
            if (cfg != null) {
                stopAllAndSelfFence("the cluster fenced this node while it is still a member: " + detail, cfg);
            }
        }

        @Override
        public void synced() {
            expirySent.clear();
            claimed.clear();
            runningSince.clear();
            timeoutsSent.clear();
            int[] members = state.members();
            for (int m : members) {
                if (java.util.Arrays.stream(lastSyncedMembers).noneMatch(x -> x == m)) {
                    alerts.node(state.name(m), m, "member");
                }
            }
            for (int m : lastSyncedMembers) {
                if (java.util.Arrays.stream(members).noneMatch(x -> x == m)) {
                    alerts.node(state.name(m), m, "lost");
                }
            }
            lastSyncedMembers = members;
            inquorate = !view.isQuorate();
            inquorateSince = now;
            syncedAt = now;
            LOG.info("CRM synced: members {}, DC {}, configuration epoch {}", java.util.Arrays.toString(state.members()),
                    state.dc(), state.config().epoch());
        }
    }

    // ---- no-quorum-policy fence ------------------------------------------------------------------

    /**
     * no-quorum-policy fence (suicide): a configuration found without quorum when its sync completed, and still
     * without it no-quorum-delay later (no merge brought quorum back), makes a node that runs anything stop it all
     * at once, without waiting for a coordinator, and then ask the host to take it out of the cluster. The quorum
     * state is judged only from completed syncs (a regular configuration with a live ring), never during a
     * membership change, when the host's lease-based quorum lapses for a moment on every node.
     */
    private int noQuorumFence() {
        if (!inquorate || selfFencing) {
            return 0;
        }
        Configuration cfg = state.configuration();
        if (view.isQuorate() || !state.synced() || cfg == null
                || cfg.options().noQuorumPolicy() != org.ringmaster.crm.simple.model.NoQuorumPolicy.FENCE) {
            inquorate = !view.isQuorate() && state.synced();
            return 0;
        }
        if (now - inquorateSince < settings.noQuorumDelay().toNanos()
                || state.mine().resources().values().stream().noneMatch(LocalState::active)) {
            return 0; // a node that runs nothing has nothing to fence (e.g. one booting before the others)
        }
        String reason = "no quorum in configuration " + java.util.Arrays.toString(state.members()) + " for "
                + settings.noQuorumDelay().toMillis() + " ms and no-quorum-policy is fence";
        return stopAllAndSelfFence(reason, cfg);
    }

    /**
     * Stops every active resource here at once, without waiting for a coordinator, then asks the host to take
     * this node out of the cluster: for no-quorum-policy fence, and when the cluster fenced this node while it is
     * still a member (the device reported success but this node lives on: like a node told it was "allegedly
     * just fenced", it must not go on as if nothing happened, or the coordinator would fence it again and again).
     */
    private int stopAllAndSelfFence(String reason, Configuration cfg) {
        if (selfFencing || selfFenced) {
            return 0;
        }
        selfFencing = true;
        LOG.error("self-fencing: {}; stopping every resource here at once", reason);
        alerts.node(state.self(), view.localNodeId(), "self-fence");
        for (ResourceOperation op : monitors.values()) {
            ctx.resources().cancelRecurring(op.resourceId(), op.action(), op.interval());
        }
        monitors.clear();
        Map<String, Primitive> instances = ReplicatedState.instances(cfg);
        List<CompletableFuture<?>> stops = new ArrayList<>();
        for (Map.Entry<String, LocalState> e : state.mine().resources().entrySet()) {
            Primitive p = instances.get(e.getKey());
            if (p == null || !e.getValue().active()) {
                continue;
            }
            try {
                String id = e.getKey();
                stops.add(ctx.resources().execute(operation(id, p, "stop", Duration.ZERO)).whenComplete((res, ex) ->
                        inbox.add(() -> {
                            boolean ok = res != null && res.isDone() && (res.rc() == 0 || res.rc() == 7);
                            LOG.info("self-fencing: stop of {} {}", id, ok ? "done" : "FAILED: " + res);
                            state.updateMine(state.mine().withState(id, ok ? LocalState.STOPPED
                                    : LocalState.failed("stop", 0, res == null ? 1 : res.rc(), false, true)));
                            announce = true;
                        })));
            } catch (IllegalArgumentException bad) {
                LOG.error("self-fencing: {} cannot be stopped: {}", e.getKey(), bad.getMessage());
            }
        }
        CompletableFuture.allOf(stops.toArray(new CompletableFuture<?>[0]))
                .whenComplete((v, ex) -> inbox.add(() -> selfFenced(reason)));
        return 1;
    }

    private void selfFenced(String reason) {
        if (ctx.selfFence(reason)) {
            selfFenced = true;
            LOG.error("self-fenced: the host takes this node out of the cluster");
            publish();
            return;
        }
        // The host cannot: stay in the partition with everything stopped, as no-quorum-policy stop would.
        LOG.warn("self-fencing: the host cannot fence this node; its resources stay stopped (as no-quorum-policy "
                + "stop)");
        selfFencing = false;
        inquorate = false;
        localKey = null;
    }

    /** Whether this node fenced itself (no-quorum-policy fence); any thread. */
    public boolean isSelfFenced() {
        return selfFenced;
    }

    // ---- this node as executor -------------------------------------------------------------------

    private int executorDuties() {
        int work = 0;
        TransitionRun cur = state.current();
        if (cur != null && !cur.aborted) {
            for (int i = 0; i < cur.actions.size(); i++) {
                Action a = cur.actions.get(i);
                if (cur.ready(i) && state.executor(a).equals(state.self()) && claimed.add(cur.id + ":" + i)) {
                    send(new CrmMessage.Exec(cur.id, i));
                    work++;
                }
            }
        }
        Configuration cfg = state.configuration();
        if (cfg == null) {
            return work;
        }
        Object key = List.of(state.mine().stamp(), state.config().epoch(), state.knownNodes());
        if (key.equals(localKey)) {
            return work;
        }
        localKey = key;
        Map<String, Primitive> instances = ReplicatedState.instances(cfg);
        NodeRecord mine = state.mine();
        for (Map.Entry<String, Primitive> e : instances.entrySet()) {
            String id = e.getKey();
            if (!mine.probed().contains(id) && !mine.pending().contains(id) && probing.add(id)) {
                probe(id, e.getValue());
                work++;
            }
        }
        work += reconcileMonitors(cfg, instances);
        return work;
    }

    private ResourceOperation operation(String id, Primitive p, String action, Duration interval) {
        ResourceAgentId agent = new ResourceAgentId(p.agentClass(), p.provider() == null ? "" : p.provider(), p.type());
        Map<String, String> meta = new LinkedHashMap<>();
        p.meta().values().forEach((k, v) -> {
            if (!k.isEmpty()) {
                meta.put(k, v);
            }
        });
        return new ResourceOperation(id, agent, action, p.params(), meta, settings.actionTimeout(), interval);
    }

    private void probe(String id, Primitive p) {
        ResourceOperation op;
        try {
            op = operation(id, p, ResourceOperation.MONITOR, Duration.ZERO);
        } catch (IllegalArgumentException bad) {
            LOG.error("resource {}: cannot be probed: {}", id, bad.getMessage());
            inbox.add(() -> onProbe(id, new LocalState(Role.STOPPED, false, false, false, true, "", 0, 6)));
            return;
        }
        ctx.resources().execute(op).whenComplete((r, ex) ->
                inbox.add(() -> onProbe(id, r == null ? LocalState.failed("monitor", 0, 1, false, false) : probed(r))));
    }

    private static LocalState probed(OperationResult r) {
        if (r.status() == OperationStatus.NOT_INSTALLED || (r.isDone() && r.rc() == 5)) {
            return new LocalState(Role.STOPPED, false, false, false, true, "", 0, r.rc());
        }
        if (!r.isDone()) {
            return LocalState.failed("monitor", 0, r.rc(), false, false);
        }
        return switch (r.rc()) {
            case 0 -> LocalState.STARTED;
            case 7 -> LocalState.STOPPED;
            case 8 -> new LocalState(Role.PROMOTED, false, false, false, false, "", 0, 0);
            default -> LocalState.failed("monitor", 0, r.rc(), false, false);
        };
    }

    private void onProbe(String id, LocalState s) {
        probing.remove(id);
        state.updateMine(state.mine().withState(id, s).withProbed(id, true));
        announce = true;
    }

    private int reconcileMonitors(Configuration cfg, Map<String, Primitive> instances) {
        NodeRecord mine = state.mine();
        boolean maintenance = cfg.node(state.self()).map(n -> Meta.truthy(n.attributes().getOrDefault("maintenance",
                "false"))).orElse(false);
        Map<String, ResourceOperation> desired = new TreeMap<>();
        for (Map.Entry<String, LocalState> e : mine.resources().entrySet()) {
            LocalState s = e.getValue();
            Primitive p = instances.get(e.getKey());
            if (p == null || maintenance || !s.active() || s.failed() || mine.pending().contains(e.getKey())) {
                continue;
            }
            for (Operation o : p.operations()) {
                if (o.name().equals("monitor") && o.intervalMs() > 0 && roleMatches(o.role(), s.role())) {
                    try {
                        ResourceOperation op = operation(e.getKey(), p, "monitor", Duration.ofMillis(o.intervalMs()));
                        desired.put(op.key(), op);
                    } catch (IllegalArgumentException bad) {
                        LOG.error("resource {}: monitor not started: {}", e.getKey(), bad.getMessage());
                    }
                }
            }
        }
        int work = 0;
        for (var it = monitors.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (!desired.containsKey(e.getKey())) {
                ResourceOperation op = e.getValue();
                ctx.resources().cancelRecurring(op.resourceId(), op.action(), op.interval());
                it.remove();
                work++;
            }
        }
        for (var e : desired.entrySet()) {
            if (!monitors.containsKey(e.getKey())) {
                ctx.resources().startRecurring(e.getValue());
                monitors.put(e.getKey(), e.getValue());
                work++;
            }
        }
        return work;
    }

    private static boolean roleMatches(Role opRole, Role current) {
        if (opRole == null || opRole == Role.STARTED || opRole == Role.UNPROMOTED) {
            return current != Role.PROMOTED;
        }
        return opRole == current;
    }

    private void onMonitorResult(OperationResult r) {
        String key = r.operation().key();
        String id = r.resourceId();
        LocalState s = state.mine().state(id);
        if (!monitors.containsKey(key) || !s.active() || s.failed()) {
            return; // stale: the resource was stopped or already failed since
        }
        boolean ok = r.isDone() && (r.rc() == 0 || (r.rc() == 8 && s.role() == Role.PROMOTED));
        if (ok) {
            return;
        }
        LOG.warn("monitor failed: {}", r);
        alerts.resource(state.self(), id, "monitor", r.operation().interval().toMillis(), r.rc(), 0,
                r.rc() == 7 ? "not running" : "error");
        if (ignoresFailures(id, r.operation().interval().toMillis())) {
            return; // on-fail=ignore: reported, but the resource is treated as healthy and stays monitored
        }
        ctx.resources().cancelRecurring(id, r.action(), r.operation().interval());
        monitors.remove(key);
        NodeRecord mine = state.mine();
        mine = mine.withState(id, LocalState.failed("monitor", r.operation().interval().toMillis(), r.rc(), false,
                false)).withFailCount(id, Score.add(mine.failCount(id), 1), wall.millis());
        state.updateMine(mine);
        announce = false;
        send(new CrmMessage.NodeUpdate(-1, -1, CrmMessage.NodeUpdate.ABORT, mine));
    }

    /** The instance's monitor with this interval is configured with on-fail=ignore. */
    private boolean ignoresFailures(String id, long intervalMs) {
        Configuration cfg = state.configuration();
        Primitive p = cfg == null ? null : ReplicatedState.instances(cfg).get(id);
        return p != null && p.operations().stream().anyMatch(o -> o.name().equals("monitor")
                && o.intervalMs() == intervalMs && "ignore".equals(o.onFail()));
    }

    /** Runs an action whose claim was accepted. */
    private void execute(long tid, Action a) {
        if (a.kind().equals("fence")) {
            FenceRequest req = FenceRequest.reboot(a.node(), "node " + a.node() + " is lost (transition " + tid + ")");
            ctx.fencer().fence(req).whenComplete((r, ex) -> inbox.add(() -> {
                boolean ok = r != null && r.succeeded();
                String detail = r != null ? r.toString() : "fencer error: " + ex;
                (ok ? actionsOk : actionsFailed).increment();
                LOG.info("fencing of {} for transition {}: {}", a.node(), tid, detail);
                alerts.fencing(a.node(), req.action().agentName(), ok, detail);
                send(new CrmMessage.Fenced(tid, a.index(), a.node(), ok, detail));
            }));
            return;
        }
        if (a.kind().equals("monitor")) {
            // Recurring monitors follow the resource's state on this node (reconcileMonitors).
            send(new CrmMessage.NodeUpdate(tid, a.index(), CrmMessage.NodeUpdate.DONE, state.mine()));
            return;
        }
        Configuration cfg = state.configuration();
        Primitive p = cfg == null ? null : ReplicatedState.instances(cfg).get(a.resource());
        ResourceOperation op = null;
        String problem = null;
        if (p == null) {
            problem = a.resource() + " is not (any more) configured";
        } else {
            try {
                op = migrationMeta(tid, a, operation(a.resource(), p, a.kind(), Duration.ZERO));
            } catch (IllegalArgumentException bad) {
                problem = bad.getMessage();
            }
        }
        state.updateMine(state.mine().withPending(a.resource(), true));
        if (op == null) {
            LOG.error("{} not run: {}", a.describe(), problem);
            inbox.add(() -> onActionResult(tid, a, false, 6));
            return;
        }
        ctx.resources().execute(op).whenComplete((r, ex) -> inbox.add(() -> {
            if (r == null) {
                onActionResult(tid, a, false, 1);
            } else {
                LOG.debug("{}: {}", a.describe(), r);
                boolean ok = r.isDone() && (r.rc() == 0 || (a.kind().equals("stop") && r.rc() == 7));
                onActionResult(tid, a, ok, r.rc());
            }
        }));
    }

    /**
     * A migrate_to/migrate_from tells the agent both ends (meta migrate_source / migrate_target), as
     * OCF agents expect; the other end is the partner action of the same transition.
     */
    private ResourceOperation migrationMeta(long tid, Action a, ResourceOperation op) {
        boolean to = a.kind().equals("migrate_to");
        if (!to && !a.kind().equals("migrate_from")) {
            return op;
        }
        TransitionRun cur = state.current();
        String other = null;
        if (cur != null && cur.id == tid) {
            for (Action b : cur.actions) {
                if (b.resource() != null && b.resource().equals(a.resource())
                        && b.kind().equals(to ? "migrate_from" : "migrate_to")) {
                    other = b.node();
                }
            }
        }
        Map<String, String> meta = new LinkedHashMap<>(op.meta());
        meta.put("migrate_source", to ? a.node() : other == null ? "" : other);
        meta.put("migrate_target", to ? (other == null ? "" : other) : a.node());
        return new ResourceOperation(op.resourceId(), op.agent(), op.action(), op.parameters(), meta, op.timeout(),
                op.interval());
    }

    private void onActionResult(long tid, Action a, boolean ok, int rc) {
        (ok ? actionsOk : actionsFailed).increment();
        alerts.resource(state.self(), a.resource(), a.kind(), 0, rc, ok ? rc : 0, ok ? "ok" : "error");
        String id = a.resource();
        NodeRecord mine = state.mine().withPending(id, false);
        LocalState before = mine.state(id);
        LocalState after;
        if (ok) {
            after = switch (a.kind()) {
                case "stop" -> LocalState.STOPPED;
                case "promote" -> new LocalState(Role.PROMOTED, false, false, false, false, "", 0, 0);
                case "start", "demote", "migrate_from" -> LocalState.STARTED;
                // the resource has been handed over to the target: this node no longer runs it (its stop,
                // which follows, only cleans up), so no record ever shows it active twice
                case "migrate_to" -> LocalState.STOPPED;
                default -> before;
            };
        } else {
            LOG.warn("{} failed: rc={}", a.describe(), rc);
            boolean start = a.kind().equals("start");
            boolean stop = a.kind().equals("stop");
            after = LocalState.failed(a.kind(), 0, rc, start, stop);
            Configuration cfg = state.configuration();
            boolean fatal = stop || (start && (cfg == null || cfg.options().startFailureIsFatal()));
            mine = mine.withFailCount(id, fatal ? Score.INFINITY : Score.add(mine.failCount(id), 1), wall.millis());
        }
        mine = mine.withState(id, after);
        state.updateMine(mine);
        announce = false;
        send(new CrmMessage.NodeUpdate(tid, a.index(), ok ? CrmMessage.NodeUpdate.DONE : CrmMessage.NodeUpdate.FAILED,
                mine));
    }

    // ---- this node as DC -------------------------------------------------------------------------

    private int coordinatorDuties() {
        TransitionRun cur = state.current();
        if (cur != null && !cur.finished()) {
            checkTimeouts(cur);
            return 0;
        }
        if (cur != null && cur.id != lastFinishedTid) {
            lastFinishedTid = cur.id;
            if (cur.aborted) {
                notBefore = now + settings.retryDelay().toNanos();
            }
        }
        if (!view.isQuorate()) {
            Configuration c = state.configuration();
            if (c != null && c.options().noQuorumPolicy() == org.ringmaster.crm.simple.model.NoQuorumPolicy.FENCE) {
                return 0; // each node's self-fence acts (noQuorumFence), not the DC
            }
            if (now - syncedAt < settings.noQuorumDelay().toNanos()) {
                return 0; // the host's quorum may still settle after the membership change
            }
        }
        // Quorum and node attributes (e.g. a ping score) come from the host, outside the ordered stream:
        // a change of them is a reason to plan again.
        List<Object> viewKey = new ArrayList<>();
        viewKey.add(view.isQuorate());
        for (int m : state.members()) {
            viewKey.add(view.attributes(m));
        }
        if (!viewKey.equals(plannedView)) {
            plannedView = viewKey;
            plannedVersion = -1;
        }
        if (recheckArmed && now - recheckAtNs >= 0) {
            // time itself may have changed the decision (a failure expired, a date rule's boundary passed)
            recheckArmed = false;
            if (plannedVersion == state.version()) {
                rechecks.increment();
                LOG.debug("DC {}: recheck due, deciding again", state.self());
            }
            plannedVersion = -1;
        }
        if (planSent || now - notBefore < 0 || state.version() == plannedVersion) {
            return 0;
        }
        Configuration cfg = state.configuration();
        if (cfg == null) {
            plannedVersion = state.version();
            if (!state.configError().equals(lastPlanError)) {
                lastPlanError = state.configError();
                LOG.error("no transitions: the replicated configuration is broken: {}", lastPlanError);
            }
            return 0;
        }
        Set<String> instances = ReplicatedState.instances(cfg).keySet();
        for (int m : state.members()) {
            NodeRecord r = state.records().get(state.name(m));
            if (r == null || !r.pending().isEmpty() || !r.probed().containsAll(instances)) {
                return 0; // wait for probes and running operations everywhere
            }
        }
        plannedVersion = state.version();
        Transition t;
        java.time.Instant wallNow = wall.instant();
        try {
            // the wall clock is the decision's "now" for date rules and failure-timeout (the engine reads no clock)
            t = PolicyEngine.decide(cfg, Planning.status(state, view, cfg).at(wallNow));
        } catch (RuntimeException e) {
            LOG.error("the policy engine failed on configuration epoch {}: {}", state.config().epoch(), e.toString());
            return 0;
        }
        armRecheck(cfg, t, wallNow);
        if (clearExpired(t)) {
            return 1; // the cleared fail-counts change the state: decide again once they are applied
        }
        Set<String> members = new HashSet<>();
        for (int m : state.members()) {
            members.add(state.name(m));
        }
        List<Action> actions = Planning.runnable(cfg, members, Planning.stopBeforeRestart(state, t.actions()));
        if (actions.isEmpty()) {
            return 0;
        }
        transitions.increment();
        LOG.info("DC {} plans transition {}: {}", state.self(), state.nextTid(),
                actions.stream().map(Action::describe).toList());
        send(new CrmMessage.Plan(state.nextTid(), actions));
        planSent = true;
        return 1;
    }

    /**
     * Sets the time of the next decision without an event: the cluster-recheck-interval, or earlier the next time
     * boundary the engine knows of (a failure expiring, a date expression changing), measured on the wall clock
     * and scheduled on the monotonic one.
     */
    private void armRecheck(Configuration cfg, Transition t, java.time.Instant wallNow) {
        long delay = Long.MAX_VALUE;
        Duration interval = cfg.options().recheckInterval();
        if (!interval.isZero()) {
            delay = interval.toNanos();
        }
        if (t.recheckBy() != null) {
            Duration until = Duration.between(wallNow, t.recheckBy());
            if (until.getSeconds() < 1L << 32) { // far-away boundaries (year 2200) would overflow the nanoseconds
                delay = Math.min(delay, Math.max(0, until.toNanos()));
            }
        }
        recheckArmed = delay != Long.MAX_VALUE;
        recheckAtNs = now + delay;
    }

    /**
     * Asks (through the ordered channel, so every member applies it at the same point) to clear each fail-count
     * the engine found expired, naming the failure time it saw so that a newer failure is not cleared.
     *
     * @return whether anything was sent
     */
    private boolean clearExpired(Transition t) {
        boolean sent = false;
        for (Transition.ExpiredFailure f : t.expiredFailures()) {
            NodeRecord r = state.records().get(f.node());
            long at = r == null ? 0 : r.failTime(f.resource());
            if (at > 0 && r.failCount(f.resource()) != 0 && expirySent.add(f.node() + "\n" + f.resource() + "\n" + at)) {
                LOG.info("fail-count {} of {} on {} expired (last failure {}, failure-timeout): clearing it",
                        Score.format(r.failCount(f.resource())), f.resource(), f.node(), java.time.Instant.ofEpochMilli(at));
                expiredFailures.increment();
                send(new CrmMessage.ExpireFailure(f.node(), f.resource(), at));
                sent = true;
            }
        }
        return sent;
    }

    private void checkTimeouts(TransitionRun cur) {
        for (int i = 0; i < cur.state.length; i++) {
            if (cur.state[i] != TransitionRun.RUNNING) {
                continue;
            }
            String key = cur.id + ":" + i;
            Long since = runningSince.get(key);
            Duration limit = (cur.actions.get(i).kind().equals("fence") ? settings.fenceTimeout()
                    : settings.actionTimeout()).plus(settings.timeoutMargin());
            if (since != null && now - since > limit.toNanos() && timeoutsSent.add(key)) {
                LOG.warn("{} timed out after {}", cur.actions.get(i).describe(), limit);
                send(new CrmMessage.ActionTimeout(cur.id, i));
            }
        }
    }

    // ---- persistence and snapshots ---------------------------------------------------------------

    private void persist() {
        List<NodeRecord> records = new ArrayList<>(state.records().values());
        records.replaceAll(x -> x.uname().equals(state.self()) ? state.mine() : x);
        long stamps = 0;
        for (NodeRecord r : records) {
            stamps = stamps * 31 + r.stamp();
        }
        Object key = List.of(state.config().epoch(), state.config().author(), stamps, state.nextTid());
        if (key.equals(savedKey)) {
            return;
        }
        boolean configChanged = state.config().epoch() != savedEpoch;
        if (!configChanged && now - lastRecordSave < RECORD_PERSIST_NS) {
            return;
        }
        try {
            store.save(state.config(), records, state.nextTid());
            savedKey = key;
            savedEpoch = state.config().epoch();
            lastRecordSave = now;
        } catch (IOException e) {
            LOG.error("{}", e.getMessage());
            lastRecordSave = now; // retry after the record interval, not in a tight loop
        }
    }

    private void publish() {
        Object key = List.of(state.version(), state.mine().stamp(), view.isQuorate());
        if (key.equals(snapshotKey)) {
            return;
        }
        snapshotKey = key;
        List<String> members = new ArrayList<>();
        for (int m : state.members()) {
            members.add(state.name(m));
        }
        TreeMap<String, NodeRecord> records = new TreeMap<>(state.records());
        records.put(state.self(), state.mine());
        TransitionRun cur = state.current();
        int dc = state.dc();
        snapshot = new CrmSnapshot(state.self(), dc < 0 ? null : state.name(dc), members, view.isQuorate(),
                state.synced(), state.config(), state.configuration(), state.configError(), records,
                cur == null || cur.finished() ? "" : cur.describe());
    }

    /**
     * Whether this node has nothing left to do as far as it knows: synced, no transition running, and, on the
     * DC, the engine found nothing to do on the current state. Agent thread only.
     */
    boolean idle() {
        if (!state.synced() || (state.current() != null && !state.current().finished()) || !inbox.isEmpty()
                || !outbox.isEmpty() || announce || !probing.isEmpty()) {
            return false;
        }
        return !state.isDc() || (!planSent && plannedVersion == state.version());
    }

    /** One line of internals for diagnostics. */
    String debugLine() {
        return "planSent=" + planSent + " planned=" + plannedVersion + " version=" + state.version() + " notBefore="
                + notBefore + " now=" + now + " inbox=" + inbox.size() + " outbox=" + outbox.size() + " probing="
                + probing + " announce=" + announce + " mine=" + state.mine();
    }

    /** Test hook: the replicated state machine (agent thread only). */
    ReplicatedState replicated() {
        return state;
    }
}
