package org.ringmaster.crm.api.resource;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The outcome of one run of a {@link ResourceOperation}. Immutable; no field is {@code null}.
 *
 * @param callId      identifies the run; increases with every run on one LRM
 * @param operation   the operation that ran
 * @param status      how far it got; only {@link OperationStatus#DONE} means the agent's own answer
 * @param rc          OCF return code (see {@link OcfExitCode}); mapped for non-OCF agents, chosen by the
 *                    executor for statuses other than DONE
 * @param exitReason  one human line: the agent's {@code ocf-exit-reason:} or the executor's explanation
 *                    (names agent and action); empty when the operation succeeded without comment
 * @param duration    wall time the agent ran (zero if it never started)
 * @param outputTail  the last bytes of the agent's stdout and stderr, bounded by the LRM configuration
 * @param finishedAt  when the result was produced (wall clock, for display only)
 */
public record OperationResult(long callId, ResourceOperation operation, OperationStatus status, int rc,
                              String exitReason, Duration duration, String outputTail, Instant finishedAt) {

    public OperationResult {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(exitReason, "exitReason");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(outputTail, "outputTail");
        Objects.requireNonNull(finishedAt, "finishedAt");
    }

    /** The resource this result is about. */
    public String resourceId() {
        return operation.resourceId();
    }

    /** The action that ran. */
    public String action() {
        return operation.action();
    }

    /** True when the agent ran to completion and answered {@code rc}. */
    public boolean isDone() {
        return status == OperationStatus.DONE;
    }

    /** True when the agent ran and returned {@code expectedRc}. */
    public boolean is(OcfExitCode expectedRc) {
        return status == OperationStatus.DONE && rc == expectedRc.code();
    }

    /** {@code "web monitor (ocf:heartbeat:Dummy): DONE rc=7 (NOT_RUNNING) in 12 ms"} plus the reason if any. */
    @Override
    public String toString() {
        return operation.resourceId() + " " + operation.action()
            + (operation.isRecurring() ? "/" + operation.interval().toMillis() + "ms" : "")
            + " (" + operation.agent() + "): " + status + " rc=" + OcfExitCode.describe(rc)
            + " in " + duration.toMillis() + " ms" + (exitReason.isEmpty() ? "" : ": " + exitReason);
    }
}
