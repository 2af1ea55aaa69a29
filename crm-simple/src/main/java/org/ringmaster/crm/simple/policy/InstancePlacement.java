package org.ringmaster.crm.simple.policy;

import org.ringmaster.crm.simple.model.Role;

/**
 * Where one primitive instance ends up.
 *
 * @param instanceId  {@code rsc}, or {@code child:N} for clone instances
 * @param primitiveId the configured primitive
 * @param cloneId     the enclosing clone, or null
 * @param uniqueClone the enclosing clone is globally unique
 * @param node        the node, or null when stopped
 * @param role        the final role (STOPPED when node is null)
 */
public record InstancePlacement(String instanceId, String primitiveId, String cloneId, boolean uniqueClone,
                                String node, Role role) {
}
