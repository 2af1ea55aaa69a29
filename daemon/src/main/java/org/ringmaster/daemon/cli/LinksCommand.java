package org.ringmaster.daemon.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ringmaster.daemon.client.Links;
import org.ringmaster.daemon.client.RingmasterClient;
import picocli.CommandLine.Command;

/** {@code ringctl links}: per link and peer, connected or down, like {@code corosync-cfgtool -s}. */
@Command(name = "links", mixinStandardHelpOptions = true,
        description = {"Show this node's links: per link and peer, connected or down, and the peer's address.",
            "With redundant links the state comes from each link's heartbeats (knet_ping_*); with a single link "
                + "a peer is connected while it is a member of the current configuration."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:shown", "1:the daemon cannot be reached or refused", "2:bad command line"})
final class LinksCommand extends DaemonQuery {

    @Override
    void print(RingmasterClient client, PrintWriter out, boolean json) throws IOException {
        Links links = client.links();
        if (json) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("nodeid", client.nodeId());
            fields.put("mode", links.mode());
            fields.put("links", java.util.stream.IntStream.range(0, links.local().size()).mapToObj(l -> {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("link", l);
                o.put("address", links.local().get(l));
                o.put("peers", links.peers().stream().filter(p -> p.link() == l).map(p -> {
                    Map<String, Object> q = new LinkedHashMap<>();
                    q.put("nodeid", p.nodeId());
                    q.put("name", p.name());
                    q.put("address", p.address());
                    q.put("connected", p.connected());
                    q.put("source", p.source());
                    return q;
                }).toList());
                return o;
            }).toList());
            out.println(JsonWriter.object(fields));
            return;
        }
        out.printf("Local node ID %d, transport links: %d, mode: %s%n", client.nodeId(), links.local().size(),
                links.mode());
        for (int l = 0; l < links.local().size(); l++) {
            out.printf("LINK ID %d%n\taddr\t= %s%n\tstatus:%n", l, links.local().get(l));
            for (Links.Peer p : links.peers()) {
                if (p.link() == l) {
                    out.printf("\t\tnodeid %3d (%s):\t%s\t%s%n", p.nodeId(), p.name(),
                            p.connected() ? "connected" : "down", p.address());
                }
            }
        }
    }
}
