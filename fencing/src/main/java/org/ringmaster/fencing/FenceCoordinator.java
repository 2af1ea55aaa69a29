package org.ringmaster.fencing;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.ringmaster.crm.api.fencing.FenceAction;
import org.ringmaster.crm.api.fencing.FenceListener;
import org.ringmaster.crm.api.fencing.FenceRequest;
import org.ringmaster.crm.api.fencing.FenceResult;
import org.ringmaster.crm.api.fencing.FenceStatus;
import org.ringmaster.fencing.agent.AgentAction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fencer's decision logic on one node: deterministic and single-threaded, driven by {@link #doWork(long)},
 * {@link #submit}, {@link #onDelivered} and {@link #onMembership}; the only thread-safe entry is the completion
 * callback handed to the {@link DeviceRunner}, which just queues.
 *
 * <p>Protocol. A request is multicast on the ordered channel; on delivery every node appends it to the target's
 * queue (a request for a target already being fenced with the same action joins that operation), so every node
 * agrees which operation is active per target. Every node also computes the same executor: the origin, unless the
 * origin is the target or has left, then the first member by name other than the target; a node never fences
 * itself. Only the executor runs devices (levels in order; all devices of a level must succeed; the first
 * successful level ends the operation) and multicasts the result with every attempt; on delivery every node
 * records it, completes its waiters, tells listeners and alerts, and activates the target's next operation. When an
 * executor leaves the membership, the next one starts the operation over.
 */
public final class FenceCoordinator {

    private static final Logger LOG = LoggerFactory.getLogger(FenceCoordinator.class);

    private final String localNode;
    private final FencingConfig config;
    private final OrderedChannel channel;
    private final DeviceRunner runner;
    private final BooleanSupplier quorate;
    private final FenceAlertSink alerts;
    private final LongSupplier wallMillis;
    private final LongSupplier ids;

    private final Set<String> members = new TreeSet<>();
    private final Queue<byte[]> outbox = new ArrayDeque<>();
    private final Queue<Completion> completions = new ConcurrentLinkedQueue<>();
    private final Map<Long, Waiter> localWaiters = new HashMap<>();
    private final Map<Long, Operation> operations = new LinkedHashMap<>();
    private final Map<String, ArrayDeque<Operation>> byTarget = new HashMap<>();
    private final ArrayDeque<FenceHistoryEntry> history = new ArrayDeque<>();
    private final List<FenceListener> listeners = new ArrayList<>();
    private long malformedMessages;

    /**
     * @param localNode  this node's member name
     * @param members    current membership (this node included)
     * @param quorate    whether this node's partition has quorum now
     * @param wallMillis wall clock for history timestamps (display only)
     * @param ids        source of random 64-bit request ids
     */
    public FenceCoordinator(String localNode, Collection<String> members, FencingConfig config, OrderedChannel channel,
                            DeviceRunner runner, BooleanSupplier quorate, FenceAlertSink alerts, LongSupplier wallMillis,
                            LongSupplier ids) {
        this.localNode = Objects.requireNonNull(localNode, "localNode");
        this.config = Objects.requireNonNull(config, "config");
        this.channel = Objects.requireNonNull(channel, "channel");
        this.runner = Objects.requireNonNull(runner, "runner");
        this.quorate = Objects.requireNonNull(quorate, "quorate");
        this.alerts = Objects.requireNonNull(alerts, "alerts");
        this.wallMillis = Objects.requireNonNull(wallMillis, "wallMillis");
        this.ids = Objects.requireNonNull(ids, "ids");
        this.members.addAll(members);
        this.members.add(localNode);
    }

    public String localNode() {
        return localNode;
    }

    /** Listeners are called on the thread that drives this coordinator. */
    public void addListener(FenceListener l) {
        if (!listeners.contains(l)) {
            listeners.add(Objects.requireNonNull(l, "listener"));
        }
    }

    public void removeListener(FenceListener l) {
        listeners.remove(l);
    }

    /** Oldest first; bounded by {@link FencingConfig#historySize()}. */
    public List<FenceHistoryEntry> history() {
        return List.copyOf(history);
    }

    /** Messages on the channel that could not be decoded (and were dropped). */
    public long malformedMessages() {
        return malformedMessages;
    }

    /** Operations known and not yet finished, cluster-wide (same on every node). */
    public int pendingOperations() {
        return operations.size();
    }

    /**
     * Asks for a fencing. {@code whenDone} gets the cluster-wide result later (from {@link #onDelivered}), or a
     * {@link FenceStatus#REFUSED} result at once when this partition has no quorum and policy forbids fencing.
     *
     * @return the request id
     */
    public long submit(FenceRequest request, Consumer<FenceResult> whenDone, long nowNs) {
        long requestId = ids.getAsLong();
        if (!quorate.getAsBoolean() && !config.fenceWithoutQuorum()) {
            FenceResult refused = new FenceResult(requestId, request.target(), request.action(), FenceStatus.REFUSED,
                localNode, "", "", "partition has no quorum (fenceWithoutQuorum=false)",
                Instant.ofEpochMilli(wallMillis.getAsLong()));
            LOG.warn("fencing refused: {}", refused);
            whenDone.accept(refused);
            learn(new FenceHistoryEntry(refused, List.of()), null);
            return requestId;
        }
        localWaiters.put(requestId, new Waiter(request, whenDone));
        send(new FenceMessage.Request(requestId, localNode, request.target(), request.action(), request.reason()));
        LOG.info("fencing requested: {} {} ({})", request.action().agentName(), request.target(), request.reason());
        return requestId;
    }

    /**
     * An admin confirms that {@code target} is really off (manual fencing). Shared through the ordered channel; on
     * delivery the target's active operation ends as SUCCEEDED on every node (or, if none is active, a successful
     * manual fencing is recorded so the CRM may recover the node's resources). No quorum check: the admin vouches.
     */
    public void confirm(String target, long nowNs) {
        send(new FenceMessage.Confirm(ids.getAsLong(), localNode, target, wallMillis.getAsLong()));
        LOG.warn("manual fencing confirmation for {} sent", target);
    }

    /** A message delivered by the ordered channel (same order on every node). Malformed ones are counted, dropped. */
    public void onDelivered(String sender, byte[] payload, long nowNs) {
        FenceMessage m;
        try {
            m = FenceMessageCodec.decode(payload);
        } catch (FenceMessageCodec.MalformedMessageException e) {
            malformedMessages++;
            LOG.warn("dropping fence message from {}: {}", sender, e.getMessage());
            return;
        }
        if (m instanceof FenceMessage.Request r) {
            onRequest(r, nowNs);
        } else if (m instanceof FenceMessage.Result r) {
            onResult(r, nowNs);
        } else if (m instanceof FenceMessage.Confirm c) {
            onConfirm(c, nowNs);
        }
    }

    /** New membership (delivered in order with the messages). Operations whose executor left get a new one. */
    public void onMembership(Collection<String> newMembers, long nowNs) {
        members.clear();
        members.addAll(newMembers);
        members.add(localNode);
        for (ArrayDeque<Operation> q : byTarget.values()) {
            Operation head = q.peekFirst();
            if (head != null && head.executor != null && !members.contains(head.executor)) {
                LOG.warn("fencing #{} of {}: executor {} left; reassigning", head.id, head.target, head.executor);
                activate(head, nowNs);
            }
        }
    }

    /**
     * Runs timers and device completions and flushes the outbox.
     *
     * @return how much work was done (0 = idle)
     */
    public int doWork(long nowNs) {
        int work = 0;
        Completion c;
        while ((c = completions.poll()) != null) {
            work++;
            onCompletion(c, nowNs);
        }
        for (Operation op : List.copyOf(operations.values())) {
            if (!op.running) {
                continue;
            }
            if (nowNs - op.deadlineNs >= 0) {
                work++;
                Step s = op.currentStep();
                finish(op, FenceStatus.FAILED, "", "timed out after " + config.operationTimeout().toSeconds()
                    + " s (operationTimeout) at level " + op.level().index() + " device " + s.device);
            } else if (op.delayUntilNs != Long.MIN_VALUE && nowNs - op.delayUntilNs >= 0) {
                work++;
                op.delayUntilNs = Long.MAX_VALUE; // delay served: run the step now
                runStep(op, nowNs);
            } else if (op.settleUntilNs != Long.MIN_VALUE && nowNs - op.settleUntilNs >= 0) {
                work++;
                op.settleUntilNs = Long.MIN_VALUE;
                stepSucceeded(op, nowNs);
            }
        }
        return work + flush();
    }

    /** Ends every local wait with REFUSED (fencer stopping). */
    public void close() {
        Instant now = Instant.ofEpochMilli(wallMillis.getAsLong());
        localWaiters.forEach((id, w) -> w.whenDone.accept(new FenceResult(id, w.request.target(),
            w.request.action(), FenceStatus.REFUSED, localNode, "", "", "fencer stopped", now)));
        localWaiters.clear();
        for (Operation op : operations.values()) {
            op.waiters.forEach(w -> w.accept(new FenceResult(op.id, op.target, op.action, FenceStatus.REFUSED,
                op.origin, "", "", "fencer stopped", now)));
            op.waiters.clear();
        }
    }

    private void onRequest(FenceMessage.Request r, long nowNs) {
        ArrayDeque<Operation> queue = byTarget.computeIfAbsent(r.target(), t -> new ArrayDeque<>());
        Operation op = queue.stream().filter(o -> o.action == r.action()).findFirst().orElse(null);
        boolean joined = op != null;
        if (!joined) {
            // Ids are random 64-bit values; on the (theoretical) clash every node derives the same other id.
            long id = r.requestId();
            while (operations.containsKey(id)) {
                id = id * 31 + 1;
            }
            op = new Operation(id, r.target(), r.action(), r.origin(), r.reason());
            operations.put(op.id, op);
            queue.addLast(op);
        }
        if (r.origin().equals(localNode)) {
            Waiter w = localWaiters.remove(r.requestId());
            if (w != null) {
                op.waiters.add(w.whenDone);
            }
        }
        if (joined) {
            LOG.info("fencing request {} for {} joins operation #{}", r.requestId(), r.target(), op.id);
        } else if (queue.peekFirst() == op) {
            activate(op, nowNs);
        }
    }

    private void activate(Operation op, long nowNs) {
        op.resetExecution();
        op.executor = chooseExecutor(op);
        if (op.executor == null) {
            // The origin reports the refusal; if it has left, the first member does, so the queue never sticks.
            String reporter = members.contains(op.origin) ? op.origin : members.iterator().next();
            if (reporter.equals(localNode)) {
                finish(op, FenceStatus.REFUSED, "", "no node other than " + op.target + " can run the fencing");
            }
            return;
        }
        if (!op.executor.equals(localNode)) {
            return;
        }
        op.levels = config.levelsFor(op.target);
        if (op.levels.isEmpty()) {
            finish(op, FenceStatus.REFUSED, "", "no fence device can fence " + op.target);
            return;
        }
        LOG.info("fencing #{}: {} {} for {} ({} level(s))", op.id, op.action.agentName(), op.target, op.origin,
            op.levels.size());
        op.running = true;
        op.deadlineNs = nowNs + config.operationTimeout().toNanos();
        startLevel(op, 0, nowNs);
    }

    private String chooseExecutor(Operation op) {
        if (!op.origin.equals(op.target) && members.contains(op.origin)) {
            return op.origin;
        }
        return members.stream().filter(m -> !m.equals(op.target)).findFirst().orElse(null);
    }

    private void startLevel(Operation op, int levelIndex, long nowNs) {
        op.levelIdx = levelIndex;
        op.steps = steps(op.level(), op.action);
        op.stepIdx = 0;
        runStep(op, nowNs);
    }

    // A reboot through several devices (e.g. two power supplies) is every "off" then every "on", so the node is
    // never powered through one supply while another is being cycled.
    private static List<Step> steps(FencingLevel level, FenceAction action) {
        List<Step> steps = new ArrayList<>();
        if (action == FenceAction.REBOOT && level.devices().size() > 1) {
            level.devices().forEach(d -> steps.add(new Step(d, AgentAction.OFF)));
            level.devices().forEach(d -> steps.add(new Step(d, AgentAction.ON)));
        } else {
            AgentAction a = AgentAction.parse(action.agentName());
            level.devices().forEach(d -> steps.add(new Step(d, a)));
        }
        return steps;
    }

    private void runStep(Operation op, long nowNs) {
        Step step = op.currentStep();
        FenceDevice device = config.devices().get(step.device);
        String plug = device.plugFor(op.target).orElse(null);
        if (plug == null) {
            stepFailed(op, step, "cannot fence " + op.target + " (not in its host list)", nowNs);
            return;
        }
        if (op.delayUntilNs == Long.MIN_VALUE && op.stepIdx == 0 && !device.delay().isZero()) {
            op.delayUntilNs = nowNs + device.delay().toNanos(); // doWork starts the step when it is due
            LOG.info("fencing #{}: waiting delay {} ms of device {}", op.id, device.delay().toMillis(), step.device);
            return;
        }
        op.delayUntilNs = Long.MIN_VALUE;
        int token = ++op.token;
        long id = op.id;
        LOG.info("fencing #{}: level {} {} {} {}", id, op.level().index(), step.device, step.action.wireName(),
            op.target);
        try {
            runner.start(new DeviceCommand(id, device, step.action, op.target, plug),
                outcome -> completions.add(new Completion(id, token, outcome)));
        } catch (RuntimeException e) {
            stepFailed(op, step, "could not start: " + e.getMessage(), nowNs);
        }
    }

    private void onCompletion(Completion c, long nowNs) {
        Operation op = operations.get(c.operationId);
        if (op == null || !op.running || op.token != c.token) {
            return; // late answer from an attempt that was abandoned (timeout, executor change)
        }
        Step step = op.currentStep();
        DeviceOutcome o = c.outcome;
        if (!o.succeeded()) {
            stepFailed(op, step, o.detail(), nowNs);
            return;
        }
        op.attempts.add(new FenceAttempt(op.level().index(), step.device, step.action.wireName(), true, o.detail()));
        if (o.settle().isZero() || o.settle().isNegative()) {
            stepSucceeded(op, nowNs);
        } else {
            op.settleUntilNs = nowNs + o.settle().toNanos();
        }
    }

    private void stepSucceeded(Operation op, long nowNs) {
        op.stepIdx++;
        if (op.stepIdx < op.steps.size()) {
            runStep(op, nowNs);
            return;
        }
        FencingLevel l = op.level();
        finish(op, FenceStatus.SUCCEEDED, String.join(",", l.devices()),
            "level " + l.index() + (op.levelIdx > 0 ? " after " + op.levelIdx + " failed level(s)" : ""));
    }

    private void stepFailed(Operation op, Step step, String detail, long nowNs) {
        op.attempts.add(new FenceAttempt(op.level().index(), step.device, step.action.wireName(), false, detail));
        LOG.warn("fencing #{}: level {} device {} failed: {}", op.id, op.level().index(), step.device, detail);
        if (op.levelIdx + 1 < op.levels.size()) {
            startLevel(op, op.levelIdx + 1, nowNs);
            return;
        }
        String failures = op.attempts.stream().filter(a -> !a.succeeded())
            .map(a -> a.device() + ": " + a.detail()).collect(Collectors.joining("; "));
        finish(op, FenceStatus.FAILED, "", "all " + op.levels.size() + " level(s) failed: " + failures);
    }

    private void finish(Operation op, FenceStatus status, String device, String detail) {
        op.running = false;
        op.settleUntilNs = Long.MIN_VALUE;
        send(new FenceMessage.Result(op.id, op.target, op.action, status, op.origin,
            op.executor == null ? "" : op.executor, device, detail, wallMillis.getAsLong(), op.attempts));
    }

    private void onConfirm(FenceMessage.Confirm c, long nowNs) {
        ArrayDeque<Operation> queue = byTarget.get(c.target());
        Operation op = queue == null ? null : queue.peekFirst();
        String detail = "manually confirmed off by the admin on " + c.origin();
        // Every node builds the same result from the same delivered message: no one else needs to multicast it.
        // (Device attempts known only to the executor are left out so every node's history is identical.)
        onResult(new FenceMessage.Result(op == null ? c.confirmId() : op.id, c.target(),
            op == null ? FenceAction.OFF : op.action, FenceStatus.SUCCEEDED, op == null ? c.origin() : op.origin,
            "", "manual", detail, c.atMillis(), List.of(new FenceAttempt(0, "manual", "confirm", true, detail))),
            nowNs);
    }

    private void onResult(FenceMessage.Result r, long nowNs) {
        FenceResult result = new FenceResult(r.operationId(), r.target(), r.action(), r.status(), r.origin(),
            r.executor(), r.device(), r.detail(), Instant.ofEpochMilli(r.completedAtMillis()));
        Operation op = operations.remove(r.operationId());
        if (op == null && history.stream().anyMatch(h -> h.result().operationId() == r.operationId())) {
            // A second answer for a finished operation (e.g. an executor that left had already multicast its
            // result before its successor's was delivered): the first one delivered stands.
            LOG.info("ignoring second result for fencing #{}", r.operationId());
            return;
        }
        if (op != null) {
            op.running = false; // the first result delivered is the cluster's answer, even if we had taken over
        }
        (r.status() == FenceStatus.SUCCEEDED ? LOG.atInfo() : LOG.atWarn()).log("fencing result: {}", result);
        learn(new FenceHistoryEntry(result, r.attempts()), op);
        ArrayDeque<Operation> queue = byTarget.get(r.target());
        if (queue != null && op != null) {
            boolean wasHead = queue.peekFirst() == op;
            queue.remove(op);
            if (queue.isEmpty()) {
                byTarget.remove(r.target());
            } else if (wasHead) {
                activate(queue.peekFirst(), nowNs);
            }
        }
    }

    private void learn(FenceHistoryEntry entry, Operation op) {
        history.addLast(entry);
        while (history.size() > config.historySize()) {
            history.removeFirst();
        }
        if (op != null) {
            for (Consumer<FenceResult> w : op.waiters) {
                w.accept(entry.result());
            }
            op.waiters.clear();
        }
        for (FenceListener l : List.copyOf(listeners)) {
            try {
                l.onFenceResult(entry.result());
            } catch (RuntimeException e) {
                LOG.warn("fence listener {} failed on {}", l, entry.result(), e);
            }
        }
        try {
            alerts.onFenceEvent(entry);
        } catch (RuntimeException e) {
            LOG.warn("fence alert failed on {}", entry.result(), e);
        }
    }

    private void send(FenceMessage m) {
        outbox.add(FenceMessageCodec.encode(m));
        flush();
    }

    private int flush() {
        int sent = 0;
        while (!outbox.isEmpty() && channel.multicast(outbox.peek())) {
            outbox.poll();
            sent++;
        }
        return sent;
    }

    private record Step(String device, AgentAction action) {
    }

    private record Waiter(FenceRequest request, Consumer<FenceResult> whenDone) {
    }

    private record Completion(long operationId, int token, DeviceOutcome outcome) {
    }

    private static final class Operation {
        final long id;
        final String target;
        final FenceAction action;
        final String origin;
        final String reason;
        final List<Consumer<FenceResult>> waiters = new ArrayList<>();
        String executor;
        // Execution state, used on the executor only.
        List<FencingLevel> levels = List.of();
        List<Step> steps = List.of();
        final List<FenceAttempt> attempts = new ArrayList<>();
        int levelIdx;
        int stepIdx;
        int token;
        boolean running;
        long deadlineNs;
        long settleUntilNs = Long.MIN_VALUE;
        long delayUntilNs = Long.MIN_VALUE; // MIN: no delay pending; MAX: delay served for this step

        Operation(long id, String target, FenceAction action, String origin, String reason) {
            this.id = id;
            this.target = target;
            this.action = action;
            this.origin = origin;
            this.reason = reason;
        }

        FencingLevel level() {
            return levels.get(levelIdx);
        }

        Step currentStep() {
            return steps.get(stepIdx);
        }

        void resetExecution() {
            running = false;
            attempts.clear();
            levelIdx = 0;
            stepIdx = 0;
            token++;
            settleUntilNs = Long.MIN_VALUE;
            delayUntilNs = Long.MIN_VALUE;
        }
    }

}
