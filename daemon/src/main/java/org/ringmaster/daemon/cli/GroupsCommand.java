package org.ringmaster.daemon.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ringmaster.daemon.admin.Protocol;
import org.ringmaster.daemon.client.LocalMember;
import org.ringmaster.daemon.client.RingmasterClient;
import picocli.CommandLine.Command;

/** {@code ringctl groups}: the process groups this node's clients are in. */
@Command(name = "groups", mixinStandardHelpOptions = true,
        description = {"List the process groups this node's clients joined, with their members.",
            "Each line is one client's member and the group's members in its last view."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:listed", "1:the daemon cannot be reached or refused", "2:bad command line"})
final class GroupsCommand extends DaemonQuery {

    @Override
    void print(RingmasterClient client, PrintWriter out, boolean json) throws IOException {
        List<LocalMember> groups = client.groups();
        if (json) {
            out.println(JsonWriter.object(Map.of("groups", groups.stream().map(g -> {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("group", g.group());
                o.put("member", g.member().toString());
                o.put("state", g.state());
                o.put("members", g.members().stream().map(Object::toString).toList());
                return o;
            }).toList())));
            return;
        }
        out.printf("%-24s %-10s %-8s %s%n", "group", "member", "state", "members (node/member)");
        for (LocalMember g : groups) {
            out.printf("%-24s %-10s %-8s %s%n", g.group(), g.member(), g.state(), Protocol.members(g.members()));
        }
    }
}
