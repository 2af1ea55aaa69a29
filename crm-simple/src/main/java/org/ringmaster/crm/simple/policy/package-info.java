/**
 * The policy engine: {@link org.ringmaster.crm.simple.policy.PolicyEngine#decide} is a pure,
 * deterministic function from configuration and status to a {@link
 * org.ringmaster.crm.simple.policy.Transition} (placement, fencing, ordered actions). Scoring follows
 * Pacemaker's scheduler; CONFORMANCE.md in the module records how closely.
 */
package org.ringmaster.crm.simple.policy;
