package org.ringmaster.daemon.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.ringmaster.daemon.client.CrmStatus;
import org.ringmaster.daemon.client.LocalMember;
import org.ringmaster.daemon.client.Member;
import org.ringmaster.daemon.client.NodeStatus;
import org.ringmaster.daemon.client.RingmasterClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ringctl mon}: status, members and groups, refreshed until Ctrl-C (like crm_mon). */
@Command(name = "mon", mixinStandardHelpOptions = true,
        description = "Show status, members, groups and (where a CRM runs) resources, fencing and node attributes, "
                + "refreshed every --interval seconds until Ctrl-C.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped after --count refreshes", "1:the daemon cannot be reached or refused",
            "2:bad command line"})
final class MonCommand extends DaemonQuery {

    @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "2",
            description = "seconds between refreshes (default: ${DEFAULT-VALUE})")
    private int interval;

    @Option(names = "--count", paramLabel = "N", defaultValue = "0",
            description = "stop after N refreshes (default: run until Ctrl-C)")
    private int count;

    @Override
    void print(RingmasterClient client, PrintWriter out, boolean json) throws IOException {
        boolean terminal = System.console() != null && !json;
        for (int n = 1; count == 0 || n <= count; n++) {
            if (terminal) {
                out.print("\033[H\033[2J"); // Clear the screen, like watch(1).
            }
            NodeStatus s = client.status();
            CrmStatus crm = client.crmStatus();
            if (json) {
                java.util.Map<String, Object> fields = new java.util.LinkedHashMap<>(s.fields());
                fields.put("members", s.members());
                fields.put("crm", crm.toMap());
                out.println(JsonWriter.object(fields));
            } else {
                out.printf("ringmaster: node %d (%s), %s, ring %d/%d, last change %s, quorum %s   %s%n", s.nodeId(),
                        s.name(), s.state(), s.ringSeq(), s.ringRep(), s.fields().get("last_change"),
                        s.quorate().map(q -> q ? "quorate" : "NOT quorate").orElse("not configured"),
                        LocalTime.now().truncatedTo(ChronoUnit.SECONDS));
                List<Member> members = client.members();
                out.printf("%d members:%n", members.size());
                for (Member m : members) {
                    out.printf("  %-6d %-20s %s%s%n", m.nodeId(), m.name(), m.address(),
                            m.nodeId() == client.nodeId() ? " (local)" : "");
                }
                List<LocalMember> groups = client.groups();
                if (!groups.isEmpty()) {
                    out.println("groups of local clients:");
                    for (LocalMember g : groups) {
                        out.printf("  %-20s %s %s, members %s%n", g.group(), g.member(), g.state(), g.members());
                    }
                }
                if (crm.running()) {
                    CrmStatusText.print(crm, out);
                }
            }
            out.flush();
            if (count == 0 || n < count) {
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(Math.max(1, interval)));
            }
        }
    }
}
