package org.ringmaster.crm.simple.model;

import java.util.Locale;

/** What to do with resources when the partition has no quorum. */
public enum NoQuorumPolicy {
    STOP, FREEZE, IGNORE, DEMOTE, FENCE;

    /** Parses a policy ({@code suicide} = fence). */
    public static NoQuorumPolicy parse(String text, String where) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "stop" -> STOP;
            case "freeze" -> FREEZE;
            case "ignore" -> IGNORE;
            case "demote" -> DEMOTE;
            case "fence", "suicide" -> FENCE;
            default -> throw new IllegalArgumentException(where + ": unknown no-quorum-policy '" + text + "'");
        };
    }
}
