package org.ringmaster.fencing;

import java.util.function.Consumer;

/**
 * Runs device actions for the fencer. The fencer's logic never blocks on a device: it starts a command and is told
 * the outcome later.
 */
public interface DeviceRunner {

    /**
     * Starts {@code command}. Must not block. {@code done} must be called at most once, from any thread; runners of
     * agents call it exactly once, even when the agent hangs (they enforce the device timeout). A runner that never
     * answers (manual fencing waiting for an admin) is ended by a confirmation or the fencer's operation timeout.
     */
    void start(DeviceCommand command, Consumer<DeviceOutcome> done);
}
