package org.ringmaster.daemon.node;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.ringmaster.daemon.config.ClusterConfig;
import org.ringmaster.daemon.config.LinkConfig;
import org.ringmaster.daemon.config.LocalNode;
import org.ringmaster.daemon.config.NodeConfig;
import org.ringmaster.daemon.config.QuorumConfig;
import org.ringmaster.daemon.config.QuorumDeviceConfig;
import org.ringmaster.daemon.config.TotemConfig;
import org.ringmaster.daemon.config.Transport;
import org.ringmaster.membership.MembershipConfig;
import org.ringmaster.membership.RingSeqStore;
import org.ringmaster.quorum.TieBreaker;
import org.ringmaster.totem.security.AuthKey;
import org.ringmaster.totem.security.CryptoConfig;
import org.ringmaster.totem.transport.MulticastConfig;
import org.ringmaster.totem.transport.PathMtu;
import org.ringmaster.totem.transport.UdpConfig;

/**
 * Everything one node needs to run, derived from the cluster configuration and the local node:
 * the ring's settings (totem's own {@code TotemConfig}, not the file's record of the same name),
 * membership timing, one {@link UdpConfig} per link, datagram security, and votequorum. Immutable.
 * Deriving touches no sockets; only the authkey's location is looked up.
 *
 * <p>Mapping from the file (corosync.conf(5) names):
 * <ul>
 *   <li>{@code token} is the effective token ({@code token + (nodes - 2) * token_coefficient});
 *       token_retransmit, hold, window_size, max_messages, netmtu, seqno_unchanged_const,
 *       miss_count_const, fail_recv_const and our accelerated, accelerated_window go to the ring;
 *       join, consensus and merge to membership.</li>
 *   <li>Every node listens on its {@code ringN_addr} and the link's {@code mcastport} (default
 *       5405), so several nodes share a host on 127.0.0.1, 127.0.0.2, ... with one port.</li>
 *   <li>knet with several links runs the redundant-link transport.</li>
 *   <li>{@code netmtu} not set (or {@code auto}, or knet's default 65536, which asks knet to
 *       discover the path MTU) is chosen by {@link PathMtu} for udpu and knet: the loopback or
 *       local interface MTU when every node address is on this host (bounded by the receive
 *       buffer), else 1500; udp multicast uses 1500. An explicit value is used as given. The
 *       receive buffer's slot count follows the netmtu
 *       ({@link org.ringmaster.totem.TotemConfig#receiveBufferSlotsFor}).</li>
 *   <li>{@code keyfile}: when it is not set (corosync's default /etc/corosync/authkey),
 *       /etc/ringmaster/authkey is used if it exists, else /etc/corosync/authkey.</li>
 * </ul>
 */
public final class NodeSettings {

    /** Where state lives when neither {@code --state-dir} nor {@code system.state_dir} says. */
    public static final Path DEFAULT_STATE_DIR = Path.of("/var/lib/ringmaster");
    /** The admin socket when {@code --socket} does not say; ringctl's default too. */
    public static final Path DEFAULT_SOCKET = Path.of("/run/ringmaster/ringmasterd.sock");
    /** Largest node id the ring's wire format carries. */
    static final long MAX_NODE_ID = Integer.MAX_VALUE;
    private final ClusterConfig cluster;
    private final LocalNode local;
    private final int nodeId;
    private final org.ringmaster.totem.TotemConfig totem;
    private final MembershipConfig membership;
    private final List<UdpConfig> links;
    private final Optional<MulticastConfig> multicast;
    private final CryptoConfig crypto;
    private final Optional<Path> keyfile;
    private final Optional<org.ringmaster.quorum.QuorumConfig> quorum;
    private final Path stateDir;
    private final List<String> notes;
    private final String netmtuReason;

