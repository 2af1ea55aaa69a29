package org.ringmaster.fencing.sbd;

/**
 * What a node does to itself when it must die (pill received, disk or quorum lost). Production: an immediate
 * reboot or power-off (and the stopped watchdog as backstop); tests: end the node process or record the call.
 */
@FunctionalInterface
public interface SelfFence {

    /**
     * @param action {@link SlotMessage#RESET} or {@link SlotMessage#OFF}
     * @param reason one line, e.g. {@code "poison pill RESET from node1"}
     */
    void selfFence(SlotMessage action, String reason);
}
