package org.ringmaster.fencing;

import java.util.Objects;
import org.ringmaster.fencing.agent.AgentAction;

/**
 * One device action the fencer wants run.
 *
 * @param operationId the fencing operation it belongs to
 * @param device      the configured device
 * @param action      {@code off}, {@code on} or {@code reboot}
 * @param target      node being fenced
 * @param plug        the plug for the target on this device (host map entry or node name)
 */
public record DeviceCommand(long operationId, FenceDevice device, AgentAction action, String target, String plug) {

    public DeviceCommand {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(plug, "plug");
    }
}
