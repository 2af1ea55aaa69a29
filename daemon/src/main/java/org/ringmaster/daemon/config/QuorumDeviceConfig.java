package org.ringmaster.daemon.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ringmaster.quorum.ping.PingConfig;
import org.ringmaster.quorum.ping.PingTarget;
import org.ringmaster.quorum.qdisk.Heuristic;
import org.ringmaster.quorum.qdisk.QdiskConfig;

/**
 * {@code quorum.device}: a tiebreaker that adds its votes to one partition, laid out like Corosync's
 * qdevice section ({@code model}, {@code votes}, {@code timeout}, {@code sync_timeout},
 * {@code heuristics { mode, interval, timeout, exec_NAME }}) with one sub-section per model:
 *
 * <pre>
 * device {
 *     model: qdisk                 # or ping
 *     votes: 1                     # default: number of nodes - 1 (every node must have 1 vote)
 *     qdisk {
 *         path: /dev/disk/by-id/... # required; format it once with 'ringctl qdisk format PATH'
 *         label: ...                # if set, must match the label written by format
 *         interval: 1000            # ms per read/write cycle
 *         tko: 10                   # cycles without a heartbeat before a node is dead on the disk
 *         tko_up, master_wait, upgrade_wait, min_score, max_error_cycles   # qdisk(5) meanings
 *     }
 *     heuristics {                  # qdisk only: gate claiming the disk
 *         mode: on                  # off | on | sync (run continuously either way); default on
 *         interval: 2000            # ms between runs of each program
 *         timeout: 2000             # ms before a run is killed and fails
 *         exec_gw: ping -c1 -W1 10.0.0.254   # sh -c; exit 0 = pass, each passing program scores 1
 *     }
 *     ping {
 *         host: 10.0.0.254 10.0.0.253   # one group: any address answering is enough
 *         probe: icmp               # icmp | tcp:PORT | udp:PORT
 *         interval: 1000            # ms between probes of each address
 *         timeout: 1000             # ms per probe
 *         deadping: (token)         # ms without an answer before the target counts as lost
 *     }
 * }
 * </pre>
 *
 * @param model         {@code model}, required: {@code qdisk} or {@code ping}; Corosync's {@code net} is
 *                      accepted with a warning (not implemented: such a device casts no vote).
 * @param votes         {@code votes}; default (number of nodes - 1) when every node has 1 vote.
 * @param timeoutMs     {@code timeout}; default 10000. Accepted for Corosync files, no effect (see README).
 * @param syncTimeoutMs {@code sync_timeout}; default 30000. Accepted, no effect.
 * @param masterWins    {@code master_wins}; default 1: a quorum disk's votes always go to its master.
 * @param qdisk         the {@code qdisk} sub-section of model qdisk, validated.
 * @param ping          the {@code ping} sub-section of model ping, validated (deadping still to be defaulted).
 * @param raw           the whole section as written
 */
