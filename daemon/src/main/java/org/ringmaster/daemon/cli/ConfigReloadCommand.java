package org.ringmaster.daemon.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ringmaster.daemon.client.RingmasterClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ringctl config reload}: like {@code corosync-cfgtool -R}, every node re-reads its configuration. */
@Command(name = "reload", mixinStandardHelpOptions = true,
        description = {"Make every node of the cluster re-read its configuration file and apply what can change "
                + "while running: the logging section, quorum expected_votes and node quorum_votes (cluster-wide), "
                + "and the CRM's resources file (crm.config). Other changes (token timing, transport, crypto, the "
                + "node list) are reported as needing a restart and keep running as they were.",
            "Prints each node's report; a file that does not validate changes nothing on that node."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every node reloaded (some changes may need a restart: see the report)",
            "1:the daemon cannot be reached, or a node did not reload (invalid file, no answer, a change failed)",
            "2:bad command line"})
final class ConfigReloadCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private DaemonConnection daemon;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Map<Integer, List<String>> reports;
        try (RingmasterClient client = daemon.connect()) {
            reports = client.reload();
        } catch (IOException e) {
            spec.commandLine().getErr().println("ringctl config reload: " + e.getMessage());
            return Ringctl.INVALID;
        }
        boolean ok = true;
        for (List<String> lines : reports.values()) {
            ok &= !lines.isEmpty() && lines.get(0).startsWith("reloaded ")
                    && lines.stream().noneMatch(l -> l.startsWith("failed"));
        }
        if (daemon.json) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("ok", ok);
            fields.put("nodes", reports.entrySet().stream().map(e -> {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("nodeid", e.getKey());
                o.put("report", e.getValue());
                return o;
            }).toList());
            out.println(JsonWriter.object(fields));
        } else {
            reports.forEach((id, lines) -> {
                out.println("node " + id + ": " + lines.get(0));
                lines.subList(1, lines.size()).forEach(l -> out.println("  " + l));
            });
        }
        return ok ? Ringctl.OK : Ringctl.INVALID;
    }
}
