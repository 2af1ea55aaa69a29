package org.ringmaster.crm.api.fencing;

import java.util.Objects;

/**
 * A request to fence one node. Immutable; no field is {@code null}.
 *
 * @param target node name to fence, as in the cluster membership (non-blank)
 * @param action off, on or reboot (the cluster's {@code stonith-action} is usually reboot)
 * @param reason one human line for the history and alerts, e.g. {@code "node lost while running web"};
 *               may be empty
 */
public record FenceRequest(String target, FenceAction action, String reason) {

    public FenceRequest {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(reason, "reason");
        if (target.isBlank()) {
            throw new IllegalArgumentException("fence request target is blank");
        }
    }

    /** A reboot of {@code target} with the given reason. */
    public static FenceRequest reboot(String target, String reason) {
        return new FenceRequest(target, FenceAction.REBOOT, reason);
    }

    /** An on (unfencing, power back) of {@code target} with the given reason. */
    public static FenceRequest on(String target, String reason) {
        return new FenceRequest(target, FenceAction.ON, reason);
    }

    /** An off of {@code target} with the given reason. */
    public static FenceRequest off(String target, String reason) {
        return new FenceRequest(target, FenceAction.OFF, reason);
    }
}
