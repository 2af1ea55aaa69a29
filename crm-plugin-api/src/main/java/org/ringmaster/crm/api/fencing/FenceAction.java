package org.ringmaster.crm.api.fencing;

import java.util.Locale;

/** What fencing does to the target node. */
public enum FenceAction {
    /** Power the node off (or cut it off the fabric) and leave it so. */
    OFF("off"),
    /** Power the node on again (or unfence it); never used to recover resources. */
    ON("on"),
    /** Power-cycle: off, then on. Succeeds once the "off" part is confirmed. */
    REBOOT("reboot");

    private final String agentName;

    FenceAction(String agentName) {
        this.agentName = agentName;
    }

    /** The action name fence agents understand ({@code off}, {@code on}, {@code reboot}). */
    public String agentName() {
        return agentName;
    }

    /**
     * Parses {@code off}, {@code on}, {@code reboot} (any case).
     *
     * @throws IllegalArgumentException naming the bad value and the accepted ones
     */
    public static FenceAction parse(String name) {
        if (name != null) {
            for (FenceAction a : values()) {
                if (a.agentName.equals(name.trim().toLowerCase(Locale.ROOT))) {
                    return a;
                }
            }
        }
        throw new IllegalArgumentException("unknown fence action '" + name + "' (expected off, on or reboot)");
    }
}
