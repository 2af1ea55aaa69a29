package org.ringmaster.crm.simple.heartbeat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds a heartbeat resource script the way heartbeat does: {@code resource.d} first (class
 * {@code heartbeat}), then the init scripts (class {@code lsb}).
 */
@FunctionalInterface
public interface ScriptLocator {
    /** The resource class for the script name, or empty when there is no such script. */
    Optional<String> classOf(String script);

    /** The standard places: /etc/ha.d/resource.d, then /etc/init.d. */
    static ScriptLocator standard() {
        return directories(Path.of("/etc/ha.d/resource.d"), Path.of("/etc/init.d"));
    }

    /** Looks in {@code resourceD} (heartbeat class), then {@code initD} (lsb class). */
    static ScriptLocator directories(Path resourceD, Path initD) {
        return script -> {
            if (script.contains("/") || script.startsWith(".")) {
                return Optional.empty();
            }
            if (Files.isRegularFile(resourceD.resolve(script))) {
                return Optional.of("heartbeat");
            }
            if (Files.isRegularFile(initD.resolve(script))) {
                return Optional.of("lsb");
            }
            return Optional.empty();
        };
    }
}
