package org.ringmaster.agents.builtin;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.ringmaster.agents.process.ProcStat;
import org.ringmaster.agents.process.ProcessRunner;
import org.ringmaster.agents.process.ProcessSettings;
import org.ringmaster.crm.api.resource.OcfExitCode;
import org.ringmaster.crm.api.resource.ResourceOperation;

/**
 * {@code builtin:process}: a managed long-running command. start spawns {@code /bin/sh -c COMMAND} in its
 * own session (so stop can kill everything it forked) with output appended to {@code <state>/<resource>.log},
 * and records the pid and kernel start time in {@code <state>/<resource>.pid} (so a reused pid is not mistaken for
 * it, and a restarted LRM still finds it). No restarts: that is the CRM's decision.
 *
 * <p>monitor: 7 when the process is gone; when alive and a {@code probe} is set, 0 only if the probe answers:
 * {@code tcp:HOST:PORT} (connect) or {@code http://...} (status below 400), else 1. start with a probe waits until
 * the probe answers or the timeout expires. stop: SIGTERM to the group, SIGKILL after half the timeout.
 */
public final class ProcessAgent extends BuiltinAgent {
    private static final String METADATA = """
        <?xml version="1.0"?>
        <resource-agent name="process" version="1.0">
          <version>1.1</version>
          <shortdesc lang="en">Built-in managed long-running command</shortdesc>
          <parameters>
            <parameter name="command" required="1">
              <shortdesc lang="en">Shell command line, run with /bin/sh -c</shortdesc>
              <content type="string"/>
            </parameter>
            <parameter name="workdir"><shortdesc lang="en">Working directory</shortdesc><content type="string" default="/"/></parameter>
            <parameter name="probe">
              <shortdesc lang="en">Health probe: tcp:HOST:PORT or http://HOST:PORT/PATH</shortdesc>
              <content type="string"/>
            </parameter>
            <parameter name="probe_timeout_ms"><shortdesc lang="en">Probe timeout (ms)</shortdesc><content type="integer" default="2000"/></parameter>
          </parameters>
          <actions>
            <action name="start" timeout="20s"/>
            <action name="stop" timeout="20s"/>
            <action name="monitor" timeout="20s" interval="10s"/>
            <action name="validate-all" timeout="5s"/>
            <action name="meta-data" timeout="5s"/>
          </actions>
        </resource-agent>
        """;

    private final Path stateDirectory;
    private final ProcessSettings settings;

    public ProcessAgent(Path stateDirectory, ProcessSettings settings) {
        super("process", METADATA, Set.of("start", "stop", "monitor", "validate-all"));
        this.stateDirectory = stateDirectory;
        this.settings = settings;
    }

    @Override
    protected Result perform(ResourceOperation op, long deadlineNs) throws IOException, InterruptedException {
        return switch (op.action()) {
            case "start" -> start(op, deadlineNs);
            case "stop" -> stop(op, deadlineNs);
            case "monitor" -> monitor(op);
            default -> validate(op);
        };
    }

    private Result validate(ResourceOperation op) {
        Path wd = Path.of(param(op, "workdir", "/"));
        if (!Files.isDirectory(wd)) {
            return Result.rc(OcfExitCode.ERR_CONFIGURED, "workdir " + wd + " is not a directory");
        }
        String probe = param(op, "probe", "");
        if (!probe.isEmpty() && !probe.startsWith("tcp:") && !probe.startsWith("http://")) {
            return Result.rc(OcfExitCode.ERR_CONFIGURED, "probe '" + probe + "' is neither tcp:HOST:PORT nor http://");
        }
        return Result.ok("");
    }

