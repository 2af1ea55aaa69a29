package org.ringmaster.crm.api.fencing;

/**
 * Learns every fencing outcome in the cluster, including those asked by other nodes.
 *
 * <p>Threading: called on the fencer's single event thread, in the cluster-wide delivery order (every node sees
 * the same results in the same order), never while the fencer holds a lock. Implementations must be quick and
 * must not block or call back into the fencer synchronously waiting for a result. An exception thrown here is
 * logged and swallowed; it never stops the fencer.
 */
@FunctionalInterface
public interface FenceListener {

    /**
     * One fencing operation ended.
     *
     * @param result never {@code null}
     */
    void onFenceResult(FenceResult result);
}
