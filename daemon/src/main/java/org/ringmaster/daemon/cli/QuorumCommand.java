package org.ringmaster.daemon.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ringmaster.daemon.client.QuorumStatus;
import org.ringmaster.daemon.client.RingmasterClient;
import picocli.CommandLine.Command;

/** {@code ringctl quorum}: votequorum's state, like {@code corosync-quorumtool -s}. */
@Command(name = "quorum", mixinStandardHelpOptions = true,
        description = "Show quorum: quorate, expected and total votes, flags, votes per node, and the quorum "
                + "device (qdisk or ping): its votes, whether this node casts them, what it sees.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:shown", "1:the daemon cannot be reached, refused, or has no quorum configured",
            "2:bad command line"})
final class QuorumCommand extends DaemonQuery {

    @Override
    void print(RingmasterClient client, PrintWriter out, boolean json) throws IOException {
        QuorumStatus q = client.quorum();
        if (json) {
            Map<String, Object> fields = new LinkedHashMap<>();
            q.fields().forEach((k, v) -> {
                if (!k.startsWith("device")) {
                    fields.put(k, v);
                }
            });
            fields.put("quorate", q.quorate());
            fields.put("nodes", q.nodes().stream().map(n -> {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("nodeid", n.nodeId());
                o.put("votes", n.votes());
                o.put("expected_votes", n.expectedVotes());
                o.put("state", n.state());
                return o;
            }).toList());
            q.deviceModel().ifPresent(model -> {
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("model", model);
                d.put("votes", Integer.parseInt(q.fields().get("device_votes")));
                d.put("casts_vote", q.deviceCastsVote());
                d.put("score", Integer.parseInt(q.fields().get("device_score")));
                d.put("details", q.deviceDetails());
                fields.put("device", d);
            });
            out.println(JsonWriter.object(fields));
            return;
        }
        out.printf("Ring ID:          %s%n", q.fields().get("ring"));
        out.printf("Quorate:          %s%n", !q.quorate() ? "No" : "no".equals(q.fields().get("quorate_now"))
                ? "Yes by the votes, but the ring is not live now (the CRM holds off)" : "Yes");
        out.printf("Expected votes:   %d%n", q.expectedVotes());
        out.printf("Total votes:      %d%n", q.totalVotes());
        out.printf("Quorum:           %d%n", q.quorum());
        out.printf("Flags:            %s%n", q.fields().get("flags"));
        out.printf("%n%-10s %-6s %-9s %s%n", "nodeid", "votes", "expected", "state");
        for (QuorumStatus.NodeVotes n : q.nodes()) {
            out.printf("%-10d %-6d %-9d %s%s%n", n.nodeId(), n.votes(), n.expectedVotes(), n.state(),
                    n.nodeId() == client.nodeId() ? " (local)" : "");
        }
        if (q.deviceModel().isPresent()) {
            out.printf("%nDevice:           %s, %s vote(s), %s by this node, score %s%n", q.deviceModel().get(),
                    q.fields().get("device_votes"), q.deviceCastsVote() ? "cast" : "not cast",
                    q.fields().get("device_score"));
            q.deviceDetails().forEach((k, v) -> out.printf("  %-16s %s%n", k, v));
        }
    }
}
