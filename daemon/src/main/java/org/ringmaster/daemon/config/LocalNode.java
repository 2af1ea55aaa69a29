package org.ringmaster.daemon.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Which node of the node list this process is, found as Corosync does by matching the nodes'
 * {@code ringN_addr} against the host's interface addresses. Where several nodes match (several
 * nodes on one host on 127.0.0.1, 127.0.0.2, 127.0.0.3) the caller names one with {@code --node}.
 *
 * @param node    the chosen node
 * @param address its address that is on this host
 * @param link    the link number of that address
 */
public record LocalNode(NodeConfig node, InetAddress address, int link) {

    /** Resolves a {@code ringN_addr} value to addresses; IP literals must not go to DNS. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String hostOrLiteral) throws UnknownHostException;
    }

    /** Literals are parsed, names go to the system resolver. */
    public static final Resolver SYSTEM_RESOLVER = s -> {
        Optional<InetAddress> literal = Addresses.literal(s);
        return literal.isPresent() ? new InetAddress[] {literal.get()} : InetAddress.getAllByName(s);
    };

    /**
     * Finds the local node.
     *
     * @param config    the validated configuration
     * @param override  {@code --node}: a node name or node id, or empty to decide by addresses
     * @param host      this host's addresses ({@link HostAddress#ofThisHost()})
     * @param resolver  how to turn ringN_addr values into addresses
     */
    public static LocalNode find(ClusterConfig config, Optional<String> override, List<HostAddress> host,
                                 Resolver resolver) throws LocalNodeException {
        if (config.nodes().isEmpty()) {
            throw new LocalNodeException("the configuration has no nodelist, so the local node cannot be found");
        }
        Map<NodeConfig, LocalNode> matches = new LinkedHashMap<>();
        List<String> unresolved = new ArrayList<>();
        for (NodeConfig n : config.nodes()) {
            for (Map.Entry<Integer, String> a : n.addresses().entrySet()) {
                if (a.getKey() > config.totem().transport().maxLinkNumber()) {
                    continue;
                }
                InetAddress[] resolved;
                try {
                    resolved = resolver.resolve(a.getValue());
                } catch (UnknownHostException e) {
                    unresolved.add(a.getValue());
                    continue;
                }
                for (InetAddress addr : resolved) {
                    if (!matches.containsKey(n) && host.stream().anyMatch(h -> h.covers(addr))) {
                        matches.put(n, new LocalNode(n, addr, a.getKey()));
                    }
                }
            }
        }
        String unresolvedNote = unresolved.isEmpty() ? ""
                : " (could not resolve: " + String.join(", ", unresolved) + ")";
        if (override.isPresent()) {
            NodeConfig chosen = byNameOrId(config, override.get());
            LocalNode local = matches.get(chosen);
            if (local == null) {
                throw new LocalNodeException("--node " + override.get() + ": node " + chosen.label()
                        + " has no address on this host (its addresses: " + chosen.addresses().values()
                        + "; this host: " + host + ")" + unresolvedNote);
            }
            return local;
        }
        if (matches.size() == 1) {
            return matches.values().iterator().next();
        }
        if (matches.isEmpty()) {
            throw new LocalNodeException("no node of the nodelist has an address on this host (nodes: "
                    + describe(config.nodes()) + "; this host: " + host + ")" + unresolvedNote
                    + "; fix the nodelist or pick a node with --node NAME|ID");
        }
        throw new LocalNodeException("several nodes have an address on this host: "
                + matches.values().stream().map(l -> l.node().label() + " at " + l.address().getHostAddress())
                .collect(Collectors.joining(", "))
                + "; choose one with --node NAME|ID");
    }

    private static NodeConfig byNameOrId(ClusterConfig config, String nameOrId) throws LocalNodeException {
        Optional<NodeConfig> byName = config.node(nameOrId);
        if (byName.isPresent()) {
            return byName.get();
        }
        if (nameOrId.matches("[0-9]{1,10}")) {
            Optional<NodeConfig> byId = config.node(Long.parseLong(nameOrId));
            if (byId.isPresent()) {
                return byId.get();
            }
        }
        throw new LocalNodeException("--node " + nameOrId + ": no node with that name or nodeid in the nodelist "
                + "(nodes: " + describe(config.nodes()) + ")");
    }

    private static String describe(List<NodeConfig> nodes) {
        return nodes.stream().map(n -> n.label() + " " + n.addresses().values()).collect(Collectors.joining(", "));
    }
}
