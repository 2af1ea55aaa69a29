package org.ringmaster.fencing;

import java.util.Objects;

/**
 * One device run within a fencing operation, as kept in the history.
 *
 * @param level     topology level index (1-based)
 * @param device    device name
 * @param action    agent action run ({@code off}, {@code on}, {@code reboot})
 * @param succeeded whether the device did it
 * @param detail    one line: the agent's answer or why it was skipped; never holds a secret
 */
public record FenceAttempt(int level, String device, String action, boolean succeeded, String detail) {

    public FenceAttempt {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(detail, "detail");
    }

    @Override
    public String toString() {
        return "level " + level + " " + device + " " + action + ": " + (succeeded ? "ok" : "failed")
            + (detail.isEmpty() ? "" : " (" + detail + ")");
    }
}
