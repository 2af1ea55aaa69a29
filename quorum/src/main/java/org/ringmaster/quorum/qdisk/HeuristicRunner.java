package org.ringmaster.quorum.qdisk;

/**
 * Runs heuristics asynchronously so the quorum-disk duty cycle never blocks. The callback may come
 * from any thread; {@link QuorumDisk} hands results over through a queue.
 */
public interface HeuristicRunner extends AutoCloseable
{
    /** Completion of one run. */
    @FunctionalInterface
    interface Callback
    {
        /**
         * @param passed whether the program exited 0 in time.
         * @param detail exit code, timeout or start error, for logs.
         */
        void done(boolean passed, String detail);
    }

    /** Starts one run of {@code h}; must not block. */
    void start(Heuristic h, Callback callback);

    /** Stops every run still in progress. */
    @Override
    void close();
}
