package org.ringmaster.perf;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The node processes one benchmark mode starts: each is this JVM's {@link Bench} with a node
 * sub-command, the launcher's JVM options ({@code --add-exports}, heap and {@code -XX} settings,
 * so GC settings from {@code RINGMASTER_JAVA_OPTS} reach the nodes) and stderr passed through.
 * {@link #close()} (and a shutdown hook, for a bench that is itself interrupted) ends and reaps
 * every one still running, including their children.
 */
public final class NodeProcesses implements AutoCloseable
{
    private final List<Process> processes = new CopyOnWriteArrayList<>();
    private final Thread reaper;

    public NodeProcesses()
    {
        reaper = new Thread(this::destroyAll, "bench-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /**
     * Starts {@code Bench subcommand args...} as a child JVM; {@code jvmArgs} come before the
     * class path (e.g. system properties). Its stdin stays open: the node sub-commands halt when it
     * closes, so none outlives a killed bench.
     */
    public Process start(final List<String> jvmArgs, final String subcommand, final List<String> args) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        for (final String arg : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (arg.startsWith("--add-exports") || arg.startsWith("-Xm") || arg.startsWith("-XX"))
            {
                command.add(arg);
            }
        }
        // No logger is bound in the bench; keep SLF4J's "no providers" notice out of the output.
        command.add("-Dslf4j.internal.verbosity=ERROR");
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Bench.class.getName());
        command.add(subcommand);
        command.addAll(args);
        final Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        processes.add(p);
        return p;
    }

    /**
     * Starts another program (e.g. {@code bash bin/ringmasterd ...}) with stdout and stderr appended
     * to {@code log}; {@code JAVA} in its environment names this JVM's java, for the launchers.
     */
    public Process startCommand(final List<String> command, final java.nio.file.Path log) throws IOException
    {
        final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("JAVA", System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        final Process p = builder.start();
        processes.add(p);
        return p;
    }

    /**
     * Sends a signal by name ({@code STOP}, {@code CONT}, ...) that {@link Process} has no method
     * for, through kill(1); false if that could not be done.
     */
    public static boolean signal(final Process p, final String signal) throws InterruptedException
    {
        try
        {
            final Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(p.pid()))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0;
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    /** Ends {@code p} (SIGKILL, after SIGCONT in case it was stopped) and its children and waits for it. */
    public void end(final Process p) throws InterruptedException
    {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        if (!p.waitFor(10, TimeUnit.SECONDS))
        {
            // A stopped process still dies of SIGKILL; this only matters if that was not delivered yet.
            signal(p, "CONT");
            p.waitFor(10, TimeUnit.SECONDS);
        }
        processes.remove(p);
    }

    /** Ends and reaps every process still known. */
    @Override
    public void close() throws InterruptedException
    {
        for (final Process p : processes)
        {
            end(p);
        }
        try
        {
            Runtime.getRuntime().removeShutdownHook(reaper);
        }
        catch (final IllegalStateException shuttingDown)
        {
            // The hook is running or about to: it does the same.
        }
    }

    private void destroyAll()
    {
        for (final Process p : processes)
        {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }
}
