package org.ringmaster.daemon.config;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Turns a syntax tree into a {@link ClusterConfig}: typed sections, then checks across sections. */
final class ClusterConfigReader {

    private static final Map<String, String> NOT_IMPLEMENTED = SectionReader.reasons(
            "uidgid {}", "client access is controlled by the admin socket's mode and group",
            "nozzle {}", "libnozzle virtual network devices are not provided",
            "qb {}", "clients use ringmaster's Unix socket, not libqb IPC",
            "amf {}", "obsolete corosync 1 section",
            "aisexec {}", "obsolete corosync 1 section",
            "service {}", "obsolete corosync 1 plugin loader; pacemaker-like services are the crm section",
            "pload {}", "corosync test load generator",
            "compatibility", "obsolete corosync 1 option");

    private ClusterConfigReader() {
    }

    static ClusterConfig read(ParsedConfig parsed) throws ConfigException {
        Diagnostics d = new Diagnostics();
        d.addAll(parsed.warnings());
        ConfigSection root = parsed.root();
        SectionReader top = new SectionReader(root, "", d);

        SectionReader totemReader = new SectionReader(merged(top, "totem"), "totem", d);
        Transport transport = TotemConfig.readTransport(totemReader);

        boolean clearHighBit = totemReader.yesNo("clear_node_high_bit").orElse(false);
        Optional<ConfigSection> nodelist = optional(top, "nodelist");
        List<NodeConfig> nodes = readNodes(nodelist, transport, clearHighBit, d);
        TotemConfig totem = TotemConfig.read(totemReader, transport, nodes.size());

        Optional<ConfigSection> quorumSection = optional(top, "quorum");
        QuorumConfig quorum = quorumSection
                .map(s -> QuorumConfig.read(new SectionReader(s, "quorum", d), nodes))
                .orElseGet(() -> QuorumConfig.disabled(nodes));
        quorum = crossCheckQuorum(quorum, quorumSection.orElse(null), nodes, totem, d);

        LoggingConfig logging = optional(top, "logging")
                .map(s -> LoggingConfig.read(new SectionReader(s, "logging", d))).orElseGet(LoggingConfig::defaults);
        SystemConfig system = optional(top, "system")
                .map(s -> SystemConfig.read(new SectionReader(s, "system", d))).orElse(new SystemConfig(Optional.empty()));
        CrmConfig crm = optional(top, "crm")
                .map(s -> CrmConfig.read(new SectionReader(s, "crm", d))).orElseGet(CrmConfig::none);
        MetricsConfig metrics = optional(top, "metrics")
                .map(s -> MetricsConfig.read(new SectionReader(s, "metrics", d))).orElseGet(MetricsConfig::none);
        Optional<ConfigSection> resources = optional(top, "resources");
        resources.ifPresent(s -> warnCorosyncResources(s, d));
        Optional<ConfigSection> fencing = optional(top, "fencing");
        top.finish(NOT_IMPLEMENTED);

        if (d.hasErrors()) {
            throw new ConfigException(inFileOrder(d.all()));
        }
        return new ClusterConfig(totem, nodes, quorum, logging, system, crm, metrics, resources, fencing,
                inFileOrder(d.warnings()));
    }

    /** Findings sorted by line and column (stable), so output reads top to bottom like the file. */
    private static List<Diagnostic> inFileOrder(List<Diagnostic> all) {
        List<Diagnostic> sorted = new ArrayList<>(all);
        sorted.sort(java.util.Comparator.comparingInt((Diagnostic x) -> x.position() == null ? 0 : x.position().line())
                .thenComparingInt(x -> x.position() == null ? 0 : x.position().column()));
        return sorted;
    }

