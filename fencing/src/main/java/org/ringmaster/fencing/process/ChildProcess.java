package org.ringmaster.fencing.process;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one program in its own session (so its whole process group can be killed), feeds it stdin, captures a
 * bounded amount of stdout/stderr, and kills the group when it overruns its timeout. Shared by the agent executor
 * and the alert runner. Internal to the fencing module.
 */
public final class ChildProcess {

    /** What happened to one run. Output is raw (not yet redacted). */
    public record Exit(int exitCode, boolean timedOut, String stdout, String stderr, Duration duration) {
    }

    private static final Path SETSID = Path.of("/usr/bin/setsid");
    private static final long READER_GRACE_MS = 2_000;

    private ChildProcess() {
    }

    /**
     * Runs {@code command} with exactly {@code env} as its environment.
     *
     * @throws IOException when the program cannot be started
     */
    public static Exit run(List<String> command, Map<String, String> env, byte[] stdin, Duration timeout, int maxOutputBytes)
        throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            argv.add(SETSID.toString()); // new session: pid == process group id, so kill(-pid) reaches every child
        }
        argv.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().clear();
        pb.environment().putAll(env);
        long start = System.nanoTime();
        Process p = pb.start();
        Capture out = new Capture(p.getInputStream(), maxOutputBytes, "stdout");
        Capture err = new Capture(p.getErrorStream(), maxOutputBytes, "stderr");
        out.start();
        err.start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(stdin);
        } catch (IOException agentClosedStdin) {
            // An agent that ignores stdin (e.g. exits at once) is judged by its exit code, not by this.
        }
        boolean finished;
        try {
            finished = p.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            killGroup(p);
            throw e;
        }
        if (!finished) {
            killGroup(p);
            p.waitFor(5, TimeUnit.SECONDS);
        }
        // Children left behind may hold the pipes open; do not wait on them for long.
        out.join(READER_GRACE_MS);
        err.join(READER_GRACE_MS);
        if (out.isAlive() || err.isAlive()) {
            killGroup(p);
            out.join(READER_GRACE_MS);
            err.join(READER_GRACE_MS);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        return new Exit(finished ? p.exitValue() : -1, !finished, out.text(), err.text(), took);
    }

    /** SIGKILL to the whole process group, then to any descendant that changed group. */
    public static void killGroup(Process p) {
        List<ProcessHandle> descendants = p.descendants().toList();
        try {
            Process kill = new ProcessBuilder("kill", "-KILL", "--", "-" + p.pid())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            kill.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            // fall through to the per-process kill below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        p.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
    }

    /** Reads one stream to the end, keeping at most {@code max} bytes (the rest is counted, then dropped). */
    private static final class Capture extends Thread {
        private final InputStream in;
        private final int max;
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
        private long dropped;

        Capture(InputStream in, int max, String name) {
            super("fencing-child-" + name);
            setDaemon(true);
            this.in = in;
            this.max = max;
        }

        @Override
        public void run() {
            byte[] chunk = new byte[4096];
            try (in) {
                int n;
                while ((n = in.read(chunk)) >= 0) {
                    synchronized (this) {
                        int keep = Math.max(0, Math.min(n, max - buf.size()));
                        buf.write(chunk, 0, keep);
                        dropped += n - keep;
                    }
                }
            } catch (IOException closed) {
                // stream closed after a kill: keep what was read
            }
        }

        synchronized String text() {
            String s = buf.toString(StandardCharsets.UTF_8);
            return dropped > 0 ? s + "\n[... " + dropped + " more bytes dropped]" : s;
        }
    }
}
