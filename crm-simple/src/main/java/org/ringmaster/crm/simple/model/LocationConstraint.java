package org.ringmaster.crm.simple.model;

import java.util.List;

/**
 * rsc_location: either {@code node}+{@code score}, or {@code rules}. The resource is named by
 * {@code resource} or matched by the regular expression {@code resourcePattern}. {@code role} (null =
 * any) restricts the constraint to a role, e.g. Promoted.
 */
public record LocationConstraint(String id, String resource, String resourcePattern, String node, int score,
                                 List<Rule> rules, Role role) {
    public LocationConstraint {
        rules = List.copyOf(rules);
    }
}
