package org.ringmaster.daemon.config;

/**
 * Ringmaster's {@code metrics} section: the optional Prometheus endpoint ({@code GET /metrics} in
 * the Prometheus text format, served by the daemon itself).
 *
 * @param enabled whether the endpoint runs: true when a port is configured
 * @param port    {@code prometheus_port} (or its short form {@code port}): 1..65535; no default.
 * @param bind    {@code prometheus_address} (or its older name {@code bind}): the address to listen
 *                on; default 127.0.0.1 so that metrics are not exposed to the network unless asked for.
 */
public record MetricsConfig(boolean enabled, int port, String bind) {

    public static final String DEFAULT_BIND = "127.0.0.1";

    static MetricsConfig none() {
        return new MetricsConfig(false, 0, DEFAULT_BIND);
    }

    static MetricsConfig read(SectionReader r) {
        int port = 0;
        if (r.has("prometheus_port")) {
            port = r.intValue("prometheus_port", 0, 1, 65535);
            r.entry("port").ifPresent(e -> r.diagnostics().warn(e.keyPosition(), r.key("port"),
                    "ignored because prometheus_port is also set"));
        } else if (r.has("port")) {
            port = r.intValue("port", 0, 1, 65535);
        }
        String addressKey = r.has("prometheus_address") ? "prometheus_address" : "bind";
        if (r.has("prometheus_address")) {
            r.entry("bind").ifPresent(e -> r.diagnostics().warn(e.keyPosition(), r.key("bind"),
                    "ignored because prometheus_address is also set"));
            r.markRead("bind");
        }
        String bind = r.string(addressKey, DEFAULT_BIND);
        if (!Addresses.isIpLiteral(bind)) {
            r.diagnostics().error(r.entry(addressKey).get().valuePosition(), r.key(addressKey),
                    "expected an IPv4 or IPv6 address but found '" + bind + "'");
        }
        r.finish();
        return new MetricsConfig(port > 0, port, bind);
    }
}
