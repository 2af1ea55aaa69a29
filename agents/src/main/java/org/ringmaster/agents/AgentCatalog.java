package org.ringmaster.agents;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.ringmaster.agents.builtin.DummyAgent;
import org.ringmaster.agents.builtin.ProcessAgent;
import org.ringmaster.agents.builtin.VipAgent;
import org.ringmaster.agents.ocf.OcfAgent;
import org.ringmaster.agents.process.ProcessRunner;
import org.ringmaster.agents.script.HeartbeatAgent;
import org.ringmaster.agents.script.LsbAgent;
import org.ringmaster.crm.api.resource.OcfExitCode;
import org.ringmaster.crm.api.resource.OperationStatus;
import org.ringmaster.crm.api.resource.ResourceAgentId;

/**
 * Finds agents by {@code class:provider:type}: {@code ocf:PROVIDER:TYPE}, {@code lsb:NAME}, {@code heartbeat:NAME},
 * {@code builtin:process}, {@code builtin:vip}, {@code builtin:dummy}. Agents are created once per id and cached
 * (OCF meta-data is read once). Thread-safe.
 */
public final class AgentCatalog implements AgentSource {
    private final AgentsConfig config;
    private final ProcessRunner runner;
    private final Map<ResourceAgentId, ResourceAgent> agents = new ConcurrentHashMap<>();
    private final Map<String, ResourceAgent> builtins;

    public AgentCatalog(AgentsConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.runner = new ProcessRunner(config.process());
        this.builtins = Map.of(
            "dummy", new DummyAgent(config.stateDirectory()),
            "process", new ProcessAgent(config.stateDirectory(), config.process()),
            "vip", new VipAgent(runner));
    }

    public AgentsConfig config() {
        return config;
    }

    /**
     * The agent for an id. Does not check that a script exists (operations on a missing one fail with
     * {@link OperationStatus#NOT_INSTALLED}); only the shape of the id is checked here.
     *
     * @throws AgentException for an unknown class or built-in, or a malformed id, naming it
     */
    @Override
    public ResourceAgent resolve(ResourceAgentId id) throws AgentException {
        ResourceAgent known = agents.get(id);
        if (known != null) {
            return known;
        }
        ResourceAgent created = switch (id.agentClass()) {
            case "ocf" -> {
                requireProvider(id, true);
                yield new OcfAgent(id, config, runner);
            }
            case "lsb" -> {
                requireProvider(id, false);
                yield new LsbAgent(id, config.lsbDirectory(), runner);
            }
            case "heartbeat" -> {
                requireProvider(id, false);
                yield new HeartbeatAgent(id, config.heartbeatDirectories(), runner);
            }
            case "builtin" -> {
                requireProvider(id, false);
                ResourceAgent b = builtins.get(id.type());
                if (b == null) {
                    throw new AgentException(OperationStatus.NOT_INSTALLED, OcfExitCode.ERR_INSTALLED.code(),
                        "unknown built-in agent " + id + " (known: " + new TreeSet<>(builtins.keySet()) + ")");
                }
                yield b;
            }
            default -> throw new AgentException(OperationStatus.NOT_INSTALLED, OcfExitCode.ERR_INSTALLED.code(),
                "unknown agent class '" + id.agentClass() + "' in " + id + " (known: ocf, lsb, heartbeat, builtin)");
        };
        ResourceAgent raced = agents.putIfAbsent(id, created);
        return raced != null ? raced : created;
    }

    /** Every agent found on disk plus the built-ins, sorted by class then name. */
    public List<ResourceAgentId> list() {
        List<ResourceAgentId> out = new ArrayList<>();
        for (Path provider : entries(config.ocfRoot().resolve("resource.d"), true)) {
            for (Path type : entries(provider, false)) {
                add(out, "ocf", provider.getFileName().toString(), type);
            }
        }
        for (Path script : entries(config.lsbDirectory(), false)) {
            add(out, "lsb", "", script);
        }
        TreeSet<String> seen = new TreeSet<>();
        for (Path dir : config.heartbeatDirectories()) {
            for (Path script : entries(dir, false)) {
                if (seen.add(script.getFileName().toString())) {
                    add(out, "heartbeat", "", script);
                }
            }
        }
        new TreeSet<>(builtins.keySet()).forEach(b -> out.add(new ResourceAgentId("builtin", "", b)));
        out.sort((a, b) -> a.toString().compareTo(b.toString()));
        return out;
    }

    private static void add(List<ResourceAgentId> out, String cls, String provider, Path script) {
        if (!Files.isExecutable(script)) {
            return;
        }
        try {
            out.add(new ResourceAgentId(cls, provider, script.getFileName().toString()));
        } catch (IllegalArgumentException e) {
            // a file name that cannot be an agent id (e.g. contains ':'); not listable
        }
    }

    private static List<Path> entries(Path dir, boolean directories) {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (directories ? Files.isDirectory(p) : Files.isRegularFile(p)) {
                    out.add(p);
                }
            }
        } catch (IOException e) {
            // unreadable directory: list what we can
        }
        return out;
    }

    private static void requireProvider(ResourceAgentId id, boolean required) throws AgentException {
        if (required == id.provider().isEmpty()) {
            throw new AgentException(OperationStatus.INVALID, OcfExitCode.ERR_CONFIGURED.code(), "agent " + id
                + (required ? " needs a provider (ocf:PROVIDER:TYPE)" : " takes no provider (" + id.agentClass()
                + ":NAME)"));
        }
    }
}
