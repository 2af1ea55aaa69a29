package org.ringmaster.agents.script;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ringmaster.agents.AgentException;
import org.ringmaster.agents.AgentMetadata;
import org.ringmaster.agents.AgentOutcome;
import org.ringmaster.agents.ScriptAgent;
import org.ringmaster.agents.process.ProcessOutcome;
import org.ringmaster.agents.process.ProcessRunner;
import org.ringmaster.crm.api.resource.OcfExitCode;
import org.ringmaster.crm.api.resource.OperationStatus;
import org.ringmaster.crm.api.resource.ResourceAgentId;
import org.ringmaster.crm.api.resource.ResourceOperation;

/**
 * An LSB init script ({@code lsb:NAME}): {@code <dir>/NAME start|stop|status|restart|reload}, no parameters.
 * {@code monitor} runs {@code status}: 0 = running, 3 = stopped (OCF 7), 1/2 = dead with pid/lock file and
 * 4 = unknown are failures (OCF 1). Other actions' codes 0..7 have the same meaning in LSB and OCF.
 */
public final class LsbAgent extends ScriptAgent {
    private static final Set<String> ACTIONS = Set.of("start", "stop", "status", "monitor", "restart", "reload",
        "force-reload", "meta-data", "validate-all");

    private final Path directory;

    public LsbAgent(ResourceAgentId id, Path directory, ProcessRunner runner) {
        super(id, runner);
        if (!"lsb".equals(id.agentClass()) || !id.provider().isEmpty()) {
            throw new IllegalArgumentException(id + " is not an lsb:NAME agent");
        }
        this.directory = directory;
    }

    @Override
    protected Path script() {
        return directory.resolve(id.type());
    }

    @Override
    public AgentMetadata metadata() throws AgentException {
        runnableScript();
        return AgentMetadata.parse(syntheticMetadata(id.type(), "LSB init script " + script()), id.toString());
    }

    @Override
    public AgentOutcome run(ResourceOperation op, Duration timeout) {
        String action = op.action();
        try {
            runnableScript();
            if (!ACTIONS.contains(action)) {
                return AgentOutcome.refused(OperationStatus.INVALID, OcfExitCode.ERR_UNIMPLEMENTED.code(),
                    id + " does not support action '" + action + "'");
            }
            if (action.equals("meta-data")) {
                return AgentOutcome.done(0, "", Duration.ZERO, metadata().xml());
            }
            if (action.equals("validate-all")) {
                return AgentOutcome.done(0, "", Duration.ZERO, ""); // nothing to validate: LSB takes no parameters
            }
            String verb = action.equals("monitor") ? "status" : action;
            ProcessOutcome out = exec(action, List.of(script().toString(), verb), Map.of(), timeout, false);
            return verb.equals("status") ? mapStatus(action, out) : mapOther(action, out);
        } catch (AgentException e) {
            return outcomeOf(e);
        }
    }

    private AgentOutcome mapStatus(String action, ProcessOutcome out) {
        int lsb = out.exitCode();
        return switch (lsb) {
            case 0 -> AgentOutcome.done(0, "", out.duration(), out.outputTail());
            case 3 -> AgentOutcome.done(OcfExitCode.NOT_RUNNING.code(), "", out.duration(), out.outputTail());
            default -> AgentOutcome.done(OcfExitCode.ERR_GENERIC.code(),
                id + " " + action + ": LSB status " + lsb + " (" + statusMeaning(lsb) + ")",
                out.duration(), out.outputTail());
        };
    }

    private AgentOutcome mapOther(String action, ProcessOutcome out) {
        int lsb = out.exitCode();
        if (lsb >= 0 && lsb <= 7) {
            return AgentOutcome.done(lsb, lsb == 0 ? "" : id + " " + action + " exited with LSB code " + lsb,
                out.duration(), out.outputTail());
        }
        return AgentOutcome.done(OcfExitCode.ERR_GENERIC.code(),
            id + " " + action + " exited with unknown code " + lsb, out.duration(), out.outputTail());
    }

    private static String statusMeaning(int lsb) {
        return switch (lsb) {
            case 1 -> "program is dead and /var/run pid file exists";
            case 2 -> "program is dead and /var/lock lock file exists";
            case 4 -> "program or service status is unknown";
            default -> "unknown status code";
        };
    }

    /** A minimal OCF-shaped description for script classes that have none of their own. */
    static String syntheticMetadata(String name, String desc) {
        String safe = desc.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
        String n = name.replace("&", "&amp;").replace("<", "&lt;").replace("\"", "&quot;");
        return "<?xml version=\"1.0\"?>\n<resource-agent name=\"" + n + "\" version=\"0.1\">\n"
            + "  <version>1.1</version>\n  <shortdesc lang=\"en\">" + safe + "</shortdesc>\n  <parameters/>\n"
            + "  <actions>\n    <action name=\"start\" timeout=\"20s\"/>\n    <action name=\"stop\" timeout=\"20s\"/>\n"
            + "    <action name=\"monitor\" timeout=\"20s\" interval=\"10s\"/>\n"
            + "    <action name=\"meta-data\" timeout=\"5s\"/>\n  </actions>\n</resource-agent>\n";
    }
}