    private NodeSettings(ClusterConfig cluster, LocalNode local, int nodeId, org.ringmaster.totem.TotemConfig totem,
                         MembershipConfig membership, List<UdpConfig> links, Optional<MulticastConfig> multicast,
                         CryptoConfig crypto, Optional<Path> keyfile,
                         Optional<org.ringmaster.quorum.QuorumConfig> quorum, Path stateDir, List<String> notes,
                         String netmtuReason) {
        this.cluster = cluster;
        this.local = local;
        this.nodeId = nodeId;
        this.totem = totem;
        this.membership = membership;
        this.links = List.copyOf(links);
        this.multicast = multicast;
        this.crypto = crypto;
        this.keyfile = keyfile;
        this.quorum = quorum;
        this.stateDir = stateDir;
        this.notes = List.copyOf(notes);
        this.netmtuReason = netmtuReason;
    }

    /**
     * Derives the settings.
     *
     * @param stateDir where the ring seq is kept (one file per node id, so nodes sharing a host and
     *                 a directory stay apart)
     * @param resolver turns {@code ringN_addr} values into addresses
     * @param exists   file existence, for the authkey default (tests pass their own)
     * @throws StartupException naming the key whose value the ring cannot use
     */
    public static NodeSettings derive(ClusterConfig cluster, LocalNode local, Path stateDir,
                                      LocalNode.Resolver resolver, Predicate<Path> exists) throws StartupException {
        return derive(cluster, local, stateDir, resolver, exists, PathMtu.system());
    }

    /**
     * Derives the settings, choosing an unset netmtu with {@code pathMtu} (which looks at this
     * host's interfaces and opens one throwaway socket; tests pass their own).
     */
    public static NodeSettings derive(ClusterConfig cluster, LocalNode local, Path stateDir,
                                      LocalNode.Resolver resolver, Predicate<Path> exists, PathMtu pathMtu)
            throws StartupException {
        List<String> notes = new ArrayList<>();
        int self = nodeId(local.node());
        Map<Integer, Integer> idsByPosition = new TreeMap<>();
        int[] members = new int[cluster.nodes().size()];
        for (int i = 0; i < members.length; i++) {
            members[i] = nodeId(cluster.nodes().get(i));
            idsByPosition.put(i, members[i]);
        }
        TotemConfig t = cluster.totem();
        int window = intValue("totem.window_size", t.windowSize());
        Map<Integer, Map<Integer, InetSocketAddress>> linkNodes = linkNodes(cluster, local, resolver);
        int netmtu;
        String netmtuReason;
        if (!t.netmtuChosenAtStart()) {
            netmtu = intValue("totem.netmtu", t.netmtu());
            netmtuReason = "totem.netmtu " + netmtu + " as configured";
        } else if (t.transport() == Transport.UDP) {
            netmtu = (int) TotemConfig.CONVENTIONAL_NETMTU;
            netmtuReason = "totem.netmtu not set: 1500 for transport udp (multicast may leave the host, whatever the "
                    + "node addresses are)";
        } else {
            List<InetAddress> addresses = linkNodes.values().stream()
                    .flatMap(m -> m.values().stream().map(InetSocketAddress::getAddress)).toList();
            PathMtu.Choice choice = pathMtu.choose(addresses, UdpConfig.DEFAULT_SOCKET_BUFFER_BYTES, window);
            netmtu = choice.netmtu();
            netmtuReason = "totem.netmtu " + (t.netmtu() == TotemConfig.NETMTU_AUTO ? "not set" : t.netmtu()
                    + " (knet's path MTU discovery)") + ", " + choice.reason();
        }
        org.ringmaster.totem.TotemConfig ring;
        try {
            ring = org.ringmaster.totem.TotemConfig.builder()
                    .nodeId(self)
                    .members(members)
                    .tokenMs(t.effectiveTokenMs())
                    .tokenRetransmitsBeforeLoss(intValue("totem.token_retransmits_before_loss_const",
                            t.tokenRetransmitsBeforeLossConst()))
                    .tokenRetransmitMs(t.tokenRetransmitMs())
                    .holdMs(t.holdMs())
                    .seqnoUnchangedConst(intValue("totem.seqno_unchanged_const", t.seqnoUnchangedConst()))
                    .missCountConst(intValue("totem.miss_count_const", t.missCountConst()))
                    .failRecvConst(intValue("totem.fail_recv_const", t.failRecvConst()))
                    .windowSize(window)
                    .maxMessages(intValue("totem.max_messages", t.maxMessages()))
                    .accelerated(t.accelerated())
                    // Already checked against max_messages when the file was read.
                    .acceleratedWindow((int) t.acceleratedWindow())
                    .netmtu(netmtu)
                    .receiveBufferSlots(org.ringmaster.totem.TotemConfig.receiveBufferSlotsFor(netmtu, window))
                    .build();
        } catch (IllegalArgumentException e) {
            throw new StartupException(e.getMessage());
        }
        MembershipConfig membership;
        try {
            membership = MembershipConfig.builder(ring)
                    .joinMs(t.joinMs())
                    .consensusMs(t.consensusMs())
                    .mergeMs(t.mergeMs())
                    .ringSeqStore(RingSeqStore.file(stateDir.resolve("ringseq." + self)))
                    .build();
        } catch (IllegalArgumentException e) {
            throw new StartupException(e.getMessage());
        }
        List<UdpConfig> links = udpConfigs(linkNodes, self, netmtu);
        Optional<MulticastConfig> multicast = Optional.empty();
        if (t.transport() == Transport.UDP) {
            multicast = Optional.of(multicast(t, resolver));
        }
        CryptoConfig crypto;
        try {
            crypto = CryptoConfig.parse(t.cryptoHash(), t.cryptoCipher());
        } catch (IllegalArgumentException e) {
            throw new StartupException(e.getMessage());
        }
        notes.addAll(crypto.warnings());
        Optional<Path> keyfile = crypto.secure() ? Optional.of(keyfile(t, exists)) : Optional.empty();
        Optional<org.ringmaster.quorum.QuorumConfig> quorum = quorum(cluster, notes);
        return new NodeSettings(cluster, local, self, ring, membership, links, multicast, crypto, keyfile, quorum,
                stateDir, notes, netmtuReason);
    }

