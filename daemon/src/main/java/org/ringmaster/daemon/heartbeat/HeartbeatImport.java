package org.ringmaster.daemon.heartbeat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ringmaster.crm.simple.heartbeat.HaresourcesException;
import org.ringmaster.crm.simple.heartbeat.HaresourcesReader;
import org.ringmaster.crm.simple.model.Configuration;
import org.ringmaster.crm.simple.model.Group;
import org.ringmaster.crm.simple.model.LocationConstraint;
import org.ringmaster.crm.simple.model.Primitive;
import org.ringmaster.crm.simple.model.Resource;
import org.ringmaster.crm.simple.model.Score;

/**
 * Translates a heartbeat v1 directory ({@code ha.cf}, {@code authkeys}, {@code haresources}) into
 * ringmaster.conf text. What maps (see the README for the reasoning):
 * <ul>
 *   <li>{@code node} lines: the node list, ids 1..n in file order, {@code ring0_addr} = the node's
 *       name (heartbeat knows nodes by {@code uname -n}; the name must resolve to its address);</li>
 *   <li>{@code ucast}/{@code bcast} on the first interface: transport {@code udpu} (UDP broadcast is
 *       not supported); {@code mcast}: transport {@code udp} with its group and port; {@code udpport}:
 *       the port. Media on a second interface are listed as not translated;</li>
 *   <li>{@code deadtime}: {@code token} (with {@code token_coefficient: 0}, so that it stays the time to
 *       declare a node dead whatever the node count); {@code keepalive}: the token retransmit interval,
 *       through {@code token_retransmits_before_loss_const} = deadtime / keepalive; {@code warntime}:
 *       {@code token_warning} as its share of deadtime; {@code initdead}: {@code wait_for_all} (no
 *       node runs resources at first start before it has seen every node);</li>
 *   <li>{@code ping}/{@code ping_group} (and {@code deadping}): a ping quorum device;</li>
 *   <li>{@code auto_failback}: resource stickiness; {@code haresources}: resource groups with their
 *       preferred nodes (through the CRM's haresources reader);</li>
 *   <li>{@code logfacility}, {@code logfile}, {@code debug}: the logging section;</li>
 *   <li>{@code authkeys}: never reused (crc authenticates nothing, md5 and sha1 are weak, and the key
 *       text is short): the caller writes a new random key and the config uses AES-256-GCM with
 *       SHA-256.</li>
 * </ul>
 * Every other line is listed in {@link Result#untranslated()} with its place.
 */
public final class HeartbeatImport {

