package org.ringmaster.daemon.config;

import java.util.Map;
import java.util.Optional;

/**
 * The {@code system} section.
 *
 * @param stateDir {@code state_dir}: where the daemon keeps state; the daemon's {@code --state-dir}
 *                 overrides it, and its default (/var/lib/ringmaster) applies when neither is set.
 *                 Relative paths are relative to the daemon's working directory, as in Corosync.
 */
public record SystemConfig(Optional<String> stateDir) {

    private static final Map<String, String> NOT_IMPLEMENTED = SectionReader.reasons(
            "qb_ipc_type", "clients use ringmaster's Unix socket, not libqb IPC",
            "sched_rr", "real-time scheduling is not requested",
            "priority", "process priority is left to the service manager",
            "move_to_root_cgroup", "cgroups are left to the service manager",
            "allow_knet_handle_fallback", "there is no knet handle");

    static SystemConfig read(SectionReader r) {
        Optional<String> stateDir = r.string("state_dir").filter(s -> !s.isEmpty());
        r.finish(NOT_IMPLEMENTED);
        return new SystemConfig(stateDir);
    }
}
