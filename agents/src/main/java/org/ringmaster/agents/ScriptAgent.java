package org.ringmaster.agents;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.ringmaster.agents.process.ProcessOutcome;
import org.ringmaster.agents.process.ProcessRunner;
import org.ringmaster.crm.api.resource.OcfExitCode;
import org.ringmaster.crm.api.resource.OperationStatus;
import org.ringmaster.crm.api.resource.ResourceAgentId;

/**
 * Common ground of agents that are executables on disk (OCF, LSB, heartbeat): locating and checking the
 * script, running it through the {@link ProcessRunner}, and turning timeouts and exec failures into
 * outcomes that name the agent and action.
 */
public abstract class ScriptAgent implements ResourceAgent {
    protected final ResourceAgentId id;
    protected final ProcessRunner runner;

    protected ScriptAgent(ResourceAgentId id, ProcessRunner runner) {
        this.id = Objects.requireNonNull(id, "id");
        this.runner = Objects.requireNonNull(runner, "runner");
    }

    @Override
    public final ResourceAgentId id() {
        return id;
    }

    /** Where the executable is (or would be); throws when no location applies. */
    protected abstract Path script() throws AgentException;

    /** The script, checked to be an executable regular file. */
    protected final Path runnableScript() throws AgentException {
        Path p = script();
        if (!Files.exists(p)) {
            throw new AgentException(OperationStatus.NOT_INSTALLED, OcfExitCode.ERR_INSTALLED.code(),
                id + " is not installed: " + p + " does not exist");
        }
        if (!Files.isRegularFile(p)) {
            throw new AgentException(OperationStatus.NOT_INSTALLED, OcfExitCode.ERR_INSTALLED.code(),
                id + " is not installed: " + p + " is not a regular file");
        }
        if (!Files.isExecutable(p)) {
            throw new AgentException(OperationStatus.NOT_INSTALLED, OcfExitCode.ERR_INSTALLED.code(),
                id + " is not installed: " + p + " is not executable");
        }
        return p;
    }

    /**
     * Runs the script. A timeout, a failure to start or a failed exec become an {@link AgentException}.
     */
    protected final ProcessOutcome exec(String action, List<String> command, Map<String, String> env,
                                        Duration timeout, boolean captureStdout) throws AgentException {
        ProcessOutcome out;
        try {
            out = runner.run(command, env, timeout, captureStdout);
        } catch (IOException e) {
            throw new AgentException(OperationStatus.ERROR, OcfExitCode.ERR_GENERIC.code(),
                "cannot run " + id + " " + action + ": " + e.getMessage());
        }
        if (out.timedOut()) {
            throw new TimedOut(id + " " + action + " timed out after " + timeout.toMillis()
                + " ms; its process group was killed", out);
        }
        if ((out.exitCode() == 126 || out.exitCode() == 127) && out.outputTail().contains("setsid: failed to execute")) {
            throw new AgentException(OperationStatus.NOT_INSTALLED, OcfExitCode.ERR_INSTALLED.code(),
                "cannot execute " + id + " " + action + ": " + lastLine(out.outputTail()));
        }
        return out;
    }

    /** Runs {@link #run} logic, turning an {@link AgentException} into an outcome. */
    protected static AgentOutcome outcomeOf(AgentException e) {
        if (e instanceof TimedOut t) {
            return new AgentOutcome(OperationStatus.TIMED_OUT, OcfExitCode.ERR_GENERIC.code(), e.getMessage(),
                t.outcome.duration(), t.outcome.outputTail());
        }
        return e.toOutcome();
    }

    protected static String lastLine(String text) {
        String t = text.strip();
        int nl = t.lastIndexOf('\n');
        return nl < 0 ? t : t.substring(nl + 1);
    }

    /** A timeout: carries the killed process's partial output. */
    protected static final class TimedOut extends AgentException {
        final transient ProcessOutcome outcome;

        TimedOut(String message, ProcessOutcome outcome) {
            super(OperationStatus.TIMED_OUT, OcfExitCode.ERR_GENERIC.code(), message);
            this.outcome = outcome;
        }
    }
}
