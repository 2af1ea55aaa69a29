package org.ringmaster.daemon.config;

import java.util.Map;
import java.util.Optional;

/**
 * One {@code totem.interface} section: per-link network settings. Node addresses for the link come
 * from {@code nodelist.node.ringN_addr}.
 *
 * @param linknumber  {@code linknumber} (old name {@code ringnumber}); 0..7 for knet, 0 otherwise. Default 0.
 * @param bindnetaddr {@code bindnetaddr} (udp): local address or network to bind to. No default.
 * @param mcastaddr   {@code mcastaddr} (udp): multicast group. Default derived from cluster_name.
 * @param mcastport   {@code mcastport}: UDP port of this link. Default 5405 (corosync's default).
 * @param ttl         {@code ttl} (udp multicast): 0..255. Default 1.
 * @param position    where the section starts
 */
public record LinkConfig(int linknumber, Optional<String> bindnetaddr, Optional<String> mcastaddr,
                         int mcastport, int ttl, SourcePosition position, int knetLinkPriority,
                         long knetPingIntervalMs, long knetPingTimeoutMs, int knetPongCount) {

    /** Corosync's default port. */
    public static final int DEFAULT_PORT = 5405;

    /** A link with all defaults, used when the file has no interface section. */
    static LinkConfig defaults(int linknumber) {
        return new LinkConfig(linknumber, Optional.empty(), Optional.empty(), DEFAULT_PORT, 1, null, 1, 0, 0, 0);
    }

    private static final Map<String, String> NOT_IMPLEMENTED = SectionReader.reasons(
            "broadcast", "UDP broadcast mode is not supported; use udpu or udp multicast",
            "knet_ping_precision", "link pings are answered at once; there is no precision window",
            "knet_transport", "links always use UDP",
            "member {}", "the member section is obsolete; use nodelist");

    static LinkConfig read(SectionReader r, Transport transport) {
        int linknumber;
        if (r.has("linknumber")) {
            linknumber = r.intValue("linknumber", 0, 0, 255);
            if (r.has("ringnumber")) {
                r.diagnostics().warn(r.entry("ringnumber").get().keyPosition(), r.key("ringnumber"),
                        "ignored because linknumber is also set");
            }
        } else {
            linknumber = r.intValue("ringnumber", 0, 0, 255);
            r.entry("ringnumber").ifPresent(e -> r.diagnostics().warn(e.keyPosition(), r.key("ringnumber"),
                    "ringnumber is the corosync 2 name of linknumber; read as linknumber " + e.value()));
        }
        if (linknumber > transport.maxLinkNumber()) {
            SourcePosition at = r.entry(r.has("linknumber") ? "linknumber" : "ringnumber")
                    .map(ConfigEntry::valuePosition).orElse(r.section().position());
            r.diagnostics().error(at, r.key("linknumber"), "link " + linknumber + " is not allowed with transport "
                    + transport.configName() + ": the highest link number is " + transport.maxLinkNumber());
        }
        Optional<String> bind = r.string("bindnetaddr");
        Optional<String> mcast = r.string("mcastaddr");
        if (transport != Transport.UDP) {
            // As in corosync: with unicast transports the node list's addresses are what counts.
            for (String key : new String[] {"bindnetaddr", "mcastaddr"}) {
                r.entry(key).ifPresent(e -> r.diagnostics().warn(e.keyPosition(), r.key(key), "only used with "
                        + "transport udp; with transport " + transport.configName()
                        + " the nodelist addresses are used and this is ignored"));
            }
        }
        int port = r.intValue("mcastport", DEFAULT_PORT, 0, 65535);
        int ttl = r.intValue("ttl", 1, 0, 255);
        r.sections("member");
        if (!r.section().sections("member").isEmpty()) {
            r.diagnostics().warn(r.section().sections("member").get(0).position(), r.key("member"),
                    "the member section is obsolete and ignored; nodes come from the nodelist");
        }
        // Redundant links (knet): priority for link_mode passive, and the ping/pong health check.
        // 0 means corosync's derived default (ping interval token/(2 x pong count), timeout token/pong count).
        int priority = r.intValue("knet_link_priority", 1, 0, 255);
        long pingInterval = r.number("knet_ping_interval", 0, 0, 3_600_000);
        long pingTimeout = r.number("knet_ping_timeout", 0, 0, 3_600_000);
        int pongCount = r.intValue("knet_pong_count", 0, 0, 255);
        if (pingInterval > 0 && pingTimeout > 0 && pingTimeout <= pingInterval) {
            r.diagnostics().error(r.entry("knet_ping_timeout").get().valuePosition(), r.key("knet_ping_timeout"),
                    "knet_ping_timeout " + pingTimeout + " must be above knet_ping_interval " + pingInterval);
        }
        r.finish(NOT_IMPLEMENTED);
        return new LinkConfig(linknumber, bind, mcast, port, ttl, r.section().position(), priority, pingInterval,
                pingTimeout, pongCount);
    }
}
