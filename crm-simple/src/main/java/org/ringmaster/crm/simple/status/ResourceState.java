package org.ringmaster.crm.simple.status;

import org.ringmaster.crm.simple.model.Role;

/**
 * The state of one resource (as named in the history: {@code rsc}, {@code child:N} or {@code child})
 * on one node, after replaying its operation history.
 *
 * @param role        the role it is in (STOPPED when not active); STARTED for any non-promoted active
 *                    state of a promotable instance as well, unless a demote/probe said UNPROMOTED
 * @param failed      the last relevant operation failed: the resource needs recovery there
 * @param stopFailed  a stop failed and nothing stopped it since: needs fencing (or is blocked)
 * @param startFailed a start failed (bans the node when start-failure-is-fatal)
 * @param notInstalled a probe said the agent is not installed there (the node is banned)
 * @param lastFailure the last failed operation (its configured on-fail decides the reaction), or null
 */
public record ResourceState(String resourceId, String node, Role role, boolean failed, boolean stopFailed,
                            boolean startFailed, boolean notInstalled, OperationRecord lastFailure) {
    public boolean active() {
        return role.active();
    }
}
