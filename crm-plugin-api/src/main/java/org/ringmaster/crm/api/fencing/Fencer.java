package org.ringmaster.crm.api.fencing;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The fencing service of one node, as seen by a CRM. Thread-safe: every method may be called from any thread.
 *
 * <p>At most one fencing operation runs per target at a time, cluster-wide: a request for a target that is
 * already being fenced with the same action joins that operation and gets its result; a different action is
 * queued behind it. A node is never fenced through a device by itself.
 */
public interface Fencer {

    /**
     * Asks for {@code request.target()} to be fenced.
     *
     * <p>The returned future completes (on the fencer's event thread) with the cluster-wide result, or with a
     * {@link FenceStatus#REFUSED} result when the request cannot even be attempted (no quorum and policy
     * forbids it, no device can fence the target, fencer stopped). It never completes exceptionally for a
     * fencing failure; only for a bug.
     *
     * @param request never {@code null}
     * @return never {@code null}
     */
    CompletableFuture<FenceResult> fence(FenceRequest request);

    /**
     * Registers a listener for all results (cluster-wide); the same listener twice is registered once.
     *
     * @param listener never {@code null}
     */
    void addListener(FenceListener listener);

    /** Removes a listener; unknown listeners are ignored. */
    void removeListener(FenceListener listener);

    /**
     * Results known to this node, oldest first, bounded by the fencer's configured history size.
     *
     * @return an immutable snapshot, never {@code null}
     */
    List<FenceResult> history();
}
