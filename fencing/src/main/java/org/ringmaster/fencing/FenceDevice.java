package org.ringmaster.fencing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.ringmaster.fencing.agent.AgentMetadata;
import org.ringmaster.fencing.agent.AgentParameter;
import org.ringmaster.fencing.agent.AgentParams;

/**
 * One configured fence device ({@code fencing { device { ... } }}): which agent drives it, with which parameters,
 * and which nodes it can fence. Immutable; build with {@link #builder(String, String)}.
 *
 * @param name         unique device name
 * @param agent        fence agent name ({@code fence_ipmilan}) or absolute path, or {@link #POISON_PILL}
 * @param params       agent parameters (secrets included; {@link AgentParams#toString()} masks them)
 * @param hostCheck    how to tell whether the device can fence a node; default {@link HostCheck#STATIC_LIST} when
 *                     a host list or map is given, else {@link HostCheck#DYNAMIC_LIST}
 * @param hostList     nodes the device can fence, plug = node name (pcmk_host_list)
 * @param hostMap      node → plug (pcmk_host_map); those nodes can be fenced too
 * @param hostArgument parameter that carries the plug; default {@code plug}; {@code none} sends no plug
 * @param timeout      per agent call; default 60 s (pcmk_off_timeout)
 * @param retries      extra agent attempts after a failure; default 2 (pcmk_off_retries)
 * @param delay        wait before using this device in an operation (pcmk_delay_base); default 0. In a two-node
 *                     cluster, giving the device that fences the preferred survivor a delay breaks a fence race:
 *                     both nodes shoot, the undelayed shot lands first.
 */
