package org.ringmaster.agents;

import org.ringmaster.crm.api.resource.OperationStatus;

/** An agent cannot be used: missing, not executable, or with unusable meta-data. The message names the agent. */
public class AgentException extends Exception {
    private final OperationStatus status;
    private final int rc;

    public AgentException(OperationStatus status, int rc, String message) {
        super(message);
        this.status = status;
        this.rc = rc;
    }

    /** The status an operation failing for this reason gets. */
    public OperationStatus status() {
        return status;
    }

    /** The OCF rc an operation failing for this reason gets. */
    public int rc() {
        return rc;
    }

    /** This failure as the outcome of an operation that could not run. */
    public AgentOutcome toOutcome() {
        return AgentOutcome.refused(status, rc, getMessage());
    }
}
