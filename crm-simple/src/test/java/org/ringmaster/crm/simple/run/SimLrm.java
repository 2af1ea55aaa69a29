package org.ringmaster.crm.simple.run;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.ringmaster.crm.api.resource.LocalResourceManager;
import org.ringmaster.crm.api.resource.OperationListener;
import org.ringmaster.crm.api.resource.OperationResult;
import org.ringmaster.crm.api.resource.OperationStatus;
import org.ringmaster.crm.api.resource.ResourceOperation;

/**
 * An in-memory LRM of one simulated node with dummy-like agents: start makes the resource run, stop makes it
 * stop, monitor reports 0 or 7. Operations take a seeded random time on the simulated clock, one at a time per
 * resource. Failures can be injected (a resource dies, starts fail). Single-threaded (the simulation's).
 */
final class SimLrm implements LocalResourceManager {
    private final String node;
    private final Random random;
    private final SimLog log;
    private final Set<String> running = new TreeSet<>();
    final Set<String> failStart = new HashSet<>();
    private final List<OperationListener> listeners = new ArrayList<>();
    private final PriorityQueue<Pending> queue = new PriorityQueue<>();
    private final Map<String, Long> busyUntil = new HashMap<>();
    private final Map<String, Integer> generation = new HashMap<>();
    private final Map<String, Integer> lastRc = new HashMap<>();
    private long now;
    private long seq;
    private long callId;
    private boolean closed;

    private final class Pending implements Comparable<Pending> {
        final long due;
        final long order = seq++;
        final ResourceOperation op;
        final CompletableFuture<OperationResult> future;
        final int gen;

        Pending(long due, ResourceOperation op, CompletableFuture<OperationResult> future, int gen) {
            this.due = due;
            this.op = op;
            this.future = future;
            this.gen = gen;
        }

        @Override
        public int compareTo(Pending o) {
            return due != o.due ? Long.compare(due, o.due) : Long.compare(order, o.order);
        }
    }

    SimLrm(String node, long seed, SimLog log) {
        this.node = node;
        this.random = new Random(seed);
        this.log = log;
    }

    boolean isRunning(String rsc) {
        return running.contains(rsc);
    }

    Set<String> runningSet() {
        return new TreeSet<>(running);
    }

    /** The resource's process dies (a monitor finds it). */
    void kill(String rsc) {
        running.remove(rsc);
    }

    /** Everything dies (node crash / power off). */
    void powerOff() {
        running.clear();
        queue.clear();
        closed = true;
    }

    private long delay() {
        return (10 + random.nextInt(150)) * 1_000_000L;
    }

    private long schedule(String rsc, long base) {
        long due = Math.max(base, busyUntil.getOrDefault(rsc, 0L)) + delay();
        busyUntil.put(rsc, due);
        return due;
    }

    @Override
    public CompletableFuture<OperationResult> execute(ResourceOperation op) {
        if (op.isRecurring()) {
            throw new IllegalArgumentException("recurring");
        }
        CompletableFuture<OperationResult> f = new CompletableFuture<>();
        if (closed) {
            return f; // a dead node never answers
        }
        if (op.action().equals(ResourceOperation.START)) {
            log.startSubmitted(node, op.resourceId(), running.contains(op.resourceId()));
        }
        if (op.action().equals(ResourceOperation.STOP)) {
            log.stopSubmitted(node, op.resourceId());
            cancelAllRecurring(op.resourceId());
        }
        queue.add(new Pending(schedule(op.resourceId(), now), op, f, 0));
        return f;
    }

    @Override
    public void startRecurring(ResourceOperation op) {
        int gen = generation.merge(op.key(), 1, Integer::sum);
        lastRc.remove(op.key());
        queue.add(new Pending(schedule(op.resourceId(), now), op, null, gen));
    }

    @Override
    public boolean cancelRecurring(String resourceId, String action, Duration interval) {
        String key = resourceId + "_" + action + "_" + interval.toMillis();
        lastRc.remove(key);
        return generation.merge(key, 1, Integer::sum) > 1;
    }

    @Override
    public int cancelAllRecurring(String resourceId) {
        int n = 0;
        for (String key : new ArrayList<>(generation.keySet())) {
            if (key.startsWith(resourceId + "_")) {
                generation.merge(key, 1, Integer::sum);
                n++;
            }
        }
        return n;
    }

    @Override
    public List<OperationResult> history(String resourceId) {
        return List.of();
    }

    @Override
    public AutoCloseable addListener(OperationListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public void close() {
        closed = true;
    }

    /** Completes every operation due by {@code nowNs}. */
    void tick(long nowNs) {
        now = nowNs;
        while (!queue.isEmpty() && queue.peek().due <= nowNs && !closed) {
            Pending p = queue.poll();
            ResourceOperation op = p.op;
            if (op.isRecurring() && generation.getOrDefault(op.key(), 0) != p.gen) {
                continue; // cancelled
            }
            String rsc = op.resourceId();
            int rc;
            switch (op.action()) {
                case ResourceOperation.START -> {
                    if (failStart.contains(rsc)) {
                        rc = 1;
                    } else {
                        running.add(rsc);
                        log.started(node, rsc);
                        rc = 0;
                    }
                }
                case ResourceOperation.STOP -> {
                    running.remove(rsc);
                    log.stopped(node, rsc);
                    rc = 0;
                }
                case ResourceOperation.MONITOR -> rc = running.contains(rsc) ? 0 : 7;
                case "migrate_to" -> {
                    // hands the resource over to migrate_target: from now on it runs there, not here
                    rc = running.remove(rsc) && !op.meta().getOrDefault("migrate_target", "").isEmpty() ? 0 : 1;
                    if (rc == 0) {
                        log.migratedOut(node, rsc, op.meta().get("migrate_target"));
                    }
                }
                case "migrate_from" -> {
                    running.add(rsc);
                    log.migratedIn(node, rsc, op.meta().getOrDefault("migrate_source", ""));
                    rc = 0;
                }
                default -> rc = 3;
            }
            OperationResult r = new OperationResult(++callId, op, OperationStatus.DONE, rc, "", Duration.ZERO, "",
                    Instant.EPOCH);
            if (op.isRecurring()) {
                Integer prev = lastRc.put(op.key(), rc);
                if (prev == null || prev != rc) {
                    listeners.forEach(l -> l.onResult(r));
                }
                queue.add(new Pending(Math.max(nowNs, busyUntil.getOrDefault(rsc, 0L)) + op.interval().toNanos(),
                        op, null, p.gen));
            } else {
                listeners.forEach(l -> l.onResult(r));
                p.future.complete(r);
            }
        }
    }
}
