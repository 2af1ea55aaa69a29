package org.ringmaster.crm.api.fencing;

import java.time.Instant;
import java.util.Objects;

/**
 * The outcome of one fencing operation, identical on every node that learns it. Immutable; no field is
 * {@code null}.
 *
 * @param operationId cluster-wide id of the operation (unique per cluster lifetime, same on every node)
 * @param target      node that was (or was to be) fenced
 * @param action      what was done
 * @param status      how it ended
 * @param origin      node that asked
 * @param executor    node that ran the fence devices; empty if nothing ran (e.g. {@link FenceStatus#REFUSED})
 * @param device      device (or comma-separated devices of one level) that succeeded; empty if none did
 * @param detail      one human line: why it failed or was refused, or which level succeeded; secrets are
 *                    never included
 * @param completedAt when the executor finished (its wall clock, for display only)
 */
public record FenceResult(long operationId, String target, FenceAction action, FenceStatus status, String origin,
                          String executor, String device, String detail, Instant completedAt) {

    public FenceResult {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(executor, "executor");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(completedAt, "completedAt");
    }

    /** True when the target is known to be fenced (so its resources may be recovered elsewhere). */
    public boolean succeeded() {
        return status == FenceStatus.SUCCEEDED;
    }

    /** {@code "#7 reboot node2 by node1 via ipmi-node2: SUCCEEDED"} plus the detail if any. */
    @Override
    public String toString() {
        return "#" + operationId + " " + action.agentName() + " " + target + " (asked by " + origin + ")"
            + (executor.isEmpty() ? "" : " by " + executor) + (device.isEmpty() ? "" : " via " + device)
            + ": " + status + (detail.isEmpty() ? "" : ": " + detail);
    }
}
