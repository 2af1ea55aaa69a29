package org.ringmaster.fencing;

import java.time.Duration;
import java.util.Objects;

/**
 * How a device action ended.
 *
 * @param succeeded whether the device did it
 * @param settle    for a success: how long the fencer must still wait before the target counts as fenced (the
 *                  poison pill's msgwait); zero for power devices, which verify the state themselves
 * @param detail    one line for the history; never holds a secret
 */
public record DeviceOutcome(boolean succeeded, Duration settle, String detail) {

    public DeviceOutcome {
        Objects.requireNonNull(settle, "settle");
        Objects.requireNonNull(detail, "detail");
    }

    public static DeviceOutcome success(String detail) {
        return new DeviceOutcome(true, Duration.ZERO, detail);
    }

    public static DeviceOutcome successAfter(Duration settle, String detail) {
        return new DeviceOutcome(true, settle, detail);
    }

    public static DeviceOutcome failure(String detail) {
        return new DeviceOutcome(false, Duration.ZERO, detail);
    }
}
