package org.ringmaster.crm.simple.model;

/**
 * rsc_colocation: {@code dependent} is placed relative to {@code primary}. INFINITY = must run
 * together, -INFINITY = must not, finite = preference. Roles are null when not given.
 * {@code nodeAttribute} (default {@code #uname}) says what "together" means.
 */
public record ColocationConstraint(String id, String dependent, String primary, int score, Role dependentRole,
                                   Role primaryRole, String nodeAttribute, boolean influence) {
}
