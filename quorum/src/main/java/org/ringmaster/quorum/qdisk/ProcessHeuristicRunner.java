package org.ringmaster.quorum.qdisk;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs heuristics as {@code sh -c program} child processes, output discarded. A run that outlives its
 * timeout is killed (with its descendants) and reported as failed; a program that cannot be started
 * is a failure naming the error.
 */
public final class ProcessHeuristicRunner implements HeuristicRunner
{
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        final Thread t = new Thread(r, "qdisk-heuristic-timer");
        t.setDaemon(true);
        return t;
    });
    private final Set<Process> running = ConcurrentHashMap.newKeySet();

    @Override
    public void start(final Heuristic h, final Callback callback)
    {
        final Process p;
        try
        {
            p = new ProcessBuilder("sh", "-c", h.program())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        }
        catch (final IOException ex)
        {
            callback.done(false, "cannot start 'sh -c " + h.program() + "': " + ex.getMessage());
            return;
        }
        running.add(p);
        final java.util.concurrent.atomic.AtomicBoolean timedOut = new java.util.concurrent.atomic.AtomicBoolean();
        final var timeout = timer.schedule(() -> {
            timedOut.set(true);
            kill(p);
        }, h.timeoutMs(), TimeUnit.MILLISECONDS);
        p.onExit().thenAccept(done -> {
            timeout.cancel(false);
            running.remove(done);
            if (timedOut.get())
            {
                callback.done(false, "timed out after " + h.timeoutMs() + " ms");
            }
            else
            {
                callback.done(done.exitValue() == 0, "exit " + done.exitValue());
            }
        });
    }

    private static void kill(final Process p)
    {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    /** Number of child processes still running (for tests and diagnostics). */
    public int running()
    {
        return running.size();
    }

    @Override
    public void close()
    {
        for (final Process p : running)
        {
            kill(p);
        }
        timer.shutdownNow();
    }
}