public record QuorumDeviceConfig(String model, Optional<Integer> votes, long timeoutMs, long syncTimeoutMs,
                                 boolean masterWins, Optional<Qdisk> qdisk, Optional<Ping> ping, ConfigSection raw) {

    public static final long DEFAULT_TIMEOUT_MS = 10000;
    /** Device models ringmaster implements: a quorum disk (qdisk(5)) and ping targets. */
    public static final List<String> MODELS = List.of("qdisk", "ping");
    public static final long DEFAULT_SYNC_TIMEOUT_MS = 30000;
    /** qdisk heuristics defaults (qdisk(5)): each program every 2 s, killed after 2 s. */
    public static final long DEFAULT_HEURISTICS_INTERVAL_MS = 2000;
    public static final long DEFAULT_PING_INTERVAL_MS = 1000;

    /**
     * Model qdisk.
     *
     * @param path     the shared file or block device
     * @param config   disk timing, heuristics and election settings
     * @param tkoAt    where {@code tko} (or, if absent, the section) is, for cross-checks against the token
     */
    public record Qdisk(Path path, QdiskConfig config, SourcePosition tkoAt) {
    }

    /** How a ping target's reachability is checked. */
    public enum ProbeKind { ICMP, TCP, UDP }

    /**
     * Model ping.
     *
     * @param hosts        {@code host}: the addresses of the one target group (any answering is enough)
     * @param probe        {@code probe} kind; default ICMP
     * @param port         port of a TCP or UDP probe, 0 for ICMP
     * @param intervalMs   {@code interval}
     * @param timeoutMs    {@code timeout}
     * @param deadPingMs   {@code deadping} if set
     * @param deadPingAt   where {@code deadping} (or, if absent, the section) is
     */
    public record Ping(List<String> hosts, ProbeKind probe, int port, long intervalMs, long timeoutMs,
                       Optional<Long> deadPingMs, SourcePosition deadPingAt) {
        public Ping {
            hosts = List.copyOf(hosts);
        }

        /** The quorum module's settings, with {@code deadping} defaulting to {@code defaultDeadPingMs}. */
        public PingConfig toPingConfig(long defaultDeadPingMs) {
            String[] targets = hosts.stream().map(h -> new PingTarget(h, port).toString()).toArray(String[]::new);
            return PingConfig.builder().pingGroup(targets).intervalMs(intervalMs).timeoutMs(timeoutMs)
                    .deadPingMs(deadPingMs.orElse(Math.max(intervalMs, defaultDeadPingMs))).build();
        }
    }

    static QuorumDeviceConfig read(SectionReader r) {
        Diagnostics d = r.diagnostics();
        String model = r.string("model", "");
        if (model.isEmpty()) {
            d.error(r.section().position(), r.key("model"),
                    "a quorum device needs 'model: NAME' (" + String.join(" or ", MODELS) + ")");
        } else if (model.equals("net")) {
            d.warn(r.entry("model").get().valuePosition(), r.key("model"), "model net "
                    + "(corosync-qdevice with a qnetd server) is not implemented by ringmaster; the device casts no "
                    + "vote. Ringmaster's tiebreakers are model " + String.join(" and ", MODELS));
        } else if (!MODELS.contains(model)) {
            d.error(r.entry("model").get().valuePosition(), r.key("model"), "unknown quorum device "
                    + "model '" + model + "'; expected " + String.join(" or ", MODELS) + " (or corosync's net)");
        }
        Optional<Integer> votes = r.number("votes", 0, Integer.MAX_VALUE).map(Long::intValue);
        long timeout = r.number("timeout", DEFAULT_TIMEOUT_MS, 1, 0xffffffffL);
        long syncTimeout = r.number("sync_timeout", DEFAULT_SYNC_TIMEOUT_MS, 1, 0xffffffffL);
        Optional<Boolean> masterWins = r.flag("master_wins");
        if (masterWins.isPresent() && !masterWins.get() && model.equals("qdisk")) {
            d.warn(r.entry("master_wins").get().valuePosition(), r.key("master_wins"), "ringmaster's quorum disk "
                    + "always gives its votes to the partition holding the disk's master; master_wins: 0 is ignored");
        }
        List<Heuristic> heuristics = readHeuristics(r, model);
        Optional<Qdisk> qdisk = Optional.empty();
        Optional<Ping> ping = Optional.empty();
        for (String other : MODELS) {
            List<ConfigSection> sections = r.sections(other);
            if (sections.isEmpty()) {
                continue;
            }
            ConfigSection s = sections.get(sections.size() - 1);
            if (!other.equals(model)) {
                d.warn(s.position(), r.key(other), "ignored: the device's model is '" + model + "'");
                continue;
            }
            SectionReader sr = new SectionReader(s, r.key(other), d);
            if (model.equals("qdisk")) {
                qdisk = readQdisk(sr, heuristics);
            } else {
                ping = readPing(sr);
            }
        }
        if (model.equals("net")) {
            r.sections("net"); // corosync-qdevice's own settings: the model was already reported as not implemented
        }
        if (model.equals("qdisk") && qdisk.isEmpty() && r.sections("qdisk").isEmpty()) {
            d.error(r.section().position(), r.key("qdisk"), "model qdisk needs a 'qdisk { path: FILE }' section");
        }
        if (model.equals("ping") && ping.isEmpty() && r.sections("ping").isEmpty()) {
            d.error(r.section().position(), r.key("ping"), "model ping needs a 'ping { host: ADDRESS }' section");
        }
        if (MODELS.contains(model) && (r.has("timeout") || r.has("sync_timeout"))) {
            ConfigEntry e = r.entry(r.has("timeout") ? "timeout" : "sync_timeout").get();
            d.warn(e.keyPosition(), r.key(e.key()), "accepted for corosync files but without effect: the device "
                    + "runs inside ringmasterd; how long a claim lasts is set by " + (model.equals("ping")
                    ? "ping.deadping" : "qdisk.interval x qdisk.tko"));
        }
        r.finish();
        return new QuorumDeviceConfig(model, votes, timeout, syncTimeout, masterWins.orElse(true), qdisk, ping,
                r.section());
    }

    private static List<Heuristic> readHeuristics(SectionReader parent, String model) {
        List<ConfigSection> sections = parent.sections("heuristics");
        List<Heuristic> found = new ArrayList<>();
        if (sections.isEmpty()) {
            return found;
        }
        ConfigSection s = sections.get(sections.size() - 1);
        SectionReader r = new SectionReader(s, parent.key("heuristics"), parent.diagnostics());
        Optional<String> mode = r.choice("mode", List.of("off", "on", "sync"));
        long interval = r.number("interval", DEFAULT_HEURISTICS_INTERVAL_MS, 1, 0xffffffffL);
        long timeout = r.number("timeout", interval, 1, 0xffffffffL);
        r.number("sync_timeout", 1, 0xffffffffL);
        for (ConfigEntry e : s.entries()) {
            if (!e.key().startsWith("exec_")) {
                continue;
            }
            r.markRead(e.key());
            if (e.key().length() == "exec_".length() || e.value().isBlank()) {
                r.diagnostics().error(e.keyPosition(), r.key(e.key()), "needs a name after exec_ and a command");
                continue;
            }
            found.add(new Heuristic(e.value(), 1, interval, 1, timeout));
        }
        if (r.has("sync_timeout")) {
            r.diagnostics().warn(r.entry("sync_timeout").get().keyPosition(), r.key("sync_timeout"),
                    "no effect: heuristics run continuously, with 'timeout'");
        }
        if (mode.filter("sync"::equals).isPresent()) {
            r.diagnostics().warn(r.entry("mode").get().valuePosition(), r.key("mode"), "mode sync runs the "
                    + "heuristics continuously, like mode on (a quorum disk re-checks its claim every cycle)");
        }
        r.finish();
        if (!model.equals("qdisk") && !found.isEmpty()) {
            r.diagnostics().warn(s.position(), r.path(), "heuristics are used by model qdisk only; ignored for model "
                    + model);
            return List.of();
        }
        if (found.isEmpty() && mode.filter(m -> !m.equals("off")).isPresent()) {
            r.diagnostics().error(s.position(), r.key("exec_NAME"), "heuristics mode " + mode.get()
                    + " needs at least one exec_NAME: COMMAND");
        }
        if (mode.filter("off"::equals).isPresent()) {
            return List.of();
        }
        return found;
    }

    private static Optional<Qdisk> readQdisk(SectionReader r, List<Heuristic> heuristics) {
        Diagnostics d = r.diagnostics();
        Optional<String> path = r.string("path");
        if (path.isEmpty() || path.get().isBlank()) {
            d.error(r.section().position(), r.key("path"), "the quorum disk needs 'path: FILE' (a shared file or "
                    + "block device, formatted once with 'ringctl qdisk format FILE')");
        }
        QdiskConfig.Builder b = QdiskConfig.builder();
        r.string("label").ifPresent(b::label);
        r.number("interval", 1, 0xffffffffL).ifPresent(b::intervalMs);
        r.number("tko", 2, Integer.MAX_VALUE).ifPresent(v -> b.tko(v.intValue()));
        r.number("tko_up", 1, Integer.MAX_VALUE).ifPresent(v -> b.tkoUp(v.intValue()));
        r.number("master_wait", 1, Integer.MAX_VALUE).ifPresent(v -> b.masterWait(v.intValue()));
        r.number("upgrade_wait", 1, Integer.MAX_VALUE).ifPresent(v -> b.upgradeWait(v.intValue()));
        r.number("min_score", 0, Integer.MAX_VALUE).ifPresent(v -> b.minScore(v.intValue()));
        r.number("max_error_cycles", 0, Integer.MAX_VALUE).ifPresent(v -> b.maxErrorCycles(v.intValue()));
        heuristics.forEach(b::heuristic);
        r.finish();
        SourcePosition tkoAt = r.entry("tko").map(ConfigEntry::keyPosition).orElse(r.section().position());
        try {
            QdiskConfig config = b.build();
            return path.filter(p -> !p.isBlank()).map(p -> new Qdisk(Path.of(p), config, tkoAt));
        } catch (RuntimeException e) {
            // QdiskException / heuristic checks: the message starts with quorumd.KEY or heuristic.KEY.
            String message = e.getMessage();
            String key = message.contains(":") ? message.substring(0, message.indexOf(':')) : "";
            String ours = key.startsWith("quorumd.") ? key.substring("quorumd.".length()) : key;
            SourcePosition at = r.entry(ours).map(ConfigEntry::keyPosition).orElse(r.section().position());
            d.error(at, r.key(ours.isEmpty() ? "qdisk" : ours), message.substring(message.indexOf(':') + 1).trim());
            return Optional.empty();
        }
    }

    private static Optional<Ping> readPing(SectionReader r) {
        Diagnostics d = r.diagnostics();
        Optional<ConfigEntry> hostEntry = r.entry("host");
        List<String> hosts = new ArrayList<>();
        hostEntry.ifPresent(e -> {
            for (String h : e.value().trim().split("[ \t]+")) {
                if (!h.isEmpty()) {
                    hosts.add(h);
                }
            }
        });
        if (hosts.isEmpty()) {
            d.error(hostEntry.map(ConfigEntry::valuePosition).orElse(r.section().position()), r.key("host"),
                    "the ping device needs 'host: ADDRESS [ADDRESS...]' (any address answering is enough)");
        }
        boolean ok = !hosts.isEmpty();
        for (String h : hosts) {
            if (h.contains("/") || h.startsWith("[") || h.matches("[^:]+:[0-9]*")) {
                d.error(hostEntry.get().valuePosition(), r.key("host"), "'" + h + "' is not a host name or address; "
                        + "set the port with 'probe: tcp:PORT' or 'probe: udp:PORT'");
                ok = false;
            }
        }
        ProbeKind probe = ProbeKind.ICMP;
        int port = 0;
        Optional<ConfigEntry> probeEntry = r.entry("probe");
        if (probeEntry.isPresent()) {
            String v = probeEntry.get().value();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(tcp|udp):([0-9]{1,5})").matcher(v);
            if (v.equals("icmp")) {
                probe = ProbeKind.ICMP;
            } else if (m.matches() && Integer.parseInt(m.group(2)) >= 1 && Integer.parseInt(m.group(2)) <= 65535) {
                probe = m.group(1).equals("tcp") ? ProbeKind.TCP : ProbeKind.UDP;
                port = Integer.parseInt(m.group(2));
            } else {
                d.error(probeEntry.get().valuePosition(), r.key("probe"), "expected icmp, tcp:PORT or udp:PORT "
                        + "(PORT 1..65535) but found '" + v + "'");
                ok = false;
            }
        }
        long interval = r.number("interval", DEFAULT_PING_INTERVAL_MS, 1, 0xffffffffL);
        long timeout = r.number("timeout", interval, 1, 0xffffffffL);
        Optional<Long> deadPing = r.number("deadping", 1, 0xffffffffL);
        SourcePosition deadPingAt = r.entry("deadping").map(ConfigEntry::keyPosition).orElse(r.section().position());
        if (deadPing.isPresent() && deadPing.get() < interval) {
            d.error(deadPingAt, r.key("deadping"), deadPing.get() + " ms is shorter than ping.interval " + interval
                    + " ms: the target would count as lost between two probes");
            ok = false;
        }
        r.finish();
        return ok ? Optional.of(new Ping(hosts, probe, port, interval, timeout, deadPing, deadPingAt)) : Optional.empty();
    }
}
