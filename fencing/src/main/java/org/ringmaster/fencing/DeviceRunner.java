package org.ringmaster.fencing;

import java.util.function.Consumer;

/**
 * Runs device actions for the fencer. The fencer's logic never blocks on a device: it starts a command and is told
 * the outcome later.
 */
public interface DeviceRunner {

    /**
     * Starts {@code command}. Must not block. {@code done} must be called exactly once, from any thread, even when
     * the agent hangs (the runner enforces the device timeout).
     */
    void start(DeviceCommand command, Consumer<DeviceOutcome> done);
}