    private Result start(ResourceOperation op, long deadlineNs) throws IOException, InterruptedException {
        Result invalid = validate(op);
        if (invalid.rc() != 0) {
            return invalid;
        }
        if (alive(op) != null) {
            return Result.ok(""); // idempotent
        }
        Files.createDirectories(stateDirectory);
        Path log = stateDirectory.resolve(op.resourceId() + ".log");
        ProcessBuilder pb = new ProcessBuilder(settings.setsid(), "/bin/sh", "-c", op.parameters().get("command"))
            .directory(new File(param(op, "workdir", "/")))
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().put("PATH", settings.path());
        pb.environment().put("OCF_RESOURCE_INSTANCE", op.resourceId());
        Process p = pb.start();
        ProcStat st = waitForStat(p.pid());
        if (st == null) {
            return Result.rc(OcfExitCode.ERR_GENERIC, "'" + op.parameters().get("command") + "' exited at once with code "
                + p.waitFor() + " (see " + log + ")");
        }
        Files.writeString(pidFile(op), st.pid() + " " + st.startTime() + "\n");
        String probe = param(op, "probe", "");
        // Without a probe a command that dies at once still counts as failed: give it a moment.
        if (p.waitFor(Math.min(200, TimeUnit.NANOSECONDS.toMillis(remainingNs(deadlineNs)) / 4), TimeUnit.MILLISECONDS)) {
            Files.deleteIfExists(pidFile(op));
            return Result.rc(OcfExitCode.ERR_GENERIC, "'" + op.parameters().get("command") + "' exited at once with code "
                + p.exitValue() + " (see " + log + ")");
        }
        if (probe.isEmpty()) {
            return Result.ok("");
        }
        String lastError = "";
        while (remainingNs(deadlineNs) > 0) {
            if (!p.isAlive()) {
                Files.deleteIfExists(pidFile(op));
                return Result.rc(OcfExitCode.ERR_GENERIC, "'" + op.parameters().get("command") + "' exited with code "
                    + p.exitValue() + " before its probe answered (see " + log + ")");
            }
            lastError = probe(probe, probeTimeout(op, deadlineNs));
            if (lastError.isEmpty()) {
                return Result.ok("");
            }
            TimeUnit.MILLISECONDS.sleep(100); // probe retry pacing
        }
        ProcessRunner.killGroup(st.pid(), Duration.ofSeconds(1));
        Files.deleteIfExists(pidFile(op));
        return Result.timeout("probe " + probe + " never answered: " + lastError);
    }

    private Result stop(ResourceOperation op, long deadlineNs) throws IOException {
        ProcStat st = alive(op);
        if (st != null) {
            ProcessRunner.killGroup(st.pid(), Duration.ofNanos(remainingNs(deadlineNs) / 2));
            if (ProcessRunner.groupAlive(st.pid())) {
                return Result.rc(OcfExitCode.ERR_GENERIC, "process group " + st.pid() + " survived SIGKILL");
            }
        }
        Files.deleteIfExists(pidFile(op));
        return Result.ok("");
    }

    private Result monitor(ResourceOperation op) throws IOException {
        ProcStat st = alive(op);
        if (st == null) {
            return Result.rc(OcfExitCode.NOT_RUNNING, "");
        }
        String probe = param(op, "probe", "");
        if (!probe.isEmpty()) {
            String err = probe(probe, probeTimeout(op, Long.MAX_VALUE));
            if (!err.isEmpty()) {
                return Result.rc(OcfExitCode.ERR_GENERIC, "process " + st.pid() + " is alive but probe " + probe
                    + " failed: " + err);
            }
        }
        return Result.ok("");
    }

    /** The recorded process if it is still the same live process, else null. */
    private ProcStat alive(ResourceOperation op) throws IOException {
        Path pf = pidFile(op);
        if (!Files.exists(pf)) {
            return null;
        }
        String[] f = Files.readString(pf, StandardCharsets.UTF_8).trim().split("\\s+");
        try {
            ProcStat st = ProcStat.of(Long.parseLong(f[0]));
            if (st != null && f.length > 1 && st.startTime() == Long.parseLong(f[1])
                && st.state() != 'Z' && st.state() != 'X') {
                return st;
            }
        } catch (NumberFormatException e) {
            // a damaged pid file: treat as not running
        }
        return null;
    }

    private static ProcStat waitForStat(long pid) {
        ProcStat st = ProcStat.of(pid);
        return st == null || st.state() == 'Z' ? null : st;
    }

    private static int probeTimeout(ResourceOperation op, long deadlineNs) {
        long ms = Long.parseLong(param(op, "probe_timeout_ms", "2000").trim());
        long left = deadlineNs == Long.MAX_VALUE ? ms : TimeUnit.NANOSECONDS.toMillis(remainingNs(deadlineNs));
        return (int) Math.max(1, Math.min(ms, left));
    }

    /** Empty when the probe answered, else why not. */
    static String probe(String probe, int timeoutMs) {
        try {
            if (probe.startsWith("tcp:")) {
                String hp = probe.substring(4);
                int colon = hp.lastIndexOf(':');
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(hp.substring(0, colon), Integer.parseInt(hp.substring(colon + 1))),
                        timeoutMs);
                }
                return "";
            }
            HttpURLConnection c = (HttpURLConnection) URI.create(probe).toURL().openConnection();
            c.setConnectTimeout(timeoutMs);
            c.setReadTimeout(timeoutMs);
            try {
                int code = c.getResponseCode();
                return code < 400 ? "" : "HTTP " + code;
            } finally {
                c.disconnect();
            }
        } catch (IOException | RuntimeException e) {
            return e.toString();
        }
    }

    private Path pidFile(ResourceOperation op) {
        return stateDirectory.resolve(op.resourceId() + ".pid");
    }
}
