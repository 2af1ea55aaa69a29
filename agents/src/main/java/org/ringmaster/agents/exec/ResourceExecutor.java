package org.ringmaster.agents.exec;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.ringmaster.agents.AgentException;
import org.ringmaster.agents.AgentOutcome;
import org.ringmaster.agents.AgentSource;
import org.ringmaster.agents.ResourceAgent;
import org.ringmaster.crm.api.resource.LocalResourceManager;
import org.ringmaster.crm.api.resource.OcfExitCode;
import org.ringmaster.crm.api.resource.OperationListener;
import org.ringmaster.crm.api.resource.OperationResult;
import org.ringmaster.crm.api.resource.OperationStatus;
import org.ringmaster.crm.api.resource.ResourceOperation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local resource manager: a {@link LocalResourceManager} over an {@link AgentSource}.
 *
 * <p>Each resource has a lane: a FIFO of pending operations of which at most one runs. A lane with work is
 * handed to a fixed pool of {@code maxConcurrent} workers; after one operation the lane goes to the back of the
 * pool's queue, so a resource with many queued operations cannot starve the others. Recurring operations are
 * timers that queue a run into the lane, and re-arm one interval after each run finishes.
 *
 * <p>Metrics: {@code ringmaster.lrm.operations} (counter; tags action, status), {@code ringmaster.lrm.operation.duration}
 * (timer; tag action), {@code ringmaster.lrm.recurring} (gauge).
 */
public final class ResourceExecutor implements LocalResourceManager {
    private static final Logger LOG = LoggerFactory.getLogger(ResourceExecutor.class);

    private final ExecutorConfig config;
    private final AgentSource agents;
    private final Scheduler scheduler;
    private final Clock clock;
    private final MeterRegistry meters;
    private final ExecutorService workers;
    private final List<OperationListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong callIds = new AtomicLong();
    private final AtomicInteger recurringCount = new AtomicInteger();

    // Guarded by "this".
    private final Map<String, Lane> lanes = new HashMap<>();
    private final Map<String, Recurring> recurring = new HashMap<>();
    private boolean closed;

