package org.ringmaster.daemon.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ringctl}: the admin command line. Each verb is a picocli sub-command class listed in the
 * {@code subcommands} of the annotation below; {@code status}, {@code crm simulate} and the others
 * are added the same way as {@link ConfigCommand}.
 *
 * <p>Exit codes are the same for every sub-command: {@value #OK} success, {@value #INVALID} the
 * input (config file, request) is invalid or the operation failed, {@value #USAGE} bad command line,
 * {@value #INTERNAL} unexpected internal error.
 */
@Command(name = "ringctl", mixinStandardHelpOptions = true, versionProvider = Ringctl.Version.class,
        description = "Administer a Ringmaster cluster.",
        subcommands = {StatusCommand.class, MembersCommand.class, QuorumCommand.class, LinksCommand.class,
            GroupsCommand.class,
            MetricsCommand.class, MonCommand.class, DemoCommand.class,
            ConfigCommand.class, KeygenCommand.class, QdiskCommand.class, AgentCommand.class, CrmCommand.class,
            CrmVerbCommand.Resource.class, CrmVerbCommand.Node.class, FenceCommand.class, PillCommand.class,
            CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:invalid input (configuration, request) or failed operation",
            "2:bad command line",
            "3:unexpected internal error"})
public final class Ringctl {

    public static final int OK = 0;
    public static final int INVALID = 1;
    public static final int USAGE = 2;
    public static final int INTERNAL = 3;

    private Ringctl() {
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        System.exit(run(out, err, args));
    }

    /** Runs one command line in-process, writing to the given streams; returns the exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = commandLine();
        cl.setOut(out);
        cl.setErr(err);
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** The command tree with Ringmaster's exit codes; for embedding and tests. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Ringctl());
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("ringctl: internal error: " + e);
            e.printStackTrace(commandLine.getErr());
            return INTERNAL;
        });
        return cl;
    }

    /** Version from the jar manifest, if packaged. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Ringctl.class.getPackage().getImplementationVersion();
            return new String[] {"ringctl " + (v == null ? "(development build)" : v)};
        }
    }
}
