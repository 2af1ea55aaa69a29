package org.ringmaster.fencing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.ringmaster.fencing.agent.AgentMetadata;
import org.ringmaster.fencing.agent.AgentParams;

/**
 * Configuration of a node's fencer. Immutable, validated once; every node of a cluster must have the same
 * devices and topology (decisions are made identically on every node from the ordered channel).
 *
 * @param devices            by name, in configuration order (that order is the implicit topology)
 * @param topology           node → levels, sorted by index; nodes without an entry get one level per device that
 *                           may fence them, in configuration order
 * @param operationTimeout   whole-operation limit (stonith-timeout), all levels included; default 120 s
 * @param fenceWithoutQuorum accept requests from a partition without quorum; default false
 * @param historySize        results kept; default 500
 * @param alertProgram       program run for every result with the event in its environment; empty = none
 * @param alertTimeout       kill the alert program after this; default 30 s
 */
public record FencingConfig(Map<String, FenceDevice> devices, Map<String, List<FencingLevel>> topology,
                            Duration operationTimeout, boolean fenceWithoutQuorum, int historySize,
                            Optional<Path> alertProgram, Duration alertTimeout) {

    public FencingConfig {
        Objects.requireNonNull(devices, "devices");
        Objects.requireNonNull(topology, "topology");
        Objects.requireNonNull(operationTimeout, "operationTimeout");
        Objects.requireNonNull(alertProgram, "alertProgram");
        Objects.requireNonNull(alertTimeout, "alertTimeout");
        if (operationTimeout.isZero() || operationTimeout.isNegative()) {
            throw new IllegalArgumentException("fencing: operationTimeout must be positive, was " + operationTimeout);
        }
        if (alertTimeout.isZero() || alertTimeout.isNegative()) {
            throw new IllegalArgumentException("fencing: alertTimeout must be positive, was " + alertTimeout);
        }
        if (historySize < 1) {
            throw new IllegalArgumentException("fencing: historySize must be >= 1, was " + historySize);
        }
        Map<String, List<FencingLevel>> topo = new LinkedHashMap<>();
        for (Map.Entry<String, List<FencingLevel>> e : topology.entrySet()) {
            List<FencingLevel> levels = new ArrayList<>(e.getValue());
            levels.sort(Comparator.comparingInt(FencingLevel::index));
            for (int i = 0; i < levels.size(); i++) {
                FencingLevel l = levels.get(i);
                if (i > 0 && levels.get(i - 1).index() == l.index()) {
                    throw new IllegalArgumentException("fencing topology for node " + e.getKey() + ": level "
                        + l.index() + " defined twice");
                }
                for (String d : l.devices()) {
                    if (!devices.containsKey(d)) {
                        throw new IllegalArgumentException("fencing topology for node " + e.getKey() + " level "
                            + l.index() + ": unknown device '" + d + "'");
                    }
                }
            }
            topo.put(e.getKey(), List.copyOf(levels));
        }
        devices.forEach((k, v) -> {
            if (!k.equals(v.name())) {
                throw new IllegalArgumentException("fencing: device registered as '" + k + "' is named '"
                    + v.name() + "'");
            }
        });
        devices = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(devices));
        topology = java.util.Collections.unmodifiableMap(topo);
    }

    /** The levels tried for {@code target}, in order (see {@link #topology()}); empty if nothing can fence it. */
    public List<FencingLevel> levelsFor(String target) {
        List<FencingLevel> configured = topology.get(target);
        if (configured != null) {
            return configured;
        }
        List<FencingLevel> implicit = new ArrayList<>();
        for (FenceDevice d : devices.values()) {
            if (d.mayFence(target)) {
                implicit.add(FencingLevel.of(implicit.size() + 1, d.name()));
            }
        }
        return implicit;
    }

    /**
     * Checks every agent-driven device against its agent's metadata (built-in devices are skipped).
     *
     * @param metadata agent name → its metadata (e.g. {@code FenceAgentExecutor::metadata}, cached); may throw to
     *                 report an agent that cannot be found or described
     * @return one message per problem, naming the device (unknown/missing parameter, bad value, no metadata)
     */
    public List<String> validateAgainst(java.util.function.Function<String, AgentMetadata> metadata) {
        List<String> problems = new ArrayList<>();
        for (FenceDevice d : devices.values()) {
            if (d.agent().equals(FenceDevice.POISON_PILL) || d.agent().equals(FenceDevice.MANUAL)) {
                continue;
            }
            AgentMetadata m;
            try {
                m = metadata.apply(d.agent());
            } catch (RuntimeException e) {
                problems.add("fence device '" + d.name() + "': cannot read metadata of agent " + d.agent() + ": "
                    + d.params().redact(String.valueOf(e.getMessage())));
                continue;
            }
            AgentParams params = d.params();
            if (!d.hostArgument().equals("none") && m.parameters().containsKey(d.hostArgument())) {
                params = params.without(d.hostArgument());
            } else if (!d.hostArgument().equals("none") && !AgentMetadata.SET_BY_FENCER.contains(d.hostArgument())) {
                problems.add("fence device '" + d.name() + "': host argument '" + d.hostArgument()
                    + "' is not a parameter of agent " + d.agent());
            }
            problems.addAll(m.validate(d.name(), params));
        }
        return problems;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Mutable builder with the documented defaults; {@link #build()} validates. */
    public static final class Builder {
        private final Map<String, FenceDevice> devices = new LinkedHashMap<>();
        private final Map<String, List<FencingLevel>> topology = new LinkedHashMap<>();
        private Duration operationTimeout = Duration.ofSeconds(120);
        private boolean fenceWithoutQuorum;
        private int historySize = 500;
        private Path alertProgram;
        private Duration alertTimeout = Duration.ofSeconds(30);

        /** @throws IllegalArgumentException when a device of that name already exists */
        public Builder device(FenceDevice d) {
            if (devices.putIfAbsent(d.name(), d) != null) {
                throw new IllegalArgumentException("fencing: device '" + d.name() + "' defined twice");
            }
            return this;
        }

        public Builder level(String node, int index, String... devices) {
            topology.computeIfAbsent(node, n -> new ArrayList<>()).add(FencingLevel.of(index, devices));
            return this;
        }

        public Builder operationTimeout(Duration d) {
            this.operationTimeout = d;
            return this;
        }

        public Builder fenceWithoutQuorum(boolean allowed) {
            this.fenceWithoutQuorum = allowed;
            return this;
        }

        public Builder historySize(int n) {
            this.historySize = n;
            return this;
        }

        public Builder alertProgram(Path program, Duration timeout) {
            this.alertProgram = program;
            this.alertTimeout = timeout;
            return this;
        }

        public FencingConfig build() {
            return new FencingConfig(devices, topology, operationTimeout, fenceWithoutQuorum, historySize,
                Optional.ofNullable(alertProgram), alertTimeout);
        }
    }
}
