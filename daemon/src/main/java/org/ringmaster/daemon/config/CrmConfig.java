package org.ringmaster.daemon.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Ringmaster's {@code crm} section: which cluster resource manager plugin runs, where the node's resource agents
 * live and how many run at once, and the built-in ping attribute. Absent section = no CRM (membership and quorum
 * only). Keys the daemon reads itself are listed below; every other key goes to the plugin, which validates it
 * (the simple CRM's are in its {@code CrmSettings}).
 *
 * <pre>
 * crm {
 *     plugin: simple                      # default simple
 *     ocf-root: /usr/lib/ocf              # OCF_ROOT: ocf:PROVIDER:TYPE is ocf-root/resource.d/PROVIDER/TYPE
 *     lsb-directory: /etc/init.d          # lsb:NAME scripts
 *     heartbeat-directories: /etc/ha.d/resource.d /etc/init.d   # heartbeat:NAME scripts, searched in order
 *     max-concurrent-actions: 4           # agent operations running at once on this node, 1..1024
 *     ping-hosts: 192.168.1.1 tcp:gw:22   # the pingd attribute: probe these (tcp:HOST:PORT = a connect) ...
 *     ping-multiplier: 100                # ... and set ping-attribute = multiplier x reachable hosts
 *     ping-attribute: pingd               # default pingd
 *     ping-interval: 5s                   # default 5s
 *     ping-timeout: 1s                    # per probe, default 1s
 * }
 * </pre>
 *
 * @param enabled whether a {@code crm} section is present
 * @param plugin  {@code plugin}; default {@code simple}.
 * @param options every other key, handed to the plugin to validate
 * @param agents  where agents live and how many run at once
 * @param ping    the ping attribute, empty when {@code ping-hosts} is not set
 */
public record CrmConfig(boolean enabled, String plugin, Map<String, String> options, Agents agents,
                        Optional<Ping> ping) {

    public static final String DEFAULT_PLUGIN = "simple";
    /** Keys the daemon reads; not handed to the plugin. */
    static final Set<String> DAEMON_KEYS = Set.of("plugin", "ocf-root", "lsb-directory", "heartbeat-directories",
            "max-concurrent-actions", "ping-hosts", "ping-multiplier", "ping-attribute", "ping-interval",
            "ping-timeout");

    public CrmConfig {
        options = Map.copyOf(options);
    }

    /**
     * Resource agents on this node.
     *
     * @param ocfRoot              {@code ocf-root}, absolute; default {@code /usr/lib/ocf}
     * @param lsbDirectory         {@code lsb-directory}, absolute; default {@code /etc/init.d}
     * @param heartbeatDirectories {@code heartbeat-directories}, absolute, in search order; default
     *                             {@code /etc/ha.d/resource.d /etc/init.d}
     * @param maxConcurrentActions {@code max-concurrent-actions}, 1..1024; default 4
     */
    public record Agents(Path ocfRoot, Path lsbDirectory, List<Path> heartbeatDirectories, int maxConcurrentActions) {
        public Agents {
            heartbeatDirectories = List.copyOf(heartbeatDirectories);
        }

        public static Agents defaults() {
            return new Agents(Path.of("/usr/lib/ocf"), Path.of("/etc/init.d"),
                    List.of(Path.of("/etc/ha.d/resource.d"), Path.of("/etc/init.d")), 4);
        }
    }

    /**
     * The built-in ping attribute (heartbeat's pingd): every {@code interval} each node probes {@code hosts} and
     * sets its own node attribute {@code attribute} to {@code multiplier} x the number that answered.
     *
     * @param hosts      {@code ping-hosts}: host names or addresses (ICMP echo, or TCP echo where the JVM may not
 *                   send ICMP), or {@code tcp:HOST:PORT} (a TCP connection must be accepted); space or comma
 *                   separated; at least one
     * @param multiplier {@code ping-multiplier}, 1..1000000; default 1
     * @param attribute  {@code ping-attribute}; default {@code pingd}
     * @param interval   {@code ping-interval}; default 5s
     * @param timeout    {@code ping-timeout}, per probe, at most the interval; default 1s
     */
    public record Ping(List<String> hosts, int multiplier, String attribute, Duration interval, Duration timeout) {
        public Ping {
            hosts = List.copyOf(hosts);
        }
    }

    static CrmConfig none() {
        return new CrmConfig(false, DEFAULT_PLUGIN, Map.of(), Agents.defaults(), Optional.empty());
    }

    static CrmConfig read(SectionReader r) {
        String plugin = r.string("plugin", DEFAULT_PLUGIN);
        if (!plugin.matches("[A-Za-z0-9_.-]+")) {
            r.diagnostics().error(r.entry("plugin").get().valuePosition(), r.key("plugin"),
                    "expected a plugin name (letters, digits, '_', '-', '.') but found '" + plugin + "'");
        }
        Agents d = Agents.defaults();
        Path ocfRoot = path(r, "ocf-root").orElse(d.ocfRoot());
        Path lsb = path(r, "lsb-directory").orElse(d.lsbDirectory());
        List<Path> heartbeat = d.heartbeatDirectories();
        Optional<ConfigEntry> hb = r.entry("heartbeat-directories");
        if (hb.isPresent()) {
            heartbeat = new ArrayList<>();
            for (String w : words(hb.get().value())) {
                Path p = Path.of(w);
                if (!p.isAbsolute()) {
                    r.diagnostics().error(hb.get().valuePosition(), r.key("heartbeat-directories"),
                            "expected absolute directories but found '" + w + "'");
                }
                heartbeat.add(p);
            }
            if (heartbeat.isEmpty()) {
                r.diagnostics().error(hb.get().valuePosition(), r.key("heartbeat-directories"),
                        "expected at least one directory");
            }
        }
        int max = r.intValue("max-concurrent-actions", d.maxConcurrentActions(), 1, 1024);
        Optional<Ping> ping = Optional.empty();
        Optional<ConfigEntry> hosts = r.entry("ping-hosts");
        int multiplier = r.intValue("ping-multiplier", 1, 1, 1_000_000);
        String attribute = r.string("ping-attribute", "pingd");
        if (!attribute.matches("[A-Za-z0-9_.:-]{1,64}")) {
            r.diagnostics().error(r.entry("ping-attribute").get().valuePosition(), r.key("ping-attribute"),
                    "expected an attribute name (1..64 of letters, digits, '_', '-', '.', ':') but found '"
                            + attribute + "'");
        }
        Duration interval = duration(r, "ping-interval", Duration.ofSeconds(5));
        Duration timeout = duration(r, "ping-timeout", Duration.ofSeconds(1));
        if (timeout.compareTo(interval) > 0) {
            r.diagnostics().error(r.entry("ping-timeout").map(ConfigEntry::valuePosition)
                            .orElseGet(() -> r.entry("ping-interval").get().valuePosition()), r.key("ping-timeout"),
                    "ping-timeout (" + timeout.toMillis() + " ms) must not be longer than ping-interval ("
                            + interval.toMillis() + " ms)");
        }
        if (hosts.isPresent()) {
            List<String> list = words(hosts.get().value());
            if (list.isEmpty()) {
                r.diagnostics().error(hosts.get().valuePosition(), r.key("ping-hosts"), "expected at least one host");
            }
            for (String h : list) {
                if (h.startsWith("tcp:") && !h.matches("tcp:[^:\\s]+:[0-9]{1,5}")) {
                    r.diagnostics().error(hosts.get().valuePosition(), r.key("ping-hosts"),
                            "expected tcp:HOST:PORT but found '" + h + "'");
                }
            }
            ping = Optional.of(new Ping(list, multiplier, attribute, interval, timeout));
        } else {
            for (String k : List.of("ping-multiplier", "ping-attribute", "ping-interval", "ping-timeout")) {
                r.entry(k).ifPresent(e -> r.diagnostics().warn(e.keyPosition(), r.key(k),
                        "has no effect without ping-hosts"));
            }
        }
        Map<String, String> options = new LinkedHashMap<>();
        for (ConfigEntry e : r.section().entries()) {
            if (!DAEMON_KEYS.contains(e.key())) {
                r.entry(e.key()).ifPresent(last -> options.put(last.key(), last.value()));
            }
        }
        r.finish();
        return new CrmConfig(true, plugin, options, new Agents(ocfRoot, lsb, heartbeat, max), ping);
    }

    private static List<String> words(String v) {
        List<String> out = new ArrayList<>();
        for (String w : v.trim().split("[\\s,]+")) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }

    private static Optional<Path> path(SectionReader r, String key) {
        return r.entry(key).map(e -> {
            Path p = Path.of(e.value());
            if (!p.isAbsolute()) {
                r.diagnostics().error(e.valuePosition(), r.key(key), "expected an absolute path but found '"
                        + e.value() + "'");
            }
            return p;
        });
    }

    /** {@code 5s}, {@code 500ms}, {@code 2m}, a bare number = seconds; positive. */
    static Duration duration(SectionReader r, String key, Duration dflt) {
        Optional<ConfigEntry> e = r.entry(key);
        if (e.isEmpty()) {
            return dflt;
        }
        String t = e.get().value().trim().toLowerCase(Locale.ROOT);
        try {
            Duration d;
            if (t.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            } else if (t.endsWith("s")) {
                d = Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
            } else if (t.endsWith("m")) {
                d = Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
            } else {
                d = Duration.ofSeconds(Long.parseLong(t));
            }
            if (!d.isNegative() && !d.isZero()) {
                return d;
            }
        } catch (NumberFormatException bad) {
            // reported below
        }
        r.diagnostics().error(e.get().valuePosition(), r.key(key),
                "expected a positive duration (e.g. 5s, 500ms, 2m) but found '" + e.get().value() + "'");
        return dflt;
    }
}
