package org.ringmaster.fencing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ringmaster.fencing.agent.AgentMetadata;
import org.ringmaster.fencing.agent.AgentParams;

/**
 * Builds a {@link FencingConfig} from the {@code fencing { ... }} section of the cluster configuration, given as a
 * neutral {@link Section} tree (the daemon adapts its parser's sections to it). Errors name the place and key.
 *
 * <pre>
 * fencing {
 *     fence_without_quorum: no          # default no
 *     operation_timeout: 120s           # default 120s
 *     history_size: 500                 # default 500
 *     alert { path: /usr/local/bin/fence-alert  timeout: 30s  recipient: ops@example.com }
 *     device {
 *         name: ipmi-node2
 *         agent: fence_ipmilan          # or poison-pill, manual, an absolute path
 *         host_list: node2              # or pcmk_host_list; space/comma separated
 *         host_map: node1:1;node2:2     # or pcmk_host_map
 *         host_check: static-list       # static-list | dynamic-list | none (pcmk_host_check)
 *         host_argument: plug           # pcmk_host_argument; none = send no plug
 *         timeout: 60s   retries: 2   delay: 0s
 *         ip: 10.0.0.5  username: admin  password: secret   # anything else goes to the agent
 *     }
 *     level { node: node2  index: 1  devices: ipmi-node2 }
 *     level { node: node2  index: 2  devices: pdu-a,pdu-b }
 * }
 * </pre>
 * Durations: a number (seconds) or with a unit {@code ms}, {@code s}, {@code m}, {@code h}.
 */
public final class FencingConfigReader {

    /** One {@code key: value} line. @param where place for messages, e.g. {@code corosync.conf:12:9} */
    public record Entry(String key, String value, String where) {
    }

    /** A {@code name { ... }} block, in file order. */
    public interface Section {
        String name();

        /** Place of the section's name, for messages. */
        String where();

        List<Entry> entries();

        List<Section> sections();
    }