public record FenceDevice(String name, String agent, AgentParams params, HostCheck hostCheck, List<String> hostList,
                          Map<String, String> hostMap, String hostArgument, Duration timeout, int retries,
                          Duration delay) {

    /** Agent name of the built-in poison-pill (shared disk) device. */
    public static final String POISON_PILL = "poison-pill";

    /** Agent name of manual fencing: waits for an admin's confirmation (see {@link ManualDeviceRunner}). */
    public static final String MANUAL = "manual";

    /**
     * The parameters a built-in device type takes, described as agent metadata so its configuration is checked
     * like an agent's (unknown or missing keys are errors).
     *
     * <ul>
     *   <li>{@link #POISON_PILL}: {@code disk} (required; the shared file or block device, initialised with
     *       {@code ringctl pill create}), {@code watchdog} ({@code none}, the default, or the path of a Linux
     *       watchdog device fed while this node is healthy), {@code read_interval} (how often a node reads its
     *       own slot; default 1 s);</li>
     *   <li>{@link #MANUAL}: none.</li>
     * </ul>
     *
     * @return empty for agents that are programs
     */
    public static Optional<AgentMetadata> builtInMetadata(String agent) {
        return switch (agent) {
            case POISON_PILL -> Optional.of(new AgentMetadata(agent, agent, "shared-disk poison pill",
                java.util.Map.of(
                    "disk", new AgentParameter("disk", true, false, "", "string", null, "shared disk"),
                    "watchdog", new AgentParameter("watchdog", false, false, "", "string", "none", "watchdog"),
                    "read_interval", new AgentParameter("read_interval", false, false, "", "string", "1s",
                        "slot read interval")),
                List.of("off", "reboot", "on", "monitor")));
            case MANUAL -> Optional.of(new AgentMetadata(agent, agent, "manual confirmation", java.util.Map.of(),
                List.of("off", "reboot")));
            default -> Optional.empty();
        };
    }

    /** True for {@link #POISON_PILL} and {@link #MANUAL}. */
    public boolean isBuiltIn() {
        return agent.equals(POISON_PILL) || agent.equals(MANUAL);
    }

    /** How the fencer learns which nodes a device can fence. */
    public enum HostCheck {
        /** Only the nodes in the host list / host map. */
        STATIC_LIST,
        /** Ask the agent ({@code list}) at fencing time; the node must be a port or alias. */
        DYNAMIC_LIST,
        /** Any node (e.g. a device whose agent takes the node name as plug and knows no list). */
        NONE
    }

    public FenceDevice {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(hostCheck, "hostCheck");
        Objects.requireNonNull(hostArgument, "hostArgument");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(delay, "delay");
        if (name.isBlank() || !name.matches("[A-Za-z0-9_.:-]+")) {
            throw new IllegalArgumentException("fence device name '" + name + "' must be [A-Za-z0-9_.:-]+");
        }
        if (agent.isBlank()) {
            throw new IllegalArgumentException("fence device '" + name + "': agent is empty");
        }
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("fence device '" + name + "': timeout must be positive, was " + timeout);
        }
        if (retries < 0) {
            throw new IllegalArgumentException("fence device '" + name + "': retries must be >= 0, was " + retries);
        }
        if (delay.isNegative()) {
            throw new IllegalArgumentException("fence device '" + name + "': delay must be >= 0, was " + delay);
        }
        if (hostCheck == HostCheck.STATIC_LIST && hostList.isEmpty() && hostMap.isEmpty()) {
            throw new IllegalArgumentException("fence device '" + name
                + "': host check static-list needs a host list or host map");
        }
        hostList = List.copyOf(hostList);
        hostMap = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(hostMap));
    }

    /** True when this device may be able to fence {@code node} (for dynamic lists: decided when it runs). */
    public boolean mayFence(String node) {
        return hostCheck != HostCheck.STATIC_LIST || hostMap.containsKey(node) || hostList.contains(node);
    }

    /** The plug to send for {@code node}: its host-map entry, else the node name; empty if not fenceable. */
    public Optional<String> plugFor(String node) {
        if (hostMap.containsKey(node)) {
            return Optional.of(hostMap.get(node));
        }
        return mayFence(node) ? Optional.of(node) : Optional.empty();
    }

    /** Params as sent for an action on {@code node}: device params plus the plug (if a host argument is used). */
    public AgentParams paramsFor(String plug) {
        return hostArgument.equals("none") || plug == null ? params : params.with(hostArgument, plug);
    }

    /** {@code ipmi-node2 (fence_ipmilan {ip=..., password=******})}: secrets masked. */
    @Override
    public String toString() {
        return name + " (" + agent + " " + params + ")";
    }

    public static Builder builder(String name, String agent) {
        return new Builder(name, agent);
    }

    /** Mutable builder; {@link #build()} validates. */
    public static final class Builder {
        private final String name;
        private final String agent;
        private AgentParams params = AgentParams.empty();
        private HostCheck hostCheck;
        private final List<String> hostList = new ArrayList<>();
        private final Map<String, String> hostMap = new LinkedHashMap<>();
        private String hostArgument = "plug";
        private Duration timeout = Duration.ofSeconds(60);
        private int retries = 2;
        private Duration delay = Duration.ZERO;

        private Builder(String name, String agent) {
            this.name = name;
            this.agent = agent;
        }

        public Builder param(String key, String value) {
            params = params.with(key, value);
            return this;
        }

        public Builder params(Map<String, String> values) {
            values.forEach(this::param);
            return this;
        }

        public Builder hosts(String... nodes) {
            hostList.addAll(List.of(nodes));
            return this;
        }

        public Builder map(String node, String plug) {
            hostMap.put(node, plug);
            return this;
        }

        /**
         * Parses a pcmk_host_map string {@code "node1:1;node2:2"} (also {@code ,} or space separated).
         *
         * @throws IllegalArgumentException naming the device and the bad entry
         */
        public Builder hostMap(String spec) {
            for (String entry : spec.split("[;, ]+")) {
                if (entry.isBlank()) {
                    continue;
                }
                int at = entry.indexOf(entry.contains("=") ? '=' : ':');
                if (at <= 0 || at == entry.length() - 1) {
                    throw new IllegalArgumentException("fence device '" + name + "': host map entry '" + entry
                        + "' is not node:plug");
                }
                hostMap.put(entry.substring(0, at), entry.substring(at + 1));
            }
            return this;
        }

        public Builder hostCheck(HostCheck check) {
            this.hostCheck = check;
            return this;
        }

        public Builder hostArgument(String arg) {
            this.hostArgument = arg;
            return this;
        }

        public Builder timeout(Duration t) {
            this.timeout = t;
            return this;
        }

        public Builder retries(int r) {
            this.retries = r;
            return this;
        }

        public Builder delay(Duration d) {
            this.delay = d;
            return this;
        }

        public FenceDevice build() {
            HostCheck check = hostCheck != null ? hostCheck
                : hostList.isEmpty() && hostMap.isEmpty() ? HostCheck.DYNAMIC_LIST : HostCheck.STATIC_LIST;
            return new FenceDevice(name, agent, params, check, hostList, hostMap, hostArgument, timeout, retries,
                delay);
        }
    }
}
