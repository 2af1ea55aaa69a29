package org.ringmaster.agents;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.ringmaster.agents.process.ProcessSettings;

/**
 * Where agents live and how they run. Immutable; validation names the bad setting.
 *
 * @param ocfRoot              {@code OCF_ROOT}; OCF agents are {@code <ocfRoot>/resource.d/<provider>/<type>}
 *                             (default {@code /usr/lib/ocf})
 * @param lsbDirectory         where {@code lsb:NAME} init scripts live (default {@code /etc/init.d})
 * @param heartbeatDirectories searched in order for {@code heartbeat:NAME} scripts
 *                             (default {@code /etc/ha.d/resource.d}, then {@code /etc/init.d})
 * @param stateDirectory       state of built-in agents: pid files, dummy state, process logs
 *                             (default {@code /run/ringmaster/agents})
 * @param metadataTimeout      timeout for running {@code meta-data} to learn an agent's parameters (default 5 s)
 * @param process              how agent processes are run
 */
public record AgentsConfig(Path ocfRoot, Path lsbDirectory, List<Path> heartbeatDirectories, Path stateDirectory,
                           Duration metadataTimeout, ProcessSettings process) {

    public AgentsConfig {
        Objects.requireNonNull(ocfRoot, "ocfRoot");
        Objects.requireNonNull(lsbDirectory, "lsbDirectory");
        heartbeatDirectories = List.copyOf(Objects.requireNonNull(heartbeatDirectories, "heartbeatDirectories"));
        Objects.requireNonNull(stateDirectory, "stateDirectory");
        Objects.requireNonNull(metadataTimeout, "metadataTimeout");
        Objects.requireNonNull(process, "process");
        if (!ocfRoot.isAbsolute()) {
            throw new IllegalArgumentException("ocfRoot '" + ocfRoot + "' must be an absolute path");
        }
        if (!stateDirectory.isAbsolute()) {
            throw new IllegalArgumentException("stateDirectory '" + stateDirectory + "' must be an absolute path");
        }
        if (metadataTimeout.isNegative() || metadataTimeout.isZero()) {
            throw new IllegalArgumentException("metadataTimeout " + metadataTimeout + " must be positive");
        }
    }

    /** The documented defaults. */
    public static AgentsConfig defaults() {
        return new AgentsConfig(Path.of("/usr/lib/ocf"), Path.of("/etc/init.d"),
            List.of(Path.of("/etc/ha.d/resource.d"), Path.of("/etc/init.d")), Path.of("/run/ringmaster/agents"),
            Duration.ofSeconds(5), ProcessSettings.defaults());
    }

    public AgentsConfig withOcfRoot(Path root) {
        return new AgentsConfig(root, lsbDirectory, heartbeatDirectories, stateDirectory, metadataTimeout, process);
    }

    public AgentsConfig withLsbDirectory(Path dir) {
        return new AgentsConfig(ocfRoot, dir, heartbeatDirectories, stateDirectory, metadataTimeout, process);
    }

    public AgentsConfig withHeartbeatDirectories(List<Path> dirs) {
        return new AgentsConfig(ocfRoot, lsbDirectory, dirs, stateDirectory, metadataTimeout, process);
    }

    public AgentsConfig withStateDirectory(Path dir) {
        return new AgentsConfig(ocfRoot, lsbDirectory, heartbeatDirectories, dir, metadataTimeout, process);
    }

    public AgentsConfig withProcess(ProcessSettings settings) {
        return new AgentsConfig(ocfRoot, lsbDirectory, heartbeatDirectories, stateDirectory, metadataTimeout, settings);
    }
}
