package org.ringmaster.agents.exec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A {@link Scheduler} driven by the test: time only moves in {@link #advance}. */
final class ManualScheduler implements Scheduler {
    private final List<Entry> entries = new ArrayList<>();
    private long nowNs;
    private boolean closed;

    private static final class Entry implements Timer {
        final long dueNs;
        final Runnable task;
        boolean cancelled;

        Entry(long dueNs, Runnable task) {
            this.dueNs = dueNs;
            this.task = task;
        }

        @Override
        public synchronized void cancel() {
            cancelled = true;
        }
    }

    @Override
    public synchronized Timer schedule(Runnable task, Duration delay) {
        Entry e = new Entry(nowNs + delay.toNanos(), task);
        if (!closed) {
            entries.add(e);
        }
        return e;
    }

    /** Moves time forward, running every task that falls due (in due order), outside the lock. */
    void advance(Duration by) {
        long target;
        synchronized (this) {
            target = nowNs + by.toNanos();
        }
        while (true) {
            Entry next = null;
            synchronized (this) {
                for (Entry e : entries) {
                    if (e.dueNs <= target && (next == null || e.dueNs < next.dueNs)) {
                        next = e;
                    }
                }
                if (next == null) {
                    nowNs = target;
                    return;
                }
                entries.remove(next);
                nowNs = next.dueNs;
            }
            if (!next.cancelled) {
                next.task.run();
            }
        }
    }

    /** Tasks waiting (not cancelled). */
    synchronized long pendingTasks() {
        return entries.stream().filter(e -> !e.cancelled).count();
    }

    @Override
    public synchronized void close() {
        closed = true;
        entries.clear();
    }
}