    private static final Set<String> DEVICE_KEYS = Set.of("name", "agent", "host_list", "pcmk_host_list", "host_map",
        "pcmk_host_map", "host_check", "pcmk_host_check", "host_argument", "pcmk_host_argument", "timeout", "retries",
        "delay", "pcmk_delay_base");
    private static final Pattern PLACED = Pattern.compile("\\S+:\\d+(:\\d+)?: ");
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)?");

    private FencingConfigReader() {
    }

    /**
     * Reads the section.
     *
     * @throws IllegalArgumentException listing every problem, each with its place and key
     */
    public static FencingConfig read(Section fencing) {
        List<String> problems = new ArrayList<>();
        FencingConfig.Builder b = FencingConfig.builder();
        Path alert = null;
        Duration alertTimeout = Duration.ofSeconds(30);
        for (Entry e : fencing.entries()) {
            try {
                switch (e.key()) {
                    case "fence_without_quorum" -> b.fenceWithoutQuorum(bool(e));
                    case "operation_timeout", "stonith_timeout" -> b.operationTimeout(duration(e));
                    case "history_size" -> b.historySize(integer(e));
                    default -> problems.add(e.where() + ": unknown key '" + e.key() + "' in fencing");
                }
            } catch (IllegalArgumentException ex) {
                problems.add(ex.getMessage());
            }
        }
        for (Section s : fencing.sections()) {
            try {
                switch (s.name()) {
                    case "device" -> b.device(device(s));
                    case "level" -> level(b, s);
                    case "alert" -> {
                        for (Entry e : s.entries()) {
                            switch (e.key()) {
                                case "path" -> alert = Path.of(e.value());
                                case "timeout" -> alertTimeout = duration(e);
                                case "recipient" -> { } // read by the daemon when it builds the AlertProgram
                                default -> problems.add(e.where() + ": unknown key '" + e.key() + "' in alert");
                            }
                        }
                        if (alert == null) {
                            problems.add(s.where() + ": alert needs a 'path'");
                        }
                    }
                    default -> problems.add(s.where() + ": unknown section '" + s.name() + "' in fencing");
                }
            } catch (IllegalArgumentException ex) {
                // Messages that already name a place (a key's) keep it; others get the section's.
                problems.add(PLACED.matcher(ex.getMessage()).lookingAt() ? ex.getMessage()
                    : s.where() + ": " + ex.getMessage());
            }
        }
        if (alert != null) {
            b.alertProgram(alert, alertTimeout);
        }
        if (problems.isEmpty()) {
            try {
                return b.build();
            } catch (IllegalArgumentException ex) {
                problems.add(fencing.where() + ": " + ex.getMessage());
            }
        }
        throw new IllegalArgumentException(String.join("\n", problems));
    }

    /**
     * Checks every device of the section against its agent's metadata (built-in types against
     * {@link FenceDevice#builtInMetadata}): unknown parameters, missing required ones, values of the wrong type,
     * an agent that cannot describe itself. Call after {@link #read} succeeded.
     *
     * @param metadata agent name → its metadata; may throw (agent missing, metadata broken), which is reported
     *                 at the device's {@code agent} key. Called once per agent.
     * @return one message per problem, starting with the place of the offending key (for a missing parameter:
     *         the place of the device), naming the device and key; never a secret value
     */
    public static List<String> checkAgainstMetadata(Section fencing, Function<String, AgentMetadata> metadata) {
        List<String> problems = new ArrayList<>();
        Map<String, Object> cache = new HashMap<>();
        for (Section s : fencing.sections()) {
            if (!s.name().equals("device")) {
                continue;
            }
            Entry agentEntry = entry(s, "agent");
            Entry nameEntry = entry(s, "name");
            if (agentEntry == null || nameEntry == null) {
                continue; // read() reported it
            }
            String agent = agentEntry.value().trim();
            String device = nameEntry.value().trim();
            Object m = FenceDevice.builtInMetadata(agent).<Object>map(x -> x).orElseGet(() ->
                cache.computeIfAbsent(agent, a -> {
                    try {
                        return metadata.apply(a);
                    } catch (RuntimeException e) {
                        return e;
                    }
                }));
            Map<String, Entry> params = new LinkedHashMap<>();
            AgentParams values = AgentParams.empty();
            for (Entry e : s.entries()) {
                if (!DEVICE_KEYS.contains(e.key())) {
                    params.put(AgentParams.normalise(e.key()), e);
                    try {
                        values = values.with(e.key(), e.value());
                    } catch (IllegalArgumentException ex) {
                        problems.add(e.where() + ": fence device '" + device + "': " + ex.getMessage());
                    }
                }
            }
            if (m instanceof RuntimeException e) {
                problems.add(agentEntry.where() + ": fence device '" + device + "': cannot read the metadata of "
                    + "agent " + agent + ": " + values.redact(String.valueOf(e.getMessage())));
                continue;
            }
            AgentMetadata md = (AgentMetadata) m;
            Entry hostArg = Optional.ofNullable(entry(s, "host_argument")).orElse(entry(s, "pcmk_host_argument"));
            String hostArgument = hostArg == null ? "plug" : AgentParams.normalise(hostArg.value());
            if (!hostArgument.equals("none") && md.parameters().containsKey(hostArgument)) {
                values = values.without(hostArgument);
            } else if (!hostArgument.equals("none") && !AgentMetadata.SET_BY_FENCER.contains(hostArgument)) {
                problems.add(hostArg.where() + ": fence device '" + device + "': host argument '" + hostArgument
                    + "' is not a parameter of agent " + agent);
            }
            for (AgentMetadata.Problem p : md.problems(values)) {
                Entry at = params.get(p.parameter());
                problems.add((at != null ? at.where() : s.where()) + ": fence device '" + device + "': "
                    + p.message());
            }
        }
        return problems;
    }

    private static FenceDevice device(Section s) {
        String name = required(s, "name");
        String agent = required(s, "agent");
        FenceDevice.Builder d = FenceDevice.builder(name, agent);
        for (Entry e : s.entries()) {
            String k = e.key();
            if (!DEVICE_KEYS.contains(k)) {
                d.param(k, e.value());
                continue;
            }
            switch (k) {
                case "host_list", "pcmk_host_list" -> d.hosts(e.value().trim().split("[\\s,;]+"));
                case "host_map", "pcmk_host_map" -> d.hostMap(e.value());
                case "host_check", "pcmk_host_check" -> d.hostCheck(hostCheck(e));
                case "host_argument", "pcmk_host_argument" -> d.hostArgument(e.value().trim());
                case "timeout" -> d.timeout(duration(e));
                case "retries" -> d.retries(integer(e));
                case "delay", "pcmk_delay_base" -> d.delay(duration(e));
                default -> { } // name, agent: read above
            }
        }
        return d.build();
    }

    private static void level(FencingConfig.Builder b, Section s) {
        String node = required(s, "node");
        Entry index = entry(s, "index");
        int i = index == null ? 1 : integer(index);
        String devices = required(s, "devices");
        for (Entry e : s.entries()) {
            if (!Set.of("node", "index", "devices").contains(e.key())) {
                throw new IllegalArgumentException(e.where() + ": unknown key '" + e.key() + "' in level");
            }
        }
        b.level(node, i, devices.trim().split("[\\s,]+"));
    }

    private static FenceDevice.HostCheck hostCheck(Entry e) {
        return switch (e.value().trim().toLowerCase(Locale.ROOT)) {
            case "static-list" -> FenceDevice.HostCheck.STATIC_LIST;
            case "dynamic-list" -> FenceDevice.HostCheck.DYNAMIC_LIST;
            case "none" -> FenceDevice.HostCheck.NONE;
            default -> throw new IllegalArgumentException(e.where() + ": " + e.key() + " '" + e.value()
                + "' is not static-list, dynamic-list or none");
        };
    }

    private static String required(Section s, String key) {
        Entry e = entry(s, key);
        if (e == null || e.value().isBlank()) {
            throw new IllegalArgumentException(s.where() + ": " + s.name() + " needs '" + key + "'");
        }
        return e.value().trim();
    }

    private static Entry entry(Section s, String key) {
        Entry found = null;
        for (Entry e : s.entries()) {
            if (e.key().equals(key)) {
                found = e; // last one wins, as in Corosync
            }
        }
        return found;
    }

    /**
     * A duration value: a number (seconds) or with a unit {@code ms}, {@code s}, {@code m}, {@code h}.
     *
     * @throws IllegalArgumentException naming the entry's place and key
     */
    public static Duration duration(Entry e) {
        Matcher m = DURATION.matcher(e.value().trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(e.where() + ": " + e.key() + " '" + e.value()
                + "' is not a duration (e.g. 60, 60s, 500ms, 2m)");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
    }

    private static int integer(Entry e) {
        try {
            return Integer.parseInt(e.value().trim());
        } catch (NumberFormatException ex) {
            throw new IllegalArgumentException(e.where() + ": " + e.key() + " '" + e.value() + "' is not an integer");
        }
    }

    private static boolean bool(Entry e) {
        return switch (e.value().trim().toLowerCase(Locale.ROOT)) {
            case "1", "yes", "on", "true" -> true;
            case "0", "no", "off", "false" -> false;
            default -> throw new IllegalArgumentException(e.where() + ": " + e.key() + " '" + e.value()
                + "' is not a boolean (yes/no)");
        };
    }
}
