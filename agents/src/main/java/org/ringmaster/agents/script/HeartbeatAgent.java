package org.ringmaster.agents.script;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
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
 * A heartbeat v1 resource script ({@code heartbeat:NAME}), searched in the configured directories
 * ({@code /etc/ha.d/resource.d} then {@code /etc/init.d}) and called as {@code NAME arg1 arg2 ... start|stop|status}.
 * The positional arguments are the parameters named {@code "1"}, {@code "2"}, ... (see {@link HeartbeatResource}
 * for the {@code IPaddr::10.0.0.8/24/eth0} form).
 *
 * <p>heartbeat scripts often exit 0 from {@code status} whatever the state, so {@code monitor}/{@code status}
 * reads the output: "running" or "OK" (and not "not running" / "stopped") means running (OCF 0), anything else
 * means stopped (OCF 7); a non-zero exit with no such word is stopped too. start/stop: 0 = success, else OCF 1.
 */
public final class HeartbeatAgent extends ScriptAgent {
    private static final Pattern RUNNING = Pattern.compile("\\b(running|ok)\\b");
    private static final Pattern NOT_RUNNING = Pattern.compile("\\b(not running|stopped|dead)\\b");

    private final List<Path> directories;

    public HeartbeatAgent(ResourceAgentId id, List<Path> directories, ProcessRunner runner) {
        super(id, runner);
        if (!"heartbeat".equals(id.agentClass()) || !id.provider().isEmpty()) {
            throw new IllegalArgumentException(id + " is not a heartbeat:NAME agent");
        }
        this.directories = List.copyOf(directories);
    }

    @Override
    protected Path script() {
        for (Path d : directories) {
            Path p = d.resolve(id.type());
            if (Files.exists(p)) {
                return p;
            }
        }
        return directories.isEmpty() ? Path.of(id.type()) : directories.get(0).resolve(id.type());
    }

    @Override
    public AgentMetadata metadata() throws AgentException {
        runnableScript();
        return AgentMetadata.parse(LsbAgent.syntheticMetadata(id.type(), "heartbeat resource script " + script()),
            id.toString());
    }

    @Override
    public AgentOutcome run(ResourceOperation op, Duration timeout) {
        String action = op.action();
        try {
            runnableScript();
            String verb = switch (action) {
                case "start", "stop", "status" -> action;
                case "monitor" -> "status";
                case "meta-data" -> null;
                default -> throw new AgentException(OperationStatus.INVALID, OcfExitCode.ERR_UNIMPLEMENTED.code(),
                    id + " does not support action '" + action + "'");
            };
            if (verb == null) {
                return AgentOutcome.done(0, "", Duration.ZERO, metadata().xml());
            }
            List<String> cmd = new ArrayList<>();
            cmd.add(script().toString());
            cmd.addAll(positional(op));
            cmd.add(verb);
            ProcessOutcome out = exec(action, cmd, Map.of(), timeout, false);
            if (verb.equals("status")) {
                return AgentOutcome.done(isRunning(out) ? 0 : OcfExitCode.NOT_RUNNING.code(), "", out.duration(),
                    out.outputTail());
            }
            int rc = out.exitCode() == 0 ? 0 : OcfExitCode.ERR_GENERIC.code();
            return AgentOutcome.done(rc, rc == 0 ? "" : id + " " + action + " exited with code " + out.exitCode(),
                out.duration(), out.outputTail());
        } catch (AgentException e) {
            return outcomeOf(e);
        }
    }

    private List<String> positional(ResourceOperation op) throws AgentException {
        List<String> args = new ArrayList<>();
        for (int i = 1; op.parameters().containsKey(Integer.toString(i)); i++) {
            args.add(op.parameters().get(Integer.toString(i)));
        }
        if (args.size() != op.parameters().size()) {
            throw new AgentException(OperationStatus.INVALID, OcfExitCode.ERR_ARGS.code(),
                id + " " + op.action() + " of " + op.resourceId() + ": parameters must be named 1, 2, 3 ... "
                    + "without gaps, got " + op.parameters().keySet());
        }
        return args;
    }

    static boolean isRunning(ProcessOutcome out) {
        String text = out.outputTail().toLowerCase(Locale.ROOT);
        if (NOT_RUNNING.matcher(text).find()) {
            return false;
        }
        return RUNNING.matcher(text).find();
    }
}