    /**
     * @param config    settings
     * @param agents    where agents come from (normally an {@link org.ringmaster.agents.AgentCatalog})
     * @param scheduler timers for recurring operations; closed by {@link #close()}
     * @param clock     wall clock for result timestamps only
     * @param meters    metrics registry
     */
    public ResourceExecutor(ExecutorConfig config, AgentSource agents, Scheduler scheduler, Clock clock,
                            MeterRegistry meters) {
        this.config = Objects.requireNonNull(config, "config");
        this.agents = Objects.requireNonNull(agents, "agents");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.meters = Objects.requireNonNull(meters, "meters");
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(config.maxConcurrent(), r -> {
            Thread t = new Thread(r, "lrm-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        meters.gauge("ringmaster.lrm.recurring", recurringCount);
    }

    @Override
    public CompletableFuture<OperationResult> execute(ResourceOperation operation) {
        Objects.requireNonNull(operation, "operation");
        if (operation.isRecurring()) {
            throw new IllegalArgumentException("execute() takes one-shot operations; " + operation.key()
                + " is recurring: use startRecurring()");
        }
        Job job = new Job(operation, null);
        boolean accepted;
        synchronized (this) {
            accepted = !closed;
            if (accepted) {
                if (operation.action().equals(ResourceOperation.STOP)) {
                    cancelAllRecurringLocked(operation.resourceId());
                }
                enqueueLocked(job);
            }
        }
        if (!accepted) {
            job.future.complete(cancelled(operation, "the local resource manager is closed"));
        }
        return job.future;
    }

    @Override
    public void startRecurring(ResourceOperation operation) {
        Objects.requireNonNull(operation, "operation");
        if (!operation.isRecurring()) {
            throw new IllegalArgumentException(operation.key() + " has interval 0: use execute()");
        }
        synchronized (this) {
            if (closed) {
                LOG.warn("not starting {}: the local resource manager is closed", operation.key());
                return;
            }
            Recurring old = recurring.remove(operation.key());
            if (old != null) {
                old.cancelLocked();
                recurringCount.decrementAndGet();
            }
            Recurring r = new Recurring(operation);
            recurring.put(operation.key(), r);
            recurringCount.incrementAndGet();
            // First run at once (like Pacemaker's executor), then one interval after each run.
            r.timer = scheduler.schedule(() -> fire(r), Duration.ZERO);
        }
    }

    @Override
    public boolean cancelRecurring(String resourceId, String action, Duration interval) {
        String key = resourceId + "_" + action + "_" + interval.toMillis();
        synchronized (this) {
            Recurring r = recurring.remove(key);
            if (r == null) {
                return false;
            }
            r.cancelLocked();
            recurringCount.decrementAndGet();
            return true;
        }
    }

    @Override
    public int cancelAllRecurring(String resourceId) {
        synchronized (this) {
            return cancelAllRecurringLocked(resourceId);
        }
    }

    @Override
    public synchronized List<OperationResult> history(String resourceId) {
        Lane lane = lanes.get(resourceId);
        return lane == null ? List.of() : List.copyOf(lane.history);
    }

    @Override
    public AutoCloseable addListener(OperationListener listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** How many operations are queued or running, over all resources. */
    public synchronized int pending() {
        int n = 0;
        for (Lane l : lanes.values()) {
            n += l.queue.size() + (l.current != null ? 1 : 0);
        }
        return n;
    }

    @Override
    public void close() {
        List<Job> dropped = new ArrayList<>();
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            for (Recurring r : recurring.values()) {
                r.cancelLocked();
            }
            recurring.clear();
            recurringCount.set(0);
            for (Lane l : lanes.values()) {
                dropped.addAll(l.queue);
                l.queue.clear();
            }
        }
        scheduler.close();
        for (Job j : dropped) {
            j.future.complete(cancelled(j.op, "the local resource manager closed before it ran"));
        }
        workers.shutdown();
        try {
            if (!workers.awaitTermination(config.closeTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("operations still running {} ms after close", config.closeTimeout().toMillis());
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            workers.shutdownNow();
        }
    }

    private int cancelAllRecurringLocked(String resourceId) {
        int n = 0;
        for (Iterator<Recurring> it = recurring.values().iterator(); it.hasNext(); ) {
            Recurring r = it.next();
            if (r.op.resourceId().equals(resourceId)) {
                r.cancelLocked();
                it.remove();
                recurringCount.decrementAndGet();
                n++;
            }
        }
        return n;
    }

    private void armLocked(Recurring r) {
        r.timer = scheduler.schedule(() -> fire(r), r.op.interval());
    }

    private void fire(Recurring r) {
        synchronized (this) {
            if (r.cancelled || closed) {
                return;
            }
            enqueueLocked(new Job(r.op, r));
        }
    }

    private void enqueueLocked(Job job) {
        Lane lane = lanes.computeIfAbsent(job.op.resourceId(), id -> new Lane());
        lane.queue.addLast(job);
        if (!lane.busy) {
            lane.busy = true;
            workers.execute(() -> drain(lane));
        }
    }

    /** Runs the lane's next operation, then re-queues the lane if more are waiting. */
    private void drain(Lane lane) {
        Job job;
        synchronized (this) {
            job = lane.queue.pollFirst();
            if (job == null) {
                lane.busy = false;
                return;
            }
            lane.current = job;
        }
        OperationResult result = null;
        boolean report = true;
        if (job.recurring != null && job.recurring.cancelled) {
            report = false; // cancelled while queued
        } else {
            result = runOne(job.op);
        }
        synchronized (this) {
            lane.current = null;
            if (result != null) {
                report = recordLocked(lane, job, result);
            }
            if (lane.queue.isEmpty() || closed) {
                lane.busy = false;
            } else {
                workers.execute(() -> drain(lane));
            }
        }
        if (result != null) {
            // Listeners first, so whoever joins the future also sees the listeners' view up to date.
            if (report) {
                notifyListeners(result);
            }
            job.future.complete(result);
        } else {
            job.future.complete(cancelled(job.op, "cancelled before it ran"));
        }
    }

    /** Updates history and the recurring state; returns whether listeners hear about it. */
    private boolean recordLocked(Lane lane, Job job, OperationResult result) {
        Recurring r = job.recurring;
        boolean report = true;
        if (r != null) {
            if (r.cancelled) {
                return false; // cancelled while it ran: not reported
            }
            OperationResult last = r.last;
            report = last == null || last.status() != result.status() || last.rc() != result.rc();
            r.last = result;
            armLocked(r);
        }
        if (report) {
            lane.history.addLast(result);
            while (lane.history.size() > config.historyPerResource()) {
                lane.history.removeFirst();
            }
        }
        return report;
    }

    private OperationResult runOne(ResourceOperation op) {
        long callId = callIds.incrementAndGet();
        AgentOutcome outcome;
        try {
            ResourceAgent agent = agents.resolve(op.agent());
            Duration timeout = op.timeout().isZero()
                ? agent.defaultTimeout(op.action()).orElse(config.defaultTimeout())
                : op.timeout();
            outcome = agent.run(op, timeout);
        } catch (AgentException e) {
            outcome = e.toOutcome();
        } catch (RuntimeException e) {
            LOG.error("{} {} of {} failed inside the executor", op.agent(), op.action(), op.resourceId(), e);
            outcome = AgentOutcome.refused(OperationStatus.ERROR, OcfExitCode.ERR_GENERIC.code(),
                op.agent() + " " + op.action() + " of " + op.resourceId() + " failed: " + e);
        }
        OperationResult result = new OperationResult(callId, op, outcome.status(), outcome.rc(), outcome.exitReason(),
            outcome.duration(), outcome.outputTail(), clock.instant());
        Counter.builder("ringmaster.lrm.operations").tag("action", op.action())
            .tag("status", outcome.status().name()).register(meters).increment();
        Timer.builder("ringmaster.lrm.operation.duration").tag("action", op.action()).register(meters)
            .record(outcome.duration());
        if (outcome.status() == OperationStatus.DONE && outcome.rc() == 0) {
            LOG.debug("{}", result);
        } else {
            LOG.info("{}", result);
        }
        return result;
    }

    private void notifyListeners(OperationResult result) {
        for (OperationListener l : listeners) {
            try {
                l.onResult(result);
            } catch (RuntimeException e) {
                LOG.warn("operation listener {} failed on {}", l, result, e);
            }
        }
    }

    private OperationResult cancelled(ResourceOperation op, String why) {
        return new OperationResult(callIds.incrementAndGet(), op, OperationStatus.CANCELLED,
            OcfExitCode.ERR_GENERIC.code(), op.agent() + " " + op.action() + " of " + op.resourceId() + ": " + why,
            Duration.ZERO, "", clock.instant());
    }

    private static final class Lane {
        final ArrayDeque<Job> queue = new ArrayDeque<>();
        final ArrayDeque<OperationResult> history = new ArrayDeque<>();
        boolean busy; // handed to the worker pool (queued there or running)
        Job current; // running now
    }

    private static final class Job {
        final ResourceOperation op;
        final Recurring recurring;
        final CompletableFuture<OperationResult> future = new CompletableFuture<>();

        Job(ResourceOperation op, Recurring recurring) {
            this.op = op;
            this.recurring = recurring;
        }
    }

    private static final class Recurring {
        final ResourceOperation op;
        Scheduler.Timer timer;
        volatile boolean cancelled;
        OperationResult last;

        Recurring(ResourceOperation op) {
            this.op = op;
        }

        void cancelLocked() {
            cancelled = true;
            if (timer != null) {
                timer.cancel();
            }
        }
    }
}
