package org.ringmaster.agents.exec;

import java.time.Duration;

/**
 * Delays tasks for recurring operations. Injected so that tests can fire intervals by hand
 * ({@code ManualScheduler} in the tests) instead of waiting for wall time.
 */
public interface Scheduler extends AutoCloseable {

    /** A scheduled task that may still be cancelled. */
    interface Timer {
        /** Cancels the task if it has not run yet; idempotent. */
        void cancel();
    }

    /**
     * Runs {@code task} once after {@code delay}, on a scheduler thread; the task must be quick
     * (it only queues work).
     */
    Timer schedule(Runnable task, Duration delay);

    /** Stops the scheduler; pending tasks never run. */
    @Override
    void close();
}
