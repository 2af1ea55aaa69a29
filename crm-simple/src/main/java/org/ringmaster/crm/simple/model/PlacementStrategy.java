package org.ringmaster.crm.simple.model;

import java.util.Locale;

/**
 * How utilization and load break ties between equally scored nodes (cluster option
 * {@code placement-strategy}).
 */
public enum PlacementStrategy {
    /** Utilization is ignored; ties go to the node with the fewest resources. */
    DEFAULT,
    /** A node must have the free capacity a resource needs; ties go to the node with the fewest resources. */
    UTILIZATION,
    /** Capacity is checked; ties go to the node with the most free capacity, then the fewest resources. */
    BALANCED,
    /** Capacity is checked; ties go to the first node by name, so resources pack onto few nodes. */
    MINIMAL;

    /** Parses Pacemaker's spelling; the error names {@code where}. */
    public static PlacementStrategy parse(String text, String where) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "default" -> DEFAULT;
            case "utilization" -> UTILIZATION;
            case "balanced" -> BALANCED;
            case "minimal" -> MINIMAL;
            default -> throw new IllegalArgumentException(where + ": unknown placement-strategy '" + text
                    + "' (default, utilization, balanced, minimal)");
        };
    }

    /** Whether node capacity limits placement. */
    public boolean checksCapacity() {
        return this != DEFAULT;
    }
}
