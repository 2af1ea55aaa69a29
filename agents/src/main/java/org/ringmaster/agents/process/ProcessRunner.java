package org.ringmaster.agents.process;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs agent processes the way an HA executor must: each in its own session and process group (through
 * {@code setsid}), with a clean environment, a hard timeout after which the whole group gets SIGTERM and,
 * after a grace period, SIGKILL, and bounded output capture. Thread-safe; one runner serves all operations.
 */
public final class ProcessRunner {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessRunner.class);
    private static final String EXIT_REASON_PREFIX = "ocf-exit-reason:";
    private static final int MAX_LINE = 1024;

    private final ProcessSettings settings;

    public ProcessRunner(ProcessSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public ProcessSettings settings() {
        return settings;
    }

    /**
     * Runs a command to completion or until the timeout, then kills its process group.
     *
     * @param command       program and arguments (the program must exist; callers check first for a clear error)
     * @param environment   the complete environment besides {@code PATH}, which the settings supply unless given
     * @param timeout       how long the process may run
     * @param captureStdout whether to keep stdout (up to {@link ProcessSettings#stdoutLimitBytes()}) for parsing
     * @throws IOException when the process cannot be started at all
     */
    public ProcessOutcome run(List<String> command, Map<String, String> environment, Duration timeout,
                              boolean captureStdout) throws IOException {
        List<String> argv = new ArrayList<>(settings.commandPrefix().size() + command.size() + 1);
        argv.add(settings.setsid());
        argv.addAll(settings.commandPrefix());
        argv.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().clear();
        pb.environment().put("PATH", settings.path());
        pb.environment().putAll(environment);
        OutputTail tail = new OutputTail(settings.tailBytes());
        Capture stdout = new Capture(captureStdout ? settings.stdoutLimitBytes() : 0);
        AtomicReference<String> exitReason = new AtomicReference<>("");

        long startNs = System.nanoTime();
        Process p = pb.start();
        // A JVM child is never a process group leader, so setsid execs in place: pid == pgid == sid.
        long pgid = p.pid();
        Thread out = reader("out-" + pgid, p.getInputStream(), tail, stdout, null);
        Thread err = reader("err-" + pgid, p.getErrorStream(), tail, null, exitReason);
        boolean timedOut = false;
        try {
            if (!p.waitFor(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS)) {
                timedOut = true;
                LOG.warn("{} timed out after {} ms; killing process group {}", command, timeout.toMillis(), pgid);
                killGroup(pgid, settings.killGrace());
                p.waitFor(settings.killGrace().toMillis() + 1000, TimeUnit.MILLISECONDS);
            }
            join(out, err);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            killGroup(pgid, Duration.ZERO);
            timedOut = true;
        }
        Duration took = Duration.ofNanos(System.nanoTime() - startNs);
        int code = timedOut ? -1 : p.exitValue();
        return new ProcessOutcome(code, timedOut, took, stdout.text(), stdout.overflow, tail.text(), exitReason.get());
    }

    /**
     * Sends SIGTERM to a process group, waits up to {@code grace} for it to empty, then SIGKILLs what is left
     * and waits (bounded) until no live member remains.
     */
    public static void killGroup(long pgid, Duration grace) {
        if (pgid <= 1) {
            throw new IllegalArgumentException("refusing to signal process group " + pgid);
        }
        signalGroup(pgid, "TERM");
        long deadline = System.nanoTime() + grace.toNanos();
        while (groupAlive(pgid) && System.nanoTime() < deadline) {
            pause();
        }
        if (groupAlive(pgid)) {
            signalGroup(pgid, "KILL");
            long killDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (groupAlive(pgid) && System.nanoTime() < killDeadline) {
                pause();
            }
        }
    }

    /** Sends a signal ({@code TERM}, {@code KILL}, ...) to every process in a group; failures are logged only. */
    public static void signalGroup(long pgid, String signal) {
        try {
            Process k = new ProcessBuilder("kill", "-s", signal, "--", "-" + pgid)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            k.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            LOG.warn("cannot signal process group {}: {}", pgid, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** True if some process that is not a zombie belongs to the group (read from /proc). */
    public static boolean groupAlive(long pgid) {
        return !groupMembers(pgid).isEmpty();
    }

    /** Pids of live (non-zombie) members of a process group, read from /proc. */
    public static List<Long> groupMembers(long pgid) {
        List<Long> pids = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path d : dirs) {
                ProcStat st = ProcStat.read(d.resolve("stat"));
                if (st != null && st.pgrp() == pgid && st.state() != 'Z' && st.state() != 'X') {
                    pids.add(st.pid());
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot read /proc: {}", e.toString());
        }
        return pids;
    }

    private static void pause() {
        try {
            Thread.sleep(10); // polling /proc: there is no notification for a foreign process group emptying
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void join(Thread out, Thread err) throws InterruptedException {
        long limitMs = settings.drainTimeout().toMillis();
        out.join(limitMs);
        err.join(Math.max(1, limitMs));
        if (out.isAlive() || err.isAlive()) {
            // A daemonised child inherited the pipe; give up on the rest of the output.
            LOG.debug("output of process still open after exit; not waiting for it");
        }
    }

    private static Thread reader(String name, InputStream in, OutputTail tail, Capture capture,
                                 AtomicReference<String> exitReason) {
        Thread t = new Thread(() -> pump(in, tail, capture, exitReason), "agent-" + name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void pump(InputStream in, OutputTail tail, Capture capture, AtomicReference<String> exitReason) {
        byte[] buf = new byte[8192];
        StringBuilder line = new StringBuilder();
        try (in) {
            int n;
            while ((n = in.read(buf)) > 0) {
                tail.write(buf, 0, n);
                if (capture != null) {
                    capture.write(buf, n);
                }
                if (exitReason != null) {
                    scanLines(buf, n, line, exitReason);
                }
            }
            if (exitReason != null) {
                endLine(line, exitReason);
            }
        } catch (IOException e) {
            LOG.debug("reading agent output: {}", e.toString());
        }
    }

    private static void scanLines(byte[] buf, int n, StringBuilder line, AtomicReference<String> exitReason) {
        for (int i = 0; i < n; i++) {
            char c = (char) (buf[i] & 0xff);
            if (c == '\n') {
                endLine(line, exitReason);
            } else if (line.length() < MAX_LINE) {
                line.append(c);
            }
        }
    }

    private static void endLine(StringBuilder line, AtomicReference<String> exitReason) {
        if (line.length() >= EXIT_REASON_PREFIX.length() && line.indexOf(EXIT_REASON_PREFIX) == 0) {
            String latin = line.substring(EXIT_REASON_PREFIX.length()).trim();
            String text = new String(latin.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
            exitReason.set(OutputTail.sanitize(text));
        }
        line.setLength(0);
    }

    /** Bounded stdout capture for meta-data. */
    private static final class Capture {
        private final byte[] data;
        private int size;
        private volatile boolean overflow;

        Capture(int limit) {
            data = new byte[limit];
        }

        synchronized void write(byte[] buf, int n) {
            int room = data.length - size;
            int take = Math.min(room, n);
            System.arraycopy(buf, 0, data, size, take);
            size += take;
            if (take < n && data.length > 0) {
                overflow = true;
            }
        }

        synchronized String text() {
            return new String(data, 0, size, StandardCharsets.UTF_8);
        }
    }
}
