package org.ringmaster.quorum.ping;

/** Checks one address asynchronously; the callback may run on any thread. */
public interface ReachabilityProbe extends AutoCloseable
{
    /** Completion of one probe. */
    @FunctionalInterface
    interface Callback
    {
        void done(boolean reachable, String detail);
    }

    /** Starts one probe with the given deadline; must not block. */
    void probe(PingTarget target, long timeoutMs, Callback callback);

    @Override
    void close();
}
