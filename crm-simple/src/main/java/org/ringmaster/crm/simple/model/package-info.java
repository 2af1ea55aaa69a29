/**
 * The immutable resource model the policy engine decides on: nodes, resources (primitives, groups,
 * clones, promotable clones), meta attributes, constraints (location with rules, colocation, order,
 * rgmanager failover domains) and cluster options. Scores saturate at ±{@link
 * org.ringmaster.crm.simple.model.Score#INFINITY}.
 */
package org.ringmaster.crm.simple.model;
