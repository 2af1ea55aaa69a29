package org.ringmaster.agents;

import java.time.Duration;
import java.util.Objects;
import org.ringmaster.crm.api.resource.OperationStatus;

/**
 * What an agent run produced, before the executor stamps it into an
 * {@link org.ringmaster.crm.api.resource.OperationResult}.
 *
 * @param status     how far it got
 * @param rc         OCF return code (mapped for non-OCF agents)
 * @param exitReason one line, empty if none
 * @param duration   how long the agent ran
 * @param outputTail the bounded tail of its output
 */
public record AgentOutcome(OperationStatus status, int rc, String exitReason, Duration duration, String outputTail) {

    public AgentOutcome {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(exitReason, "exitReason");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(outputTail, "outputTail");
    }

    /** An operation refused or failed before any process ran. */
    public static AgentOutcome refused(OperationStatus status, int rc, String reason) {
        return new AgentOutcome(status, rc, reason, Duration.ZERO, "");
    }

    /** A completed run with the given rc. */
    public static AgentOutcome done(int rc, String reason, Duration duration, String tail) {
        return new AgentOutcome(OperationStatus.DONE, rc, reason, duration, tail);
    }
}
