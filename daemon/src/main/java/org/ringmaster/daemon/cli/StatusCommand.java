package org.ringmaster.daemon.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ringmaster.daemon.client.CrmStatus;
import org.ringmaster.daemon.client.NodeStatus;
import org.ringmaster.daemon.client.RingmasterClient;
import picocli.CommandLine.Command;

/** {@code ringctl status}: this node, its ring, its members and quorum. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show the node's ring (state, ring id, members, quorum) and, where a CRM runs, its resources "
                + "(DC, what runs where, failed actions, fail-counts, node attributes, fencing).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:shown", "1:the daemon cannot be reached or refused", "2:bad command line"})
final class StatusCommand extends DaemonQuery {

    @Override
    void print(RingmasterClient client, PrintWriter out, boolean json) throws IOException {
        NodeStatus s = client.status();
        CrmStatus crm = client.crmStatus();
        if (json) {
            Map<String, Object> fields = new LinkedHashMap<>(s.fields());
            fields.put("members", s.members());
            fields.put("crm", crm.toMap());
            out.println(JsonWriter.object(fields));
            return;
        }
        out.printf("node %s (%s) at %s, cluster %s%n", s.nodeId(), s.name(), s.fields().get("address"),
                s.fields().get("cluster"));
        out.printf("state %s, ring %d/%d, %d members: %s%n", s.state(), s.ringSeq(), s.ringRep(), s.members().length,
                s.fields().get("members"));
        out.printf("last change: %s (%s regular configurations since start)%n", s.fields().get("last_change"),
                s.fields().get("config_changes"));
        out.printf("transport %s, crypto %s, netmtu %s%n", s.fields().get("transport"), s.fields().get("crypto"),
                s.fields().getOrDefault("netmtu", "-"));
        if (s.quorate().isEmpty()) {
            out.println("quorum: not configured");
        } else {
            out.printf("quorum: %s (total votes %s, expected %s, needed %s)%n",
                    s.quorate().get() ? "quorate" : "NOT quorate", s.fields().get("total_votes"),
                    s.fields().get("expected_votes"), s.fields().get("quorum_votes"));
        }
        if (crm.running()) {
            CrmStatusText.print(crm, out);
        }
    }
}
