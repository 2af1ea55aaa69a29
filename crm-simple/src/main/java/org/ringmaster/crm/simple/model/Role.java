package org.ringmaster.crm.simple.model;

import java.util.Locale;

/** The role of a resource instance. Legacy names (Master/Slave) are accepted on input. */
public enum Role {
    STOPPED("Stopped"),
    STARTED("Started"),
    UNPROMOTED("Unpromoted"),
    PROMOTED("Promoted");

    private final String label;

    Role(String label) {
        this.label = label;
    }

    /** The name printed in placements. */
    public String label() {
        return label;
    }

    /** Whether the instance is running in this role. */
    public boolean active() {
        return this != STOPPED;
    }

    /**
     * Parses a role or target-role value.
     *
     * @throws IllegalArgumentException naming {@code where} for an unknown role
     */
    public static Role parse(String text, String where) {
        switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "stopped":
                return STOPPED;
            case "started":
                return STARTED;
            case "unpromoted", "slave":
                return UNPROMOTED;
            case "promoted", "master":
                return PROMOTED;
            default:
                throw new IllegalArgumentException(where + ": unknown role '" + text + "'");
        }
    }
}
