package org.ringmaster.daemon.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ringmaster.daemon.client.Member;
import org.ringmaster.daemon.client.RingmasterClient;
import picocli.CommandLine.Command;

/** {@code ringctl members}: the current configuration's members. */
@Command(name = "members", mixinStandardHelpOptions = true,
        description = "List the members of the node's current configuration.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:listed", "1:the daemon cannot be reached or refused", "2:bad command line"})
final class MembersCommand extends DaemonQuery {

    @Override
    void print(RingmasterClient client, PrintWriter out, boolean json) throws IOException {
        List<Member> members = client.members();
        if (json) {
            List<Map<String, Object>> list = members.stream().map(m -> {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("nodeid", m.nodeId());
                o.put("name", m.name());
                o.put("address", m.address());
                return o;
            }).toList();
            out.println(JsonWriter.object(Map.of("members", list)));
            return;
        }
        out.printf("%-10s %-20s %s%n", "nodeid", "name", "address");
        for (Member m : members) {
            out.printf("%-10d %-20s %s%s%n", m.nodeId(), m.name(), m.address(),
                    m.nodeId() == client.nodeId() ? " (local)" : "");
        }
    }
}