    private static final Pattern TIME = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s)?");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final List<String> FACILITIES = List.of("daemon", "local0", "local1", "local2", "local3", "local4",
            "local5", "local6", "local7");
    private static final int DEFAULT_UDPPORT = 694;
    private static final Map<String, String> NOT_TRANSLATED = Map.ofEntries(
            Map.entry("serial", "serial links are not supported; the ring runs over UDP only"),
            Map.entry("baud", "serial links are not supported"),
            Map.entry("watchdog", "ringmaster never arms a watchdog by itself; see the fencing section's poison-pill "
                    + "device"),
            Map.entry("stonith", "configure a fencing { device { ... } } section by hand"),
            Map.entry("stonith_host", "configure a fencing { device { ... } } section by hand"),
            Map.entry("crm", "heartbeat's CRM mode keeps its resources in a CIB, not haresources; run that CIB with "
                    + "'ringctl crm simulate --cib' and write the resources section by hand"),
            Map.entry("use_logd", "no logging daemon; the logging section writes to syslog directly"),
            Map.entry("apiauth", "heartbeat API clients do not exist here; ringmasterd's admin socket has its own "
                    + "permissions (--socket-group)"),
            Map.entry("autojoin", "nodes join only from the nodelist"),
            Map.entry("hopfudge", "no ring-hop limit"),
            Map.entry("realtime", "run the JVM with chrt/systemd CPUSchedulingPolicy instead"),
            Map.entry("compression", "datagrams are not compressed"),
            Map.entry("traditional_compression", "datagrams are not compressed"),
            Map.entry("msgfmt", "heartbeat's wire format does not apply"),
            Map.entry("coredumps", "set by the service manager"),
            Map.entry("debugfile", "debug lines go where the other log lines go"),
            Map.entry("conn_logd_time", "no logging daemon"),
            Map.entry("hbgenmethod", "ring ids are kept in the state directory"),
            Map.entry("uuidfrom", "nodes are known by their node id"),
            Map.entry("mcast6", "IPv6 multicast media are not translated; write the interface by hand"),
            Map.entry("ucast6", "IPv6 media are not translated; write the interface by hand"),
            Map.entry("hbaping", "HBA pings are not supported"));

    private HeartbeatImport() {
    }

    /**
     * The translation.
     *
     * @param config       ringmaster.conf text
     * @param notes        what was translated approximately or deserves a look (weak old keys, resolved names)
     * @param untranslated every input line that has no equivalent, as {@code file:line: text: why}
     */
    public record Result(String config, List<String> notes, List<String> untranslated) {
        public Result {
            notes = List.copyOf(notes);
            untranslated = List.copyOf(untranslated);
        }
    }

    /** One meaningful line of a heartbeat file. */
    private record Line(Path file, int number, String directive, List<String> args, String text) {
        String where() {
            return file + ":" + number;
        }
    }

    /**
     * Reads {@code dir}/ha.cf (required), authkeys and haresources (optional).
     *
     * @param dir         the heartbeat directory, e.g. /etc/ha.d
     * @param keyfile     where the new authkey will be (written into {@code totem.keyfile})
     * @param clusterName {@code totem.cluster_name}
     * @throws HeartbeatImportException naming file:line of a line that cannot be understood
     */
    public static Result translate(Path dir, Path keyfile, String clusterName) throws HeartbeatImportException {
        return translate(dir, keyfile, clusterName, Path.of("/etc/ringmaster/ringmaster.conf"));
    }

    /**
     * As {@link #translate(Path, Path, String)}, with {@code output}, where the configuration will be,
     * named as the CRM's {@code crm.config} (the simple CRM seeds its resources from that file's
     * {@code resources} section).
     */
    public static Result translate(Path dir, Path keyfile, String clusterName, Path output)
            throws HeartbeatImportException {
        Translation t = new Translation(dir);
        t.output = output.toAbsolutePath().normalize();
        return t.run(keyfile, clusterName);
    }

    private static final class Translation {
        private final Path dir;
        private Path output;
        private final List<String> notes = new ArrayList<>();
        private final List<String> untranslated = new ArrayList<>();
        private final Set<String> nodes = new LinkedHashSet<>();
        private Long keepaliveMs;
        private Long deadtimeMs;
        private Long warntimeMs;
        private Long initdeadMs;
        private Long deadpingMs;
        private int udpport = DEFAULT_UDPPORT;
        private Line medium;
        private String mediumInterface;
        private final List<String> ucastAddresses = new ArrayList<>();
        private final Set<String> pingHosts = new LinkedHashSet<>();
        private int pingLines;
        private String autoFailback;
        private Line autoFailbackLine;
        private String facility;
        private String logfile;
        private boolean debug;

        Translation(Path dir) {
            this.dir = dir;
        }

        Result run(Path keyfile, String clusterName) throws HeartbeatImportException {
            Path haCf = dir.resolve("ha.cf");
            if (!Files.isRegularFile(haCf)) {
                throw new HeartbeatImportException(haCf + ": no such file; a heartbeat directory (e.g. /etc/ha.d) "
                        + "has ha.cf, authkeys and haresources");
            }
            for (Line l : lines(haCf)) {
                haCf(l);
            }
            if (nodes.isEmpty()) {
                throw new HeartbeatImportException(haCf + ": no 'node' line; the node list cannot be made");
            }
            authkeys(dir.resolve("authkeys"));
            Optional<Configuration> resources = haresources(dir.resolve("haresources"));
            return new Result(write(keyfile, clusterName, resources), notes, untranslated);
        }

        private void haCf(Line l) throws HeartbeatImportException {
            List<String> a = l.args();
            switch (l.directive()) {
                case "node" -> {
                    need(l, 1, "node NAME...");
                    a.forEach(n -> nodes.add(n.toLowerCase(Locale.ROOT)));
                }
                case "keepalive" -> keepaliveMs = time(l);
                case "deadtime" -> deadtimeMs = time(l);
                case "warntime" -> warntimeMs = time(l);
                case "initdead" -> initdeadMs = time(l);
                case "deadping" -> deadpingMs = time(l);
                case "udpport" -> {
                    need(l, 1, "udpport PORT");
                    udpport = port(l, a.get(0));
                }
                case "ucast" -> {
                    need(l, 2, "ucast INTERFACE ADDRESS");
                    if (medium(l, a.get(0))) {
                        ucastAddresses.add(a.get(1));
                    }
                }
                case "bcast" -> {
                    need(l, 1, "bcast INTERFACE...");
                    if (medium(l, a.get(0))) {
                        notes.add(l.where() + ": bcast " + a.get(0) + " becomes udpu (unicast to every node); UDP "
                                + "broadcast is not supported");
                    }
                    for (String extra : a.subList(1, a.size())) {
                        untranslated.add(l.where() + ": bcast " + extra + ": " + secondInterface(extra));
                    }
                }
                case "mcast" -> {
                    need(l, 5, "mcast INTERFACE GROUP PORT TTL LOOP");
                    if (!IPV4.matcher(a.get(1)).matches() || !isMulticast(a.get(1))) {
                        throw new HeartbeatImportException(l.where() + ": mcast group '" + a.get(1) + "' is not an IPv4 "
                                + "multicast address (224.0.0.0/4)");
                    }
                    port(l, a.get(2));
                    medium(l, a.get(0));
                }
                case "auto_failback" -> {
                    need(l, 1, "auto_failback on|off|legacy");
                    String v = a.get(0).toLowerCase(Locale.ROOT);
                    if (!List.of("on", "off", "legacy", "yes", "no", "true", "false", "1", "0").contains(v)) {
                        throw new HeartbeatImportException(l.where() + ": auto_failback must be on, off or legacy, not '"
                                + a.get(0) + "'");
                    }
                    autoFailback = v;
                    autoFailbackLine = l;
                }
                case "ping" -> {
                    need(l, 1, "ping ADDRESS...");
                    pingHosts.addAll(a);
                    pingLines++;
                }
                case "ping_group" -> {
                    need(l, 2, "ping_group NAME ADDRESS...");
                    pingHosts.addAll(a.subList(1, a.size()));
                    pingLines++;
                }
                case "respawn" -> {
                    need(l, 2, "respawn USER PROGRAM");
                    if (a.get(1).endsWith("/ipfail")) {
                        notes.add(l.where() + ": ipfail is replaced by the ping quorum device: the partition that "
                                + "reaches the ping targets gets its votes");
                    } else {
                        untranslated.add(l.where() + ": " + l.text() + ": run it as a systemd unit or a cluster "
                                + "resource instead");
                    }
                }
                case "logfacility" -> {
                    need(l, 1, "logfacility FACILITY|none");
                    String f = a.get(0).toLowerCase(Locale.ROOT);
                    if (f.equals("none") || FACILITIES.contains(f)) {
                        facility = f;
                    } else {
                        untranslated.add(l.where() + ": " + l.text() + ": syslog_facility is daemon or local0..local7");
                    }
                }
                case "logfile" -> {
                    need(l, 1, "logfile PATH");
                    logfile = a.get(0);
                }
                case "debug" -> {
                    need(l, 1, "debug LEVEL");
                    try {
                        debug = Integer.parseInt(a.get(0)) > 0;
                    } catch (NumberFormatException e) {
                        throw new HeartbeatImportException(l.where() + ": debug expects a number, not '" + a.get(0) + "'");
                    }
                }
                default -> untranslated.add(l.where() + ": " + l.text() + ": "
                        + NOT_TRANSLATED.getOrDefault(l.directive(), "unknown to the import"));
            }
        }

        /** The first medium decides the transport; media on other interfaces are a second network. */
        private boolean medium(Line l, String iface) {
            if (medium == null) {
                medium = l;
                mediumInterface = iface;
                return true;
            }
            if (!iface.equals(mediumInterface)) {
                untranslated.add(l.where() + ": " + l.text() + ": " + secondInterface(iface));
                return false;
            }
            if (!l.directive().equals(medium.directive())) {
                untranslated.add(l.where() + ": " + l.text() + ": the ring uses " + medium.directive() + " from "
                        + medium.where() + "; one transport per link");
                return false;
            }
            return true;
        }

        private static String secondInterface(String iface) {
            return "a second network (" + iface + "): give each node a ring1_addr, add interface { linknumber: 1 } "
                    + "and use transport knet for redundant links";
        }

        private void authkeys(Path file) throws HeartbeatImportException {
            if (!Files.isRegularFile(file)) {
                notes.add(file + ": not found; a new key is written anyway");
                return;
            }
            try {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
                if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
                    notes.add(file + ": readable by others than its owner; treat its old secret as known");
                }
            } catch (IOException | UnsupportedOperationException e) {
                // Only a note; the key is replaced either way.
            }
            String authId = null;
            Line authLine = null;
            java.util.Map<String, Line> methods = new java.util.HashMap<>();
            for (Line l : lines(file)) {
                if (l.directive().equals("auth")) {
                    need(l, 1, "auth ID");
                    authId = l.args().get(0);
                    authLine = l;
                } else if (l.directive().matches("\\d+")) {
                    need(l, 1, "ID METHOD [KEY]");
                    String method = l.args().get(0).toLowerCase(Locale.ROOT);
                    if (!List.of("crc", "md5", "sha1").contains(method)) {
                        throw new HeartbeatImportException(l.where() + ": unknown method '" + l.args().get(0)
                                + "'; heartbeat has crc, md5 and sha1");
                    }
                    if (!method.equals("crc") && l.args().size() < 2) {
                        throw new HeartbeatImportException(l.where() + ": " + method + " needs a key after it");
                    }
                    methods.put(l.directive(), l);
                } else {
                    throw new HeartbeatImportException(l.where() + ": expected 'auth ID' or 'ID METHOD [KEY]', got '"
                            + l.text() + "'");
                }
            }
            if (authLine == null) {
                throw new HeartbeatImportException(file + ": no 'auth ID' line saying which key is in use");
            }
            Line used = methods.get(authId);
            if (used == null) {
                throw new HeartbeatImportException(authLine.where() + ": auth " + authId + " names no key line '"
                        + authId + " METHOD KEY'");
            }
            String method = used.args().get(0).toLowerCase(Locale.ROOT);
            notes.add(used.where() + ": " + switch (method) {
                case "crc" -> "crc authenticated nothing (anyone on the network could speak for a node)";
                case "md5" -> "md5 is broken as a MAC and the key was a short text";
                default -> "sha1 with a short text key is weak";
            } + "; replaced by a new random key with AES-256-GCM and SHA-256 (copy it to every node)");
        }

        private Optional<Configuration> haresources(Path file) throws HeartbeatImportException {
            if (!Files.isRegularFile(file)) {
                notes.add(file + ": not found; no resources and no crm section");
                if (autoFailbackLine != null) {
                    untranslated.add(autoFailbackLine.where() + ": " + autoFailbackLine.text()
                            + ": no haresources to apply it to");
                }
                return Optional.empty();
            }
            String text = read(file);
            List<String> missing = new ArrayList<>();
            try {
                Configuration c = HaresourcesReader.read(text, file.toString(), List.copyOf(nodes), autoFailback,
                        script -> scriptClass(script, missing));
                for (String m : new LinkedHashSet<>(missing)) {
                    notes.add(file + ": resource script '" + m + "' is not on this host (resource.d, /etc/ha.d/"
                            + "resource.d, /etc/init.d); assumed heartbeat:" + m + "; check it exists on every node");
                }
                return Optional.of(c);
            } catch (HaresourcesException e) {
                throw new HeartbeatImportException(e.getMessage());
            }
        }

        /** resource.d beside ha.cf, then the system's resource.d, then init scripts; else assume resource.d. */
        private Optional<String> scriptClass(String script, List<String> missing) {
            if (script.contains("/") || script.startsWith(".")) {
                return Optional.empty();
            }
            if (Files.isRegularFile(dir.resolve("resource.d").resolve(script))
                    || Files.isRegularFile(Path.of("/etc/ha.d/resource.d", script))) {
                return Optional.of("heartbeat");
            }
            if (Files.isRegularFile(Path.of("/etc/init.d", script))) {
                return Optional.of("lsb");
            }
            missing.add(script);
            return Optional.of("heartbeat");
        }

        private String write(Path keyfile, String clusterName, Optional<Configuration> resources) {
            Text t = new Text();
            t.line("# Translated from the heartbeat directory " + dir.toAbsolutePath().normalize()
                    + " by 'ringctl config import-heartbeat'.");
            t.line("# Check it with 'ringctl config check FILE'; copy it and the authkey to every node.");
            t.open("totem");
            t.kv("version", "2");
            t.kv("cluster_name", clusterName);
            boolean multicast = medium != null && medium.directive().equals("mcast");
            t.kv("transport", multicast ? "udp" : "udpu");
            if (medium == null) {
                notes.add("ha.cf: no ucast, bcast or mcast line; transport udpu on port " + udpport);
            }
            if (deadtimeMs != null) {
                t.comment("deadtime " + seconds(deadtimeMs) + ": a node is declared dead after the token is lost "
                        + "this long");
                t.kv("token", String.valueOf(deadtimeMs));
                t.kv("token_coefficient", "0");
                if (keepaliveMs != null) {
                    long retransmits = Math.max(2, Math.min(20, Math.round((double) deadtimeMs / keepaliveMs)));
                    t.comment("keepalive " + seconds(keepaliveMs) + ": the token is resent about every "
                            + seconds(Math.round(deadtimeMs / (retransmits + 0.2))) + " while it is missing");
                    t.kv("token_retransmits_before_loss_const", String.valueOf(retransmits));
                    if (keepaliveMs >= deadtimeMs) {
                        notes.add("ha.cf: keepalive " + seconds(keepaliveMs) + " is not below deadtime "
                                + seconds(deadtimeMs) + "; heartbeat would have declared nodes dead between two "
                                + "heartbeats");
                    }
                }
                if (warntimeMs != null) {
                    long percent = Math.max(0, Math.min(100, Math.round(100.0 * warntimeMs / deadtimeMs)));
                    t.comment("warntime " + seconds(warntimeMs) + ": warn when the token is this late");
                    t.kv("token_warning", String.valueOf(percent));
                }
            } else {
                if (keepaliveMs != null) {
                    notes.add("ha.cf: keepalive without deadtime; the token timeouts keep their defaults");
                }
                if (warntimeMs != null) {
                    notes.add("ha.cf: warntime without deadtime; token_warning keeps its default");
                }
            }
            t.kv("crypto_cipher", "aes256");
            t.kv("crypto_hash", "sha256");
            t.kv("keyfile", keyfile.toAbsolutePath().normalize().toString());
            t.open("interface");
            t.kv("linknumber", "0");
            if (multicast) {
                t.kv("mcastaddr", medium.args().get(1));
                t.kv("mcastport", medium.args().get(2));
                if (!medium.args().get(2).equals(String.valueOf(udpport)) && udpport != DEFAULT_UDPPORT) {
                    notes.add(medium.where() + ": mcast port " + medium.args().get(2) + " is used; udpport " + udpport
                            + " applies to ucast/bcast only");
                }
            } else {
                t.kv("mcastport", String.valueOf(udpport));
            }
            t.close();
            t.close();

            t.open("nodelist");
            if (!ucastAddresses.isEmpty()) {
                t.comment("ucast peers in ha.cf: " + String.join(" ", ucastAddresses) + " (on " + mediumInterface + ")");
            }
            int id = 1;
            for (String n : nodes) {
                t.open("node");
                t.kv("name", n);
                t.kv("nodeid", String.valueOf(id++));
                t.kv("ring0_addr", n);
                t.close();
            }
            t.close();
            notes.add("nodelist: ring0_addr is each node's name (heartbeat knows nodes by uname -n); it must resolve "
                    + "to the node's address on " + (mediumInterface == null ? "the cluster network" : mediumInterface)
                    + (ucastAddresses.isEmpty() ? "" : " (ha.cf's ucast peers: " + String.join(", ", ucastAddresses)
                    + ")") + ", or write the addresses in");

            t.open("quorum");
            t.kv("provider", "corosync_votequorum");
            boolean ping = !pingHosts.isEmpty();
            if (nodes.size() == 2 && !ping) {
                t.comment("two nodes: the survivor of a pair stays quorate, as a heartbeat pair kept running");
                t.kv("two_node", "1");
            }
            if (initdeadMs != null) {
                t.comment("initdead " + seconds(initdeadMs) + ": at first start, wait until every node has been seen");
                t.kv("wait_for_all", "1");
            }
            if (ping) {
                t.comment("ping/ping_group (ipfail): the partition that reaches these addresses gets the device's votes");
                t.open("device");
                t.kv("model", "ping");
                t.open("ping");
                t.kv("host", String.join(" ", pingHosts));
                if (deadpingMs != null) {
                    long deadping = deadpingMs;
                    if (deadtimeMs != null && deadping > deadtimeMs) {
                        // A side that lost the target must stop claiming the votes before a new ring forms.
                        notes.add("ha.cf: deadping " + seconds(deadpingMs) + " is longer than deadtime "
                                + seconds(deadtimeMs) + "; the ping device must notice a lost target within the "
                                + "token timeout, so deadping is " + deadtimeMs + " ms");
                        deadping = deadtimeMs;
                    }
                    t.kv("deadping", String.valueOf(deadping));
                }
                t.close();
                t.close();
                if (pingLines > 1 || pingHosts.size() > 1) {
                    notes.add("ha.cf: every ping and ping_group address became one ping target group (any address "
                            + "answering counts); heartbeat's ipfail compared how many ping nodes each side saw");
                }
            } else if (deadpingMs != null) {
                untranslated.add("ha.cf: deadping " + seconds(deadpingMs) + ": no ping nodes to apply it to");
            }
            t.close();

            t.open("logging");
            t.kv("to_stderr", "no");
            t.kv("to_syslog", "none".equals(facility) ? "no" : "yes");
            if (facility != null && !facility.equals("none")) {
                t.kv("syslog_facility", facility);
            }
            if (logfile != null) {
                t.kv("to_logfile", "yes");
                t.kv("logfile", logfile);
            }
            if (debug) {
                t.kv("debug", "on");
            }
            t.kv("timestamp", "on");
            t.close();

            resources.ifPresent(c -> {
                t.open("crm");
                t.kv("plugin", "simple");
                t.comment("the simple CRM seeds its resources from the resources section of this file");
                t.kv("config", output.toString());
                t.close();
                notes.add("crm.config is " + output + " (this file); change it if the file is installed elsewhere");
                writeResources(t, c);
            });
            return t.toString();
        }

        private void writeResources(Text t, Configuration c) {
            t.open("resources");
            String stickiness = c.resourceDefaults().get("resource-stickiness").orElse("0");
            t.open("defaults");
            t.comment("auto_failback " + (autoFailback == null ? "(not set: legacy)" : autoFailback) + ": "
                    + ("0".equals(stickiness) ? "groups go back to their preferred node when it returns"
                    : "groups stay where they run"));
            t.kv("resource-stickiness", score(Integer.parseInt(stickiness)));
            t.close();
            for (Resource r : c.resources()) {
                if (r instanceof Group g) {
                    for (Primitive p : g.members()) {
                        t.open("primitive");
                        t.kv("id", p.id());
                        t.kv("agent", p.agent());
                        p.params().forEach((k, v) -> t.kv("param", k + "=" + v));
                        t.close();
                    }
                    t.open("group");
                    t.kv("id", g.id());
                    t.kv("members", String.join(" ", g.members().stream().map(Primitive::id).toList()));
                    t.close();
                }
            }
            for (LocationConstraint l : c.locations()) {
                t.open("location");
                t.kv("rsc", l.resource());
                t.kv("node", l.node());
                t.kv("score", score(l.score()));
                t.close();
            }
            t.close();
        }

        private static String score(int s) {
            return s >= Score.INFINITY ? "INFINITY" : s <= -Score.INFINITY ? "-INFINITY" : String.valueOf(s);
        }
    }

    private static void need(Line l, int args, String usage) throws HeartbeatImportException {
        if (l.args().size() < args) {
            throw new HeartbeatImportException(l.where() + ": '" + l.text() + "' is incomplete; expected " + usage);
        }
    }

    /** heartbeat times: seconds (fractions allowed) or a number with {@code ms}. */
    private static long time(Line l) throws HeartbeatImportException {
        need(l, 1, l.directive() + " SECONDS (or e.g. 1500ms)");
        Matcher m = TIME.matcher(l.args().get(0));
        if (!m.matches()) {
            throw new HeartbeatImportException(l.where() + ": " + l.directive() + " expects seconds (e.g. 30) or "
                    + "milliseconds (e.g. 1500ms), not '" + l.args().get(0) + "'");
        }
        double value = Double.parseDouble(m.group(1));
        long ms = "ms".equals(m.group(2)) ? Math.round(value) : Math.round(value * 1000);
        if (ms <= 0) {
            throw new HeartbeatImportException(l.where() + ": " + l.directive() + " must be above zero");
        }
        return ms;
    }

    private static int port(Line l, String text) throws HeartbeatImportException {
        try {
            int p = Integer.parseInt(text);
            if (p >= 1 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // Reported below.
        }
        throw new HeartbeatImportException(l.where() + ": '" + text + "' is not a UDP port (1..65535)");
    }

    private static boolean isMulticast(String ipv4) {
        int first = Integer.parseInt(ipv4.substring(0, ipv4.indexOf('.')));
        return first >= 224 && first <= 239;
    }

    private static String seconds(long ms) {
        return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
    }

    private static String read(Path file) throws HeartbeatImportException {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new HeartbeatImportException(file + ": not UTF-8 text");
        } catch (IOException e) {
            throw new HeartbeatImportException(file + ": cannot read: " + e.getMessage());
        }
    }

    /** Non-blank lines without comments, split into directive and arguments. */
    private static List<Line> lines(Path file) throws HeartbeatImportException {
        String text = read(file);
        List<Line> out = new ArrayList<>();
        String[] raw = text.split("\r?\n", -1);
        for (int i = 0; i < raw.length; i++) {
            String l = raw[i];
            int hash = l.indexOf('#');
            if (hash >= 0) {
                l = l.substring(0, hash);
            }
            l = l.strip();
            if (l.isEmpty()) {
                continue;
            }
            List<String> words = List.of(l.split("\\s+"));
            out.add(new Line(file, i + 1, words.get(0).toLowerCase(Locale.ROOT), words.subList(1, words.size()), l));
        }
        return out;
    }

    /** Indented corosync-syntax output. */
    private static final class Text {
        private final StringBuilder out = new StringBuilder();
        private int depth;

        void line(String s) {
            out.append("    ".repeat(depth)).append(s).append('\n');
        }

        void comment(String s) {
            line("# " + s);
        }

        void kv(String key, String value) {
            line(key + ": " + value);
        }

        void open(String name) {
            if (depth == 0) {
                out.append('\n');
            }
            line(name + " {");
            depth++;
        }

        void close() {
            depth--;
            line("}");
        }

        @Override
        public String toString() {
            return out.toString();
        }
    }
}
