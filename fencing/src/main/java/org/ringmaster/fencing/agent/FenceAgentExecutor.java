package org.ringmaster.fencing.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.ringmaster.fencing.process.ChildProcess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs standard fence agents (Debian fence-agents, any FenceAgentAPI-compliant program) the way fenced and
 * pacemaker-fenced do: no arguments, every parameter as {@code name=value} lines on stdin, the answer in the exit
 * code.
 *
 * <p>Secrets travel only on stdin: the command line is just the agent path (visible in {@code ps}), the
 * environment is a fixed minimal one, and everything the agent prints is redacted before it is logged or
 * returned. Each attempt runs in a new session and its whole process group is killed at the timeout.
 *
 * <p>Thread-safe; {@link #run} blocks the calling thread for the agent's duration, so call it from a worker
 * thread, never from protocol logic.
 */
public final class FenceAgentExecutor {

    private static final Logger LOG = LoggerFactory.getLogger(FenceAgentExecutor.class);
    private static final Pattern AGENT_NAME = Pattern.compile("[A-Za-z0-9_.+-]+");

    private final Config config;

    public FenceAgentExecutor(Config config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** An executor with {@link Config#defaults()}. */
    public static FenceAgentExecutor withDefaults() {
        return new FenceAgentExecutor(Config.defaults());
    }

    public Config config() {
        return config;
    }

    /**
     * Resolves an agent name to an executable.
     *
     * @throws FenceAgentException naming the agent and the directories searched
     */
    public Path resolve(String agent) {
        Path p;
        if (agent.startsWith("/")) {
            p = Path.of(agent);
        } else {
            if (!AGENT_NAME.matcher(agent).matches()) {
                throw new FenceAgentException("bad fence agent name '" + agent + "'");
            }
            p = config.agentDirs().stream().map(d -> d.resolve(agent)).filter(Files::exists).findFirst()
                .orElseThrow(() -> new FenceAgentException("fence agent '" + agent + "' not found in "
                    + config.agentDirs() + " (is the fence-agents package installed?)"));
        }
        if (!Files.isRegularFile(p)) {
            throw new FenceAgentException("fence agent '" + agent + "': " + p + " does not exist");
        }
        if (!Files.isExecutable(p)) {
            throw new FenceAgentException("fence agent '" + agent + "': " + p + " is not executable");
        }
        return p;
    }

    /**
     * Runs the call, retrying failures and timeouts up to {@code call.retries()} times.
     *
     * @throws FenceAgentException when the agent cannot be found or started (not retried)
     */
    public AgentOutcome run(AgentCall call) throws InterruptedException {
        Path path = resolve(call.agent());
        String name = path.getFileName().toString();
        byte[] stdin = call.params().toStdin(call.action());
        long totalStart = System.nanoTime();
        ChildProcess.Exit exit = null;
        int attempt = 0;
        while (attempt <= call.retries()) {
            attempt++;
            try {
                exit = ChildProcess.run(List.of(path.toString()), config.environment(), stdin, call.timeout(),
                    config.maxOutputBytes());
            } catch (IOException e) {
                throw new FenceAgentException("fence agent " + name + " " + call.action().wireName()
                    + ": cannot start " + path + ": " + call.params().redact(String.valueOf(e.getMessage())), e);
            }
            AgentOutcome o = outcome(name, call, exit, attempt, totalStart);
            if (o.succeeded()) {
                LOG.debug("{}", o.describe());
                return o;
            }
            LOG.warn("fence agent attempt {}/{} failed: {}", attempt, call.retries() + 1, o.describe());
        }
        return outcome(name, call, exit, attempt, totalStart);
    }

    /**
     * Runs {@code metadata} and parses it.
     *
     * @throws FenceAgentException when the agent fails or prints something that is not agent metadata
     */
    public AgentMetadata metadata(String agent) throws InterruptedException {
        AgentOutcome o = run(AgentCall.once(agent, AgentAction.METADATA, AgentParams.empty(),
            config.metadataTimeout()));
        if (!o.succeeded()) {
            throw new FenceAgentException("fence agent " + agent + " metadata failed: " + o.describe());
        }
        return AgentMetadata.parse(agent, o.stdout());
    }

    /**
     * Runs {@code list} and parses the ports.
     *
     * @throws FenceAgentException when the agent fails or its output is not a port list
     */
    public List<HostListEntry> list(String agent, AgentParams params, Duration timeout, int retries)
        throws InterruptedException {
        AgentOutcome o = run(new AgentCall(agent, AgentAction.LIST, params, timeout, retries));
        if (!o.succeeded()) {
            throw new FenceAgentException("fence agent " + agent + " list failed: " + o.describe());
        }
        return HostListEntry.parse(agent, o.stdout(), params.get("separator"));
    }

    private AgentOutcome outcome(String name, AgentCall call, ChildProcess.Exit exit, int attempts, long start) {
        AgentParams p = call.params();
        return new AgentOutcome(name, call.action(), exit.exitCode(), exit.timedOut(), attempts,
            p.redact(exit.stdout()), p.redact(exit.stderr()), Duration.ofNanos(System.nanoTime() - start));
    }

    /**
     * Executor settings. Immutable; validated on construction (messages name the setting).
     *
     * @param agentDirs       where bare agent names are looked up, in order; default {@code /usr/sbin},
     *                        {@code /usr/local/sbin}, {@code /sbin}
     * @param environment     the agents' whole environment; default {@code PATH} of the system directories and
     *                        {@code LC_ALL=C}
     * @param metadataTimeout timeout of {@code metadata} calls; default 10 s
     * @param maxOutputBytes  per stream and attempt; the rest is dropped; default 64 KiB
     */
    public record Config(List<Path> agentDirs, Map<String, String> environment, Duration metadataTimeout,
                         int maxOutputBytes) {

        public Config {
            Objects.requireNonNull(agentDirs, "agentDirs");
            Objects.requireNonNull(environment, "environment");
            Objects.requireNonNull(metadataTimeout, "metadataTimeout");
            if (agentDirs.isEmpty()) {
                throw new IllegalArgumentException("fence agent executor: agentDirs is empty");
            }
            if (metadataTimeout.isNegative() || metadataTimeout.isZero()) {
                throw new IllegalArgumentException("fence agent executor: metadataTimeout must be positive, was "
                    + metadataTimeout);
            }
            if (maxOutputBytes < 1024) {
                throw new IllegalArgumentException("fence agent executor: maxOutputBytes must be >= 1024, was "
                    + maxOutputBytes);
            }
            agentDirs = List.copyOf(agentDirs);
            environment = Map.copyOf(environment);
        }

        /** The documented defaults. */
        public static Config defaults() {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
            env.put("LC_ALL", "C");
            return new Config(List.of(Path.of("/usr/sbin"), Path.of("/usr/local/sbin"), Path.of("/sbin")), env,
                Duration.ofSeconds(10), 64 * 1024);
        }

        public Config withAgentDirs(List<Path> dirs) {
            return new Config(dirs, environment, metadataTimeout, maxOutputBytes);
        }

        public Config withMaxOutputBytes(int max) {
            return new Config(agentDirs, environment, metadataTimeout, max);
        }
    }
}
