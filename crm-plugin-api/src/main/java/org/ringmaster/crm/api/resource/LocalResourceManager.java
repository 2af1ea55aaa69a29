package org.ringmaster.crm.api.resource;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Runs resource agent operations on the local node for the CRM (Pacemaker's executor).
 *
 * <p>Guarantees:
 * <ul>
 *   <li>Operations on one resource id run one at a time, in submission order; operations on different
 *       resources run concurrently up to a configured bound.</li>
 *   <li>Every submitted operation completes: its future completes normally (never exceptionally) with an
 *       {@link OperationResult}, whatever the agent does: hang (timed out, process group killed), crash,
 *       print garbage, or not exist.</li>
 *   <li>Every one-shot result, and every recurring result whose status or rc differs from the previous run
 *       of the same recurring operation (and the first run), goes to every registered listener and into the
 *       resource's bounded history. Listeners are called before the operation's future completes.</li>
 *   <li>Running {@code stop} on a resource first cancels its recurring operations.</li>
 * </ul>
 * All methods are thread-safe and non-blocking; no argument may be {@code null}.
 */
public interface LocalResourceManager extends AutoCloseable {

    /**
     * Queues a one-shot operation ({@code interval} must be zero).
     *
     * @return completes with the result once the operation ran (or was refused/cancelled)
     * @throws IllegalArgumentException if the operation is recurring
     */
    CompletableFuture<OperationResult> execute(ResourceOperation operation);

    /**
     * Starts a recurring operation (normally a monitor) with a positive interval. The first run is queued at once,
     * the next ones one interval after the previous run finished. Replaces an existing recurring operation with the
     * same {@link ResourceOperation#key()}.
     *
     * @throws IllegalArgumentException if the operation is not recurring
     */
    void startRecurring(ResourceOperation operation);

    /**
     * Cancels a recurring operation. A run already in progress finishes but its result is not reported.
     *
     * @return true if it existed
     */
    boolean cancelRecurring(String resourceId, String action, Duration interval);

    /** Cancels every recurring operation of a resource; returns how many there were. */
    int cancelAllRecurring(String resourceId);

    /**
     * The resource's recent results, oldest first, bounded per resource by configuration.
     *
     * @return an immutable snapshot; empty for an unknown resource
     */
    List<OperationResult> history(String resourceId);

    /**
     * Registers a listener.
     *
     * @return closing it unregisters the listener
     */
    AutoCloseable addListener(OperationListener listener);

    /**
     * Stops accepting operations, cancels recurring ones, completes queued ones as {@link OperationStatus#CANCELLED}
     * and waits a bounded time for running ones. Idempotent.
     */
    @Override
    void close();
}
