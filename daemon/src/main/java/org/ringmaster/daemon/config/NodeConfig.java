package org.ringmaster.daemon.config;

import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code nodelist.node} section.
 *
 * @param nodeid      {@code nodeid}: 1..2^32-1; required for knet. For udp/udpu without it, derived
 *                    from an IPv4 ring0_addr as Corosync does (the address as a big-endian number).
 * @param name        {@code name}; no default.
 * @param addresses   {@code ringN_addr} by link number N (0..7): IP address or host name.
 * @param quorumVotes {@code quorum_votes}; default 1.
 * @param position    where the node section starts
 */
public record NodeConfig(long nodeid, Optional<String> name, SortedMap<Integer, String> addresses, int quorumVotes,
                         SourcePosition position) {

    private static final Pattern RING_ADDR = Pattern.compile("ring([0-9]+)_addr");

    public NodeConfig {
        addresses = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(addresses));
    }

    /** The address of link 0, if any. */
    public Optional<String> ring0Addr() {
        return Optional.ofNullable(addresses.get(0));
    }

    /** Name if set, else {@code nodeid N}: for messages. */
    public String label() {
        return name.map(n -> "'" + n + "' (nodeid " + nodeid + ")").orElse("nodeid " + nodeid);
    }

    /** Marks a nodeid that was given but is unusable (already reported). */
    static final long INVALID_NODEID = -1;

    /** Reads a node; nodeid 0 means "missing", resolved by the caller once the transport is known. */
    static NodeConfig read(SectionReader r) {
        long nodeid = r.number("nodeid", 0, 0, 0xffffffffL);
        if (nodeid == 0 && r.has("nodeid")) {
            r.entry("nodeid").filter(e -> "0".equals(e.value())).ifPresent(e -> r.diagnostics()
                    .error(e.valuePosition(), r.key("nodeid"), "nodeid 0 is reserved; use 1 or more"));
            nodeid = INVALID_NODEID;
        }
        Optional<String> name = r.string("name");
        int votes = r.intValue("quorum_votes", 1, 0, Integer.MAX_VALUE);
        SortedMap<Integer, String> addresses = new TreeMap<>();
        for (ConfigEntry e : r.section().entries()) {
            Matcher m = RING_ADDR.matcher(e.key());
            if (!m.matches()) {
                continue;
            }
            r.markRead(e.key());
            int link = Integer.parseInt(m.group(1).length() > 3 ? "999" : m.group(1));
            if (link > 7) {
                r.diagnostics().error(e.keyPosition(), r.key(e.key()), "link numbers go from 0 to 7");
                continue;
            }
            String value = r.string(e.key()).orElse("");
            if (value.isEmpty()) {
                r.diagnostics().error(e.valuePosition(), r.key(e.key()), "empty address");
                continue;
            }
            addresses.put(link, value);
        }
        r.finish(Map.of());
        return new NodeConfig(nodeid, name, addresses, votes, r.section().position());
    }

    NodeConfig withNodeid(long id) {
        return new NodeConfig(id, name, addresses, quorumVotes, position);
    }
}