    /** Derives with the system resolver and the real file system. */
    public static NodeSettings derive(ClusterConfig cluster, LocalNode local, Path stateDir) throws StartupException {
        return derive(cluster, local, stateDir, LocalNode.SYSTEM_RESOLVER, Files::exists);
    }

    private static int nodeId(NodeConfig node) throws StartupException {
        if (node.nodeid() < 1 || node.nodeid() > MAX_NODE_ID) {
            throw new StartupException("nodelist.node.nodeid: node " + node.label() + " has nodeid " + node.nodeid()
                    + "; ringmaster carries node ids 1.." + MAX_NODE_ID + " (set a smaller nodeid explicitly"
                    + (node.position() == null ? "" : ", " + node.position()) + ")");
        }
        return (int) node.nodeid();
    }

    private static int intValue(String key, long value) throws StartupException {
        if (value < 1 || value > Integer.MAX_VALUE) {
            throw new StartupException(key + " = " + value + ": must be within 1.." + Integer.MAX_VALUE);
        }
        return (int) value;
    }

    /** Per link used by the local node (ascending), every node's (address, port) on it. */
    private static Map<Integer, Map<Integer, InetSocketAddress>> linkNodes(ClusterConfig cluster, LocalNode local,
                                                                         LocalNode.Resolver resolver)
            throws StartupException {
        Transport transport = cluster.totem().transport();
        List<Integer> linkNumbers = local.node().addresses().keySet().stream()
                .filter(n -> n <= transport.maxLinkNumber()).toList();
        if (linkNumbers.isEmpty()) {
            throw new StartupException("nodelist.node.ring0_addr: the local node " + local.node().label()
                    + " has no address for transport " + transport.configName());
        }
        Map<Integer, Map<Integer, InetSocketAddress>> links = new TreeMap<>();
        for (int link : linkNumbers) {
            int port = cluster.totem().link(link).map(LinkConfig::mcastport).orElse(LinkConfig.DEFAULT_PORT);
            if (port == 0) {
                throw new StartupException("totem.interface.mcastport: link " + link + " has port 0");
            }
            Map<Integer, InetSocketAddress> nodes = new LinkedHashMap<>();
            for (NodeConfig n : cluster.nodes()) {
                String value = n.addresses().get(link);
                if (value == null) {
                    throw new StartupException("nodelist.node.ring" + link + "_addr: node " + n.label()
                            + " has no address for link " + link + ", which the local node uses");
                }
                InetAddress address;
                if (n.nodeid() == local.node().nodeid() && link == local.link()) {
                    address = local.address();
                } else {
                    try {
                        address = resolver.resolve(value)[0];
                    } catch (UnknownHostException | ArrayIndexOutOfBoundsException e) {
                        throw new StartupException("nodelist.node.ring" + link + "_addr: cannot resolve '" + value
                                + "' of node " + n.label());
                    }
                }
                int id = nodeId(n);
                if (nodes.putIfAbsent(id, new InetSocketAddress(address, port)) != null) {
                    throw new StartupException("link " + link + ": UdpConfig.nodes: node id " + id + " is listed twice");
                }
            }
            links.put(link, nodes);
        }
        return links;
    }

