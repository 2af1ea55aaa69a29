package org.ringmaster.crm.simple.model;

/**
 * rsc_order: {@code then} after {@code first}. Mandatory: if first cannot run, then cannot start.
 * Optional and Serialize only order actions that happen anyway.
 */
public record OrderConstraint(String id, String first, String firstAction, String then, String thenAction,
                              Kind kind, boolean symmetrical) {
    /** Order kinds. */
    public enum Kind { MANDATORY, OPTIONAL, SERIALIZE }
}