    /** Corosync merges repeated top-level sections; so do we, with a warning. */
    private static Optional<ConfigSection> optional(SectionReader top, String name) {
        List<ConfigSection> all = top.sections(name);
        if (all.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(merged(top, name));
    }

    private static ConfigSection merged(SectionReader top, String name) {
        List<ConfigSection> all = top.sections(name);
        if (all.isEmpty()) {
            return new ConfigSection(name, top.section().position(), List.of(), List.of());
        }
        if (all.size() == 1) {
            return all.get(0);
        }
        List<ConfigEntry> entries = new ArrayList<>();
        List<ConfigSection> children = new ArrayList<>();
        for (ConfigSection s : all) {
            entries.addAll(s.entries());
            children.addAll(s.sections());
            if (s != all.get(0)) {
                top.diagnostics().warn(s.position(), name, "section repeated (first at " + all.get(0).position()
                        + "); merged with it as corosync does, later values win");
            }
        }
        return new ConfigSection(name, all.get(0).position(), entries, children);
    }

    private static List<NodeConfig> readNodes(Optional<ConfigSection> nodelist, Transport transport,
                                              boolean clearHighBit, Diagnostics d) {
        List<NodeConfig> nodes = new ArrayList<>();
        if (nodelist.isEmpty()) {
            return nodes;
        }
        SectionReader list = new SectionReader(nodelist.get(), "nodelist", d);
        List<ConfigSection> sections = list.sections("node");
        list.finish();
        for (int i = 0; i < sections.size(); i++) {
            String path = "nodelist.node[" + (i + 1) + "]";
            NodeConfig node = NodeConfig.read(new SectionReader(sections.get(i), path, d));
            nodes.add(resolveNodeid(node, path, transport, clearHighBit, d));
        }
        checkNodes(nodes, transport, d);
        return nodes;
    }

    private static NodeConfig resolveNodeid(NodeConfig node, String path, Transport transport, boolean clearHighBit,
                                            Diagnostics d) {
        if (node.nodeid() != 0 || node.ring0Addr().isEmpty()) {
            return node;
        }
        Optional<InetAddress> v4 = Addresses.literal(node.ring0Addr().get()).filter(a -> a instanceof Inet4Address);
        if (transport == Transport.KNET || v4.isEmpty()) {
            d.error(node.position(), path + ".nodeid", "missing: every node needs a nodeid"
                    + (transport == Transport.KNET ? " with transport knet (the default)"
                    : " unless its ring0_addr is an IPv4 address"));
            return node;
        }
        byte[] b = v4.get().getAddress();
        long id = ((b[0] & 0xffL) << 24) | ((b[1] & 0xffL) << 16) | ((b[2] & 0xffL) << 8) | (b[3] & 0xffL);
        if (clearHighBit) {
            id &= 0x7fffffffL;
        }
        d.warn(node.position(), path + ".nodeid", "missing; derived " + id + " from ring0_addr "
                + node.ring0Addr().get() + " as corosync does for transport " + transport.configName()
                + " (set it explicitly to keep it stable)");
        return node.withNodeid(id);
    }

    private static void checkNodes(List<NodeConfig> nodes, Transport transport, Diagnostics d) {
        Map<Long, NodeConfig> byId = new HashMap<>();
        Map<String, NodeConfig> byName = new HashMap<>();
        Map<String, NodeConfig> byAddress = new HashMap<>();
        boolean anyMultiLink = false;
        for (int i = 0; i < nodes.size(); i++) {
            NodeConfig n = nodes.get(i);
            String path = "nodelist.node[" + (i + 1) + "]";
            if (n.nodeid() > 0) {
                NodeConfig other = byId.putIfAbsent(n.nodeid(), n);
                if (other != null) {
                    d.error(n.position(), path + ".nodeid", "nodeid " + n.nodeid()
                            + " is used twice (also by the node at " + other.position() + ")");
                }
            }
            if (n.name().isPresent()) {
                NodeConfig other = byName.putIfAbsent(n.name().get(), n);
                if (other != null) {
                    d.error(n.position(), path + ".name", "name '" + n.name().get()
                            + "' is used twice (also by the node at " + other.position() + ")");
                }
            }
            if (n.ring0Addr().isEmpty()) {
                d.warn(n.position(), path + ".ring0_addr", "missing: node " + n.label()
                        + " has no address and can never join (corosync refuses to start without one)");
            }
            for (Map.Entry<Integer, String> a : n.addresses().entrySet()) {
                if (a.getKey() > transport.maxLinkNumber()) {
                    d.warn(n.position(), path + ".ring" + a.getKey() + "_addr", "ignored: transport "
                            + transport.configName() + " uses only link 0 (redundant rings were removed in corosync 3;"
                            + " use transport knet for several links)");
                    continue;
                }
                if (a.getKey() > 0) {
                    anyMultiLink = true;
                }
                NodeConfig other = byAddress.putIfAbsent(a.getKey() + "/" + a.getValue(), n);
                if (other != null && other != n) {
                    d.error(n.position(), path + ".ring" + a.getKey() + "_addr", "address " + a.getValue()
                            + " is used twice on link " + a.getKey() + " (also by node " + other.label() + " at "
                            + other.position() + ")");
                }
            }
        }
        if (anyMultiLink && transport == Transport.KNET) {
            NodeConfig first = nodes.get(0);
            for (int i = 0; i < nodes.size(); i++) {
                NodeConfig n = nodes.get(i);
                String path = "nodelist.node[" + (i + 1) + "]";
                if (n.name().isEmpty()) {
                    d.error(n.position(), path + ".name", "missing: with several links every node needs a name");
                }
                if (!n.addresses().keySet().equals(first.addresses().keySet())) {
                    d.error(n.position(), path, "node " + n.label() + " has links " + n.addresses().keySet()
                            + " but node " + first.label() + " has links " + first.addresses().keySet()
                            + "; every node must have the same links");
                }
            }
        }
    }

    private static QuorumConfig crossCheckQuorum(QuorumConfig q, ConfigSection section, List<NodeConfig> nodes,
                                                 TotemConfig totem, Diagnostics d) {
        if (section == null) {
            return q;
        }
        SourcePosition at = section.position();
        if (!q.enabled()) {
            if (!section.entries().isEmpty() || !section.sections().isEmpty()) {
                d.warn(at, "quorum", "no provider is set, so quorum is not computed and the other quorum options "
                        + "have no effect (set 'provider: corosync_votequorum')");
            }
            return q;
        }
        int nodeVotes = nodes.stream().mapToInt(NodeConfig::quorumVotes).sum();
        if (nodes.isEmpty() && !q.expectedVotesConfigured()) {
            d.error(at, "quorum.expected_votes", "nodelist or quorum.expected_votes must be configured");
        }
        if (q.expectedVotesConfigured() && q.expectedVotes() < nodeVotes) {
            d.warn(pos(section, "expected_votes", at), "quorum.expected_votes", "expected_votes "
                    + q.expectedVotes() + " is less than the nodelist's total quorum_votes " + nodeVotes
                    + "; votequorum raises it to the votes present");
        }
        Optional<QuorumDeviceConfig> device = q.device();
        if (q.twoNode() && device.isPresent()) {
            d.error(pos(section, "two_node", at), "quorum.two_node", "two_node and a quorum device (quorum.device "
                    + "model " + device.get().model() + ") cannot be configured at the same time");
        }
        if (q.twoNode() && q.autoTieBreaker()) {
            d.warn(pos(section, "two_node", at), "quorum.two_node", "two_node: 1 and auto_tie_breaker: 1 are not "
                    + "compatible; two_node is disabled, as corosync does");
            q = q.withTwoNode(false);
        }
        if (q.twoNode() && nodes.size() > 2) {
            d.warn(pos(section, "two_node", at), "quorum.two_node", "two_node: 1 with " + nodes.size()
                    + " nodes in nodelist; two_node only applies to two-node clusters and is switched off as soon as "
                    + "more than two nodes are members");
        }
        if (q.autoTieBreaker() && nodeVotes % 2 == 1 && !q.waitForAll()) {
            if (q.lastManStanding()) {
                d.error(pos(section, "auto_tie_breaker", at), "quorum.auto_tie_breaker", "auto_tie_breaker and "
                        + "last_man_standing are not available in an odd sized cluster (total votes " + nodeVotes
                        + ") without wait_for_all; disable last_man_standing and set wait_for_all: 1");
            } else {
                d.warn(pos(section, "auto_tie_breaker", at), "quorum.auto_tie_breaker", "the cluster has an odd "
                        + "number of votes (" + nodeVotes + ") and wait_for_all is 0; auto_tie_breaker is disabled, "
                        + "as corosync does (set wait_for_all: 1 to keep it)");
                q = q.withAutoTieBreaker(false);
            }
        }
        if (q.autoTieBreaker() && q.autoTieBreakerNode().kind() == QuorumConfig.TieBreaker.Kind.LIST) {
            for (long id : q.autoTieBreakerNode().nodeids()) {
                if (nodes.stream().noneMatch(n -> n.nodeid() == id)) {
                    d.warn(pos(section, "auto_tie_breaker_node", at), "quorum.auto_tie_breaker_node", "node id "
                            + id + " is not in the nodelist");
                }
            }
        }
        if (q.lastManStanding()) {
            for (NodeConfig n : nodes) {
                if (n.quorumVotes() != 1) {
                    d.warn(pos(section, "last_man_standing", at), "quorum.last_man_standing", "last_man_standing "
                            + "needs every node to have 1 vote, but node " + n.label() + " has quorum_votes "
                            + n.quorumVotes());
                    break;
                }
            }
        }
        if (q.allowDownscale()) {
            d.warn(pos(section, "allow_downscale", at), "quorum.allow_downscale", "documented by corosync as "
                    + "incomplete and unsupported; it also turns on expected_votes_tracking");
        }
        if (device.isPresent()) {
            QuorumDeviceConfig dev = device.get();
            SourcePosition devAt = dev.raw().position();
            if (q.lastManStanding()) {
                d.error(devAt, "quorum.device", "a quorum device is not compatible with last_man_standing: 1");
            }
            if (q.autoTieBreaker()) {
                d.error(devAt, "quorum.device", "a quorum device is not compatible with auto_tie_breaker: 1");
            }
            if (q.allowDownscale()) {
                d.error(devAt, "quorum.device", "a quorum device is not compatible with allow_downscale: 1");
            }
            if (dev.votes().isEmpty() && q.expectedVotesConfigured()) {
                d.error(devAt, "quorum.device.votes", "must be set because quorum.expected_votes is set ("
                        + q.expectedVotes() + ")");
            }
            if (dev.votes().isEmpty() && !nodes.isEmpty() && nodeVotes != nodes.size()) {
                d.error(devAt, "quorum.device.votes", "must be set because not every node has 1 vote (total "
                        + nodeVotes + " votes for " + nodes.size() + " nodes)");
            }
            if (dev.votes().isPresent() && dev.votes().get() > 0 && q.expectedVotesConfigured()
                    && q.expectedVotes() - dev.votes().get() < 2) {
                d.error(devAt, "quorum.device.votes", "votes " + dev.votes().get() + " is too high for "
                        + "quorum.expected_votes " + q.expectedVotes() + " (expected_votes must exceed it by 2)");
            }
            long token = totem.effectiveTokenMs();
            dev.qdisk().ifPresent(disk -> {
                // A master that stalls is replaced after tko cycles; its own ring lease (3/4 token) must run
                // out first, or its partition would still count the old claim while another master is elected.
                long tkoMs = disk.config().intervalMs() * disk.config().tko();
                if (tkoMs <= token) {
                    d.error(disk.tkoAt(), "quorum.device.qdisk.tko", "qdisk.interval x qdisk.tko = " + tkoMs
                            + " ms must exceed the token timeout (" + token + " ms): a stalled master must lose its "
                            + "ring before another node may take the disk over");
                }
            });
            dev.ping().ifPresent(ping -> {
                // A partition that lost the target keeps claiming for deadping; it must have withdrawn before
                // its new ring (token loss + consensus at the earliest) can count the claim.
                long dead = ping.deadPingMs().orElse(Math.max(ping.intervalMs(), token));
                if (dead > token) {
                    d.error(ping.deadPingAt(), "quorum.device.ping." + (ping.deadPingMs().isPresent() ? "deadping"
                            : "interval"), "ping.deadping " + dead + " ms exceeds the token timeout (" + token
                            + " ms): a side that lost the target would still claim the votes when its new ring forms");
                }
            });
        }
        return q;
    }

    private static SourcePosition pos(ConfigSection s, String key, SourcePosition fallback) {
        return s.entries().stream().filter(e -> e.key().equals(key)).reduce((a, b) -> b)
                .map(ConfigEntry::keyPosition).orElse(fallback);
    }

    /** Corosync's own {@code resources} keys (watchdog, corosync 2 resource monitors) are not ours. */
    private static void warnCorosyncResources(ConfigSection s, Diagnostics d) {
        for (ConfigEntry e : s.entries()) {
            if (e.key().equals("watchdog_device") || e.key().equals("watchdog_timeout")) {
                d.warn(e.keyPosition(), "resources." + e.key(), "corosync's watchdog is not implemented by "
                        + "ringmaster, ignored");
            }
        }
        for (ConfigSection sub : s.sections()) {
            if (sub.name().equals("system") || sub.name().equals("process")) {
                d.warn(sub.position(), "resources." + sub.name(), "corosync 2 resource monitoring (memory_used, "
                        + "load_15min) is not implemented by ringmaster, ignored");
            }
        }
    }
}
