package org.ringmaster.daemon.cli;

import java.io.PrintWriter;
import java.net.SocketException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.ringmaster.daemon.config.ClusterConfig;
import org.ringmaster.daemon.config.ConfigException;
import org.ringmaster.daemon.config.Diagnostic;
import org.ringmaster.daemon.config.HostAddress;
import org.ringmaster.daemon.config.LocalNode;
import org.ringmaster.daemon.config.LocalNodeException;
import org.ringmaster.daemon.config.TotemConfig;
import org.ringmaster.daemon.node.FencerHost;
import org.ringmaster.fencing.FencingConfigReader;
import org.ringmaster.fencing.agent.FenceAgentExecutor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code ringctl config check FILE}: reads and validates a configuration without starting
 * anything. Prints every warning and error as {@code file:line:column: severity: key: message},
 * then a one-line summary.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Validate a configuration file (corosync.conf syntax) without starting anything.",
            "Prints each warning and error with its file:line:column, then a summary."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the file is valid (it may have warnings, unless --strict)",
            "1:the file is invalid, or the local node cannot be determined (--local/--node)",
            "2:bad command line"})
final class ConfigCheckCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "the configuration file, e.g. /etc/corosync/corosync.conf")
    private Path file;

    @Option(names = "--strict", description = "treat warnings as errors (exit 1 if there is any)")
    private boolean strict;

    @Option(names = "--local", description = "also find which node of the nodelist this host is")
    private boolean local;

    @Option(names = "--node", paramLabel = "NAME|ID",
            description = "the local node, where several nodes have addresses on this host (implies --local)")
    private String node;

    @Option(names = "--agents", description = "also run each fence device's agent ('metadata') and check the "
            + "device's parameters against it, as the daemon does at startup")
    private boolean agents;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ClusterConfig config;
        try {
            config = ClusterConfig.load(file);
        } catch (ConfigException e) {
            e.diagnostics().forEach(out::println);
            long errors = e.errors().size();
            out.println(file + ": invalid: " + plural(errors, "error") + ", "
                    + plural(e.diagnostics().size() - errors, "warning"));
            return Ringctl.INVALID;
        }
        List<Diagnostic> warnings = config.warnings();
        warnings.forEach(out::println);
        if (config.fencing().isPresent()) {
            List<String> problems = fencingProblems(config.fencing().get());
            if (!problems.isEmpty()) {
                problems.forEach(p -> out.println(p.replaceFirst("^([^ ]+:[0-9]+:[0-9]+): ", "$1: error: fencing: ")));
                out.println(file + ": invalid: " + plural(problems.size(), "error") + " in fencing, "
                        + plural(warnings.size(), "warning"));
                return Ringctl.INVALID;
            }
        }
        if (strict && !warnings.isEmpty()) {
            out.println(file + ": invalid with --strict: " + plural(warnings.size(), "warning"));
            return Ringctl.INVALID;
        }
        out.println(file + ": ok (" + plural(warnings.size(), "warning") + "): " + summary(config));
        if (local || node != null) {
            try {
                LocalNode me = LocalNode.find(config, Optional.ofNullable(node), HostAddress.ofThisHost(),
                        LocalNode.SYSTEM_RESOLVER);
                out.println("local node: " + me.node().label() + " at " + me.address().getHostAddress()
                        + " (link " + me.link() + ")");
            } catch (LocalNodeException | SocketException e) {
                out.println(file + ": local node: " + e.getMessage());
                return Ringctl.INVALID;
            }
        }
        return Ringctl.OK;
    }

    // The same checks as the daemon's fencer at startup; agents run only with --agents.
    private List<String> fencingProblems(org.ringmaster.daemon.config.ConfigSection fencing) {
        FencingConfigReader.Section section = FencerHost.section(fencing);
        try {
            FencingConfigReader.read(section);
        } catch (IllegalArgumentException e) {
            return List.of(e.getMessage().split("\n"));
        }
        if (!agents) {
            return List.of();
        }
        FenceAgentExecutor executor = FenceAgentExecutor.withDefaults();
        return FencingConfigReader.checkAgainstMetadata(section, agent -> {
            try {
                return executor.metadata(agent);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        });
    }

    private static String summary(ClusterConfig c) {
        TotemConfig t = c.totem();
        StringBuilder s = new StringBuilder();
        s.append("cluster ").append(t.clusterName().map(n -> "'" + n + "'").orElse("(unnamed)"))
                .append(", transport ").append(t.transport().configName())
                .append(", ").append(plural(c.nodes().size(), "node"))
                .append(", token ").append(t.effectiveTokenMs()).append(" ms")
                .append(", consensus ").append(t.consensusMs()).append(" ms");
        if (c.quorum().enabled()) {
            s.append(", votequorum expected_votes ").append(c.quorum().expectedVotes());
        } else {
            s.append(", quorum off");
        }
        if (c.crm().enabled()) {
            s.append(", crm ").append(c.crm().plugin());
        }
        c.fencing().ifPresent(f -> s.append(", fencing ").append(plural(f.sections("device").size(), "device")));
        return s.toString();
    }

    private static String plural(long n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }
}
