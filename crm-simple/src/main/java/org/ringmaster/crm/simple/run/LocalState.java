package org.ringmaster.crm.simple.run;

import org.ringmaster.crm.simple.model.Role;
import org.ringmaster.crm.simple.status.OperationRecord;
import org.ringmaster.crm.simple.status.ResourceState;

/**
 * What one node knows of one resource instance it hosts, after its last operation. Immutable.
 *
 * @param failedOp       the operation that failed last ("" when none), with its interval and rc
 */
public record LocalState(Role role, boolean failed, boolean startFailed, boolean stopFailed, boolean notInstalled,
                         String failedOp, long failedInterval, int failedRc) {
    /** Known not to run here. */
    public static final LocalState STOPPED = new LocalState(Role.STOPPED, false, false, false, false, "", 0, 0);
    /** Running here, healthy. */
    public static final LocalState STARTED = new LocalState(Role.STARTED, false, false, false, false, "", 0, 0);

    /** Running (or possibly running) but failed: needs recovery. */
    static LocalState failed(String op, long interval, int rc, boolean start, boolean stop) {
        return new LocalState(Role.STARTED, true, start, stop, false, op, interval, rc);
    }

    /** Active in any role (counting failed: a failed resource may still hold its data). */
    public boolean active() {
        return role.active();
    }

    /** The engine's view of this state on {@code node}. */
    ResourceState toResourceState(String resourceId, String node) {
        OperationRecord last = failed
                ? new OperationRecord(failedOp, failedInterval, failedRc, 0, 0, -1, 0) : null;
        return new ResourceState(resourceId, node, role, failed, stopFailed, startFailed, notInstalled, last);
    }

    /** e.g. {@code Started}, {@code Started FAILED (monitor rc=7)}. */
    public String describe() {
        String s = role.label();
        if (notInstalled) {
            s += " (agent not installed)";
        }
        return failed ? s + " FAILED (" + failedOp + (failedInterval > 0 ? "/" + failedInterval + "ms" : "")
                + " rc=" + failedRc + ")" : s;
    }
}
