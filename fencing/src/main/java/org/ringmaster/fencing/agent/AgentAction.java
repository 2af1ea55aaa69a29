package org.ringmaster.fencing.agent;

import java.util.Locale;

/** Actions of the fence agent API (FenceAgentAPI, fencing.py), as sent in {@code action=}. */
public enum AgentAction {
    OFF("off"),
    ON("on"),
    REBOOT("reboot"),
    /** Exit 0 = port on, 2 = port off, anything else = error. */
    STATUS("status"),
    /** Exit 0 = device reachable, 2 = off (single-port devices), anything else = error. */
    MONITOR("monitor"),
    /** Lines {@code port,alias}; exit 0. */
    LIST("list"),
    LIST_STATUS("list-status"),
    METADATA("metadata"),
    VALIDATE_ALL("validate-all");

    private final String wireName;

    AgentAction(String wireName) {
        this.wireName = wireName;
    }

    /** The name the agent expects after {@code action=}. */
    public String wireName() {
        return wireName;
    }

    /** True for actions that change a node's power state. */
    public boolean isPowerChange() {
        return this == OFF || this == ON || this == REBOOT;
    }

    /**
     * Parses a wire name (any case, {@code _} for {@code -} accepted).
     *
     * @throws IllegalArgumentException naming the bad value
     */
    public static AgentAction parse(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (AgentAction a : values()) {
            if (a.wireName.equals(n)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown fence agent action '" + name + "'");
    }
}
