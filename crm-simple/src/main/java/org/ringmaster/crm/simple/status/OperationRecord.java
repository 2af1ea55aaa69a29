package org.ringmaster.crm.simple.status;

/**
 * One recorded operation (lrm_rsc_op). {@code expectedRc} comes from the transition key; -1 when
 * unknown (then 7 for probes and 0 otherwise is assumed). opStatus: 0 done, 1 cancelled, 2 timeout,
 * 4 error, -1 pending.
 */
public record OperationRecord(String operation, long intervalMs, int rc, int opStatus, int callId, int expectedRc,
                              long lastRcChange) {
    /** A probe: a one-shot monitor. */
    public boolean probe() {
        return "monitor".equals(operation) && intervalMs == 0;
    }

    int expected() {
        if (expectedRc >= 0) {
            return expectedRc;
        }
        return probe() ? 7 : 0;
    }
}
