package org.ringmaster.crm.api.resource;

/**
 * Receives results from a {@link LocalResourceManager}.
 *
 * <p>Threading: called on an LRM worker thread, never while the LRM holds a lock, possibly concurrently for
 * different resources but in order for any one resource. Implementations must be quick and must not block
 * (hand the result to the CRM's own event loop). An exception thrown here is logged and swallowed; it never
 * stops the LRM.
 */
@FunctionalInterface
public interface OperationListener {

    /**
     * One operation finished.
     *
     * @param result never {@code null}
     */
    void onResult(OperationResult result);
}
