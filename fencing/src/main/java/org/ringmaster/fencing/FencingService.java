package org.ringmaster.fencing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.SecureRandom;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.ringmaster.crm.api.fencing.FenceListener;
import org.ringmaster.crm.api.fencing.FenceRequest;
import org.ringmaster.crm.api.fencing.FenceResult;
import org.ringmaster.crm.api.fencing.FenceStatus;
import org.ringmaster.crm.api.fencing.Fencer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime {@link Fencer} of one node: a {@link FenceCoordinator} driven by one event thread
 * ({@code ringmaster-fencer-<node>}), which reads the clock once per duty cycle, takes channel deliveries and
 * requests, and calls listeners. Metrics: {@code ringmaster.fencing.results{status}},
 * {@code ringmaster.fencing.pending}, {@code ringmaster.fencing.malformed.messages}.
 */
public final class FencingService implements Fencer, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FencingService.class);
    private static final long DUTY_CYCLE_MS = 20;

    private final FenceCoordinator coordinator;
    private final ScheduledExecutorService thread;
    private final Set<FenceListener> listeners = new CopyOnWriteArraySet<>();
    private volatile List<FenceResult> history = List.of();
    private volatile int pending;

    /**
     * Creates and starts the service; it subscribes to {@code channel} at once.
     *
     * @param quorate whether this node's partition has quorum (read on the event thread)
     */
    public FencingService(String localNode, Collection<String> members, FencingConfig config, OrderedChannel channel,
                          DeviceRunner runner, BooleanSupplier quorate, FenceAlertSink alerts, MeterRegistry meters) {
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ringmaster-fencer-" + localNode);
            t.setDaemon(true);
            return t;
        });
        SecureRandom ids = new SecureRandom();
        this.coordinator = new FenceCoordinator(localNode, members, config, channel, runner, quorate, alerts,
            System::currentTimeMillis, ids::nextLong);
        Map<FenceStatus, Counter> results = new EnumMap<>(FenceStatus.class);
        for (FenceStatus s : FenceStatus.values()) {
            results.put(s, Counter.builder("ringmaster.fencing.results").tag("status", s.name().toLowerCase())
                .tag("node", localNode).description("fencing results learnt by this node").register(meters));
        }
        Gauge.builder("ringmaster.fencing.pending", this, s -> s.pending).tag("node", localNode)
            .description("fencing operations in progress cluster-wide").register(meters);
        Gauge.builder("ringmaster.fencing.malformed.messages", coordinator, c -> c.malformedMessages())
            .tag("node", localNode).register(meters);
        coordinator.addListener(r -> {
            results.get(r.status()).increment();
            history = coordinator.history().stream().map(FenceHistoryEntry::result).toList();
            for (FenceListener l : listeners) {
                try {
                    l.onFenceResult(r);
                } catch (RuntimeException e) {
                    LOG.warn("fence listener {} failed on {}", l, r, e);
                }
            }
        });
        channel.subscribe((sender, payload) -> post(() -> coordinator.onDelivered(sender, payload, System.nanoTime())));
        thread.scheduleWithFixedDelay(this::dutyCycle, 0, DUTY_CYCLE_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public CompletableFuture<FenceResult> fence(FenceRequest request) {
        CompletableFuture<FenceResult> f = new CompletableFuture<>();
        if (!post(() -> coordinator.submit(request, f::complete, System.nanoTime()))) {
            f.complete(new FenceResult(0, request.target(), request.action(), FenceStatus.REFUSED,
                coordinator.localNode(), "", "", "fencer stopped", java.time.Instant.now()));
        }
        return f;
    }

    @Override
    public void addListener(FenceListener listener) {
        listeners.add(java.util.Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void removeListener(FenceListener listener) {
        listeners.remove(listener);
    }

    @Override
    public List<FenceResult> history() {
        return history;
    }

    /** History with every device attempt (computed on the event thread). */
    public CompletableFuture<List<FenceHistoryEntry>> detailedHistory() {
        CompletableFuture<List<FenceHistoryEntry>> f = new CompletableFuture<>();
        if (!post(() -> f.complete(coordinator.history()))) {
            f.complete(List.of());
        }
        return f;
    }

    /** Manual fencing: the admin confirms {@code node} is off ({@code ringctl fence confirm NODE}). */
    public void confirm(String node) {
        post(() -> coordinator.confirm(node, System.nanoTime()));
    }

    /** A new membership from the membership layer. */
    public void onMembership(Collection<String> members) {
        List<String> copy = List.copyOf(members);
        post(() -> coordinator.onMembership(copy, System.nanoTime()));
    }

    /** Stops the event thread; callers still waiting get a REFUSED result. */
    @Override
    public void close() {
        post(coordinator::close);
        thread.shutdown();
        try {
            if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            thread.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private void dutyCycle() {
        try {
            coordinator.doWork(System.nanoTime());
            pending = coordinator.pendingOperations();
        } catch (RuntimeException e) {
            LOG.error("fencer duty cycle failed", e);
        }
    }

    private boolean post(Runnable r) {
        try {
            thread.execute(() -> {
                try {
                    r.run();
                    coordinator.doWork(System.nanoTime());
                } catch (RuntimeException e) {
                    LOG.error("fencer event failed", e);
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }
}