    private static List<UdpConfig> udpConfigs(Map<Integer, Map<Integer, InetSocketAddress>> linkNodes, int self,
                                              int netmtu) throws StartupException {
        List<UdpConfig> configs = new ArrayList<>();
        for (Map.Entry<Integer, Map<Integer, InetSocketAddress>> link : linkNodes.entrySet()) {
            try {
                configs.add(UdpConfig.builder().localNodeId(self).netmtu(netmtu).nodes(link.getValue()).build());
            } catch (IllegalArgumentException e) {
                throw new StartupException("link " + link.getKey() + ": " + e.getMessage());
            }
        }
        return configs;
    }

    private static MulticastConfig multicast(TotemConfig t, LocalNode.Resolver resolver) throws StartupException {
        LinkConfig link = t.link(0).orElseThrow(() -> new StartupException("totem.interface.mcastaddr: transport udp "
                + "needs an interface section with mcastaddr (ringmaster does not derive one from cluster_name)"));
        String group = link.mcastaddr().orElseThrow(() -> new StartupException("totem.interface.mcastaddr: transport "
                + "udp needs mcastaddr (ringmaster does not derive one from cluster_name)"));
        try {
            return MulticastConfig.of(new InetSocketAddress(resolver.resolve(group)[0], link.mcastport()))
                    .withTtl(link.ttl());
        } catch (UnknownHostException | IllegalArgumentException e) {
            throw new StartupException("totem.interface.mcastaddr " + group + ": " + e.getMessage());
        }
    }

    private static Path keyfile(TotemConfig t, Predicate<Path> exists) throws StartupException {
        if (!TotemConfig.DEFAULT_KEYFILE.equals(t.keyfile())) {
            Path configured = Path.of(t.keyfile());
            if (!exists.test(configured)) {
                throw new StartupException("totem.keyfile: authkey " + configured + " does not exist (crypto_hash "
                        + t.cryptoHash() + ", crypto_cipher " + t.cryptoCipher() + " need one; create it with "
                        + "ringmaster-keygen -k " + configured + " and copy it to every node)");
            }
            return configured;
        }
        Path corosync = Path.of(TotemConfig.DEFAULT_KEYFILE);
        for (Path candidate : List.of(AuthKey.DEFAULT_PATH, corosync)) {
            if (exists.test(candidate)) {
                return candidate;
            }
        }
        throw new StartupException("totem.keyfile: not set, and neither " + AuthKey.DEFAULT_PATH + " nor " + corosync
                + " exists (crypto_hash " + t.cryptoHash() + ", crypto_cipher " + t.cryptoCipher()
                + " need an authkey; create it with ringmaster-keygen and copy it to every node)");
    }

