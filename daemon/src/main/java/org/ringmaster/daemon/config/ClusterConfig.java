package org.ringmaster.daemon.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A whole validated configuration file: Corosync's sections ({@code totem}, {@code nodelist},
 * {@code quorum}, {@code logging}, {@code system}) plus Ringmaster's ({@code crm}, {@code metrics},
 * {@code resources}, {@code fencing}). Immutable. Obtain one with {@link #load(Path)} or
 * {@link #parse(String, String)}; both throw {@link ConfigException} listing every error with its
 * position, and otherwise return the config with its {@link #warnings()}.
 *
 * @param totem     the ring protocol
 * @param nodes     the node list in file order (node ids resolved)
 * @param quorum    votequorum settings
 * @param logging   where logs go
 * @param system    state directory
 * @param crm       resource manager plugin (disabled when the section is absent)
 * @param metrics   Prometheus endpoint (disabled unless a port is set)
 * @param resources Ringmaster's {@code resources} section as written, for the CRM to read
 * @param fencing   Ringmaster's {@code fencing} section as written, for the fencer to read
 * @param warnings  everything accepted but worth knowing: options not implemented, unknown keys,
 *                  corrected values, risky combinations
 */
public record ClusterConfig(TotemConfig totem, List<NodeConfig> nodes, QuorumConfig quorum, LoggingConfig logging,
                            SystemConfig system, CrmConfig crm, MetricsConfig metrics,
                            Optional<ConfigSection> resources, Optional<ConfigSection> fencing,
                            List<Diagnostic> warnings) {

    public ClusterConfig {
        nodes = List.copyOf(nodes);
        warnings = List.copyOf(warnings);
    }

    /** Reads, parses and validates a file. */
    public static ClusterConfig load(Path file) throws ConfigException {
        return ClusterConfigReader.read(CorosyncConfParser.parse(file));
    }

    /** Parses and validates text; {@code fileName} is used in positions only. */
    public static ClusterConfig parse(String fileName, String text) throws ConfigException {
        return ClusterConfigReader.read(CorosyncConfParser.parse(fileName, text));
    }

    /** The node with this id. */
    public Optional<NodeConfig> node(long nodeid) {
        return nodes.stream().filter(n -> n.nodeid() == nodeid).findFirst();
    }

    /** The node with this name. */
    public Optional<NodeConfig> node(String name) {
        return nodes.stream().filter(n -> n.name().filter(name::equals).isPresent()).findFirst();
    }
}
