package org.ringmaster.agents.process;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How agent processes are run. Immutable; validated on construction, errors name the setting.
 *
 * @param setsid           the {@code setsid} program (default {@code setsid}, from util-linux)
 * @param path             {@code PATH} given to agents (default {@code /usr/sbin:/usr/bin:/sbin:/bin})
 * @param commandPrefix    words put between setsid and the agent, e.g. {@code [ip, netns, exec, node1]} to run
 *                         every agent of a simulated node inside its network namespace (default none)
 * @param tailBytes        how much of an agent's combined output is kept (default 4096)
 * @param stdoutLimitBytes how much stdout is kept for parsing meta-data (default 1 MiB)
 * @param killGrace        time between SIGTERM and SIGKILL of a timed-out group (default 2 s)
 * @param drainTimeout     how long to wait for output after the process exited (default 1 s)
 */
public record ProcessSettings(String setsid, String path, List<String> commandPrefix, int tailBytes,
                              int stdoutLimitBytes, Duration killGrace, Duration drainTimeout) {

    public static final String DEFAULT_PATH = "/usr/sbin:/usr/bin:/sbin:/bin";

    public ProcessSettings {
        Objects.requireNonNull(setsid, "setsid");
        Objects.requireNonNull(path, "path");
        commandPrefix = List.copyOf(Objects.requireNonNull(commandPrefix, "commandPrefix"));
        Objects.requireNonNull(killGrace, "killGrace");
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        if (setsid.isBlank()) {
            throw new IllegalArgumentException("setsid must not be blank");
        }
        if (tailBytes < 0 || tailBytes > 16 << 20) {
            throw new IllegalArgumentException("tailBytes " + tailBytes + " must be in [0, 16 MiB]");
        }
        if (stdoutLimitBytes < 0 || stdoutLimitBytes > 64 << 20) {
            throw new IllegalArgumentException("stdoutLimitBytes " + stdoutLimitBytes + " must be in [0, 64 MiB]");
        }
        if (killGrace.isNegative() || drainTimeout.isNegative()) {
            throw new IllegalArgumentException("killGrace " + killGrace + " and drainTimeout " + drainTimeout
                + " must not be negative");
        }
    }

    /** The documented defaults. */
    public static ProcessSettings defaults() {
        return new ProcessSettings("setsid", DEFAULT_PATH, List.of(), 4096, 1 << 20, Duration.ofSeconds(2),
            Duration.ofSeconds(1));
    }

    public ProcessSettings withCommandPrefix(List<String> prefix) {
        return new ProcessSettings(setsid, path, prefix, tailBytes, stdoutLimitBytes, killGrace, drainTimeout);
    }

    public ProcessSettings withTailBytes(int bytes) {
        return new ProcessSettings(setsid, path, commandPrefix, bytes, stdoutLimitBytes, killGrace, drainTimeout);
    }

    public ProcessSettings withKillGrace(Duration grace) {
        return new ProcessSettings(setsid, path, commandPrefix, tailBytes, stdoutLimitBytes, grace, drainTimeout);
    }
}