    private static Optional<org.ringmaster.quorum.QuorumConfig> quorum(ClusterConfig cluster, List<String> notes)
            throws StartupException {
        QuorumConfig q = cluster.quorum();
        if (!q.enabled()) {
            return Optional.empty();
        }
        org.ringmaster.quorum.QuorumConfig.Builder b = org.ringmaster.quorum.QuorumConfig.builder();
        try {
            for (NodeConfig n : cluster.nodes()) {
                b.node(nodeId(n), n.quorumVotes());
            }
            if (q.expectedVotesConfigured()) {
                b.expectedVotes(q.expectedVotes());
            }
            b.twoNode(q.twoNode()).waitForAll(q.waitForAll()).lastManStanding(q.lastManStanding())
                    .lastManStandingWindowMs(q.lastManStandingWindowMs()).autoTieBreaker(q.autoTieBreaker())
                    .allowDownscale(q.allowDownscale());
            b.tieBreaker(switch (q.autoTieBreakerNode().kind()) {
                case LOWEST -> TieBreaker.LOWEST;
                case HIGHEST -> TieBreaker.HIGHEST;
                case LIST -> TieBreaker.list(q.autoTieBreakerNode().nodeids().stream().map(Long::intValue).toList());
            });
            q.device().ifPresent(d -> {
                if (QuorumDeviceConfig.MODELS.contains(d.model())) {
                    // Corosync's default: one vote less than the nodes (the config reader insists on 1 vote each).
                    b.deviceVotes(d.votes().orElse(cluster.nodes().size() - 1));
                } else {
                    notes.add("quorum.device: model " + d.model() + " is not implemented; quorum is computed from "
                            + "the nodes' votes only");
                }
            });
            return Optional.of(b.build());
        } catch (IllegalArgumentException e) {
            throw new StartupException(e.getMessage());
        }
    }

    public ClusterConfig cluster() {
        return cluster;
    }

    public LocalNode local() {
        return local;
    }

    public int nodeId() {
        return nodeId;
    }

    /** The ring's settings. */
    public org.ringmaster.totem.TotemConfig totem() {
        return totem;
    }

    public MembershipConfig membership() {
        return membership;
    }

    /** One UDP configuration per link, in link number order. */
    public List<UdpConfig> links() {
        return links;
    }

    /** The multicast group, for transport udp. */
    public Optional<MulticastConfig> multicast() {
        return multicast;
    }

    public CryptoConfig crypto() {
        return crypto;
    }

    /** The authkey file, when datagrams are secured. */
    public Optional<Path> keyfile() {
        return keyfile;
    }

    /** votequorum, when {@code quorum.provider} is set. */
    public Optional<org.ringmaster.quorum.QuorumConfig> quorum() {
        return quorum;
    }

    public Path stateDir() {
        return stateDir;
    }

    /** The netmtu the ring and its links use (after "auto" was resolved). */
    public int netmtu() {
        return totem.netmtu();
    }

    /** Why {@link #netmtu()} has its value, one line for the log. */
    public String netmtuReason() {
        return netmtuReason;
    }

    /** Values that were adapted or not wired, for the log. */
    public List<String> notes() {
        return notes;
    }

    /** A node's name, or its id when it has none. */
    public String nameOf(int id) {
        return cluster.node(id).flatMap(NodeConfig::name).orElse(String.valueOf(id));
    }

    /** A node's link-0 address from the node list, as written. */
    public String addressOf(int id) {
        return cluster.node(id).map(n -> n.addresses().isEmpty() ? "-" : n.addresses().values().iterator().next())
                .orElse("-");
    }
}
