package org.ringmaster.agents.builtin;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.ringmaster.agents.AgentMetadata;
import org.ringmaster.agents.AgentOutcome;
import org.ringmaster.agents.ResourceAgent;
import org.ringmaster.crm.api.resource.OcfExitCode;
import org.ringmaster.crm.api.resource.OperationStatus;
import org.ringmaster.crm.api.resource.ResourceAgentId;
import org.ringmaster.crm.api.resource.ResourceOperation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shared shape of the built-in agents: fixed meta-data, parameter checks before every action but stop, an
 * action whitelist, and exceptions turned into outcomes that name the agent and action.
 */
abstract class BuiltinAgent implements ResourceAgent {
    private static final Logger LOG = LoggerFactory.getLogger(BuiltinAgent.class);

    protected final ResourceAgentId id;
    private final AgentMetadata metadata;
    private final Set<String> actions;

    BuiltinAgent(String type, String metadataXml, Set<String> actions) {
        this.id = new ResourceAgentId("builtin", "", type);
        this.metadata = AgentMetadata.parse(metadataXml, id.toString());
        this.actions = Set.copyOf(actions);
    }

    @Override
    public final ResourceAgentId id() {
        return id;
    }

    @Override
    public final AgentMetadata metadata() {
        return metadata;
    }

    @Override
    public final AgentOutcome run(ResourceOperation op, Duration timeout) {
        long startNs = System.nanoTime();
        String action = op.action();
        if (action.equals(ResourceOperation.META_DATA)) {
            return AgentOutcome.done(0, "", Duration.ZERO, metadata.xml());
        }
        if (!actions.contains(action)) {
            return AgentOutcome.refused(OperationStatus.INVALID, OcfExitCode.ERR_UNIMPLEMENTED.code(),
                id + " does not support action '" + action + "'");
        }
        if (!action.equals(ResourceOperation.STOP)) {
            List<String> problems = metadata.problems(op.parameters());
            if (!problems.isEmpty()) {
                return AgentOutcome.refused(OperationStatus.INVALID, OcfExitCode.ERR_CONFIGURED.code(),
                    id + " " + action + " of " + op.resourceId() + ": " + String.join("; ", problems));
            }
        }
        try {
            Result r = perform(op, startNs + timeout.toNanos());
            Duration took = Duration.ofNanos(System.nanoTime() - startNs);
            if (r.timedOut) {
                return new AgentOutcome(OperationStatus.TIMED_OUT, OcfExitCode.ERR_GENERIC.code(),
                    id + " " + action + " of " + op.resourceId() + " timed out after " + timeout.toMillis() + " ms"
                        + (r.reason.isEmpty() ? "" : ": " + r.reason), took, r.output);
            }
            String reason = r.rc == 0 || r.reason.isEmpty() ? r.reason : id + " " + action + ": " + r.reason;
            return AgentOutcome.done(r.rc, reason, took, r.output);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.warn("{} {} of {} failed", id, action, op.resourceId(), e);
            return new AgentOutcome(OperationStatus.ERROR, OcfExitCode.ERR_GENERIC.code(),
                id + " " + action + " of " + op.resourceId() + " failed: " + e, Duration.ofNanos(System.nanoTime()
                - startNs), "");
        }
    }

    /**
     * Does the action.
     *
     * @param deadlineNs {@link System#nanoTime()} by which it must be done
     */
    protected abstract Result perform(ResourceOperation op, long deadlineNs) throws Exception;

    static long remainingNs(long deadlineNs) {
        return Math.max(0, deadlineNs - System.nanoTime());
    }

    /** Result of {@link #perform}: rc, reason (without the agent prefix), output, whether it ran out of time. */
    record Result(int rc, String reason, String output, boolean timedOut) {
        static Result ok(String output) {
            return new Result(0, "", output, false);
        }

        static Result rc(int rc, String reason) {
            return new Result(rc, reason, "", false);
        }

        static Result rc(OcfExitCode rc, String reason) {
            return new Result(rc.code(), reason, "", false);
        }

        static Result timeout(String reason) {
            return new Result(OcfExitCode.ERR_GENERIC.code(), reason, "", true);
        }
    }

    static String param(ResourceOperation op, String name, String dflt) {
        return op.parameters().getOrDefault(name, dflt);
    }
}
