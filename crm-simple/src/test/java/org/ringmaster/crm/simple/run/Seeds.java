package org.ringmaster.crm.simple.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a simulation body for many seeds and reports the failing ones (each replayable alone with
 * {@code -Dsim.seed=N}). Counts the runs for the suite's total.
 */
final class Seeds {
    interface Body {
        void run(long seed, Path dir) throws Exception;
    }

    private Seeds() {
    }

    static int run(int count, long base, Path dir, Body body) throws Exception {
        String only = System.getProperty("sim.seed");
        // The simulated nodes persist their state with fsync; on tmpfs that costs nothing, so use it if there is one.
        Path shm = Path.of("/dev/shm");
        Path base0 = dir;
        boolean ownDir = false;
        if (java.nio.file.Files.isDirectory(shm) && java.nio.file.Files.isWritable(shm)) {
            base0 = java.nio.file.Files.createTempDirectory(shm, "crm-sim-");
            ownDir = true;
        }
        try {
            return runIn(count, base, base0, only, body);
        } finally {
            if (ownDir) {
                try (var walk = java.nio.file.Files.walk(base0)) {
                    walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    private static int runIn(int count, long base, Path dir, String only, Body body) throws Exception {
        List<String> failures = new ArrayList<>();
        int runs = 0;
        for (long s = base; s < base + count; s++) {
            if (only != null && Long.parseLong(only) != s) {
                continue;
            }
            runs++;
            try {
                body.run(s, dir.resolve("seed-" + s));
            } catch (AssertionError e) {
                failures.add("seed " + s + ": " + e.getMessage());
                if (failures.size() >= 3) {
                    break;
                }
            }
        }
        assertThat(failures).as("failing seeds (replay one with -Dsim.seed=N)").isEmpty();
        return runs;
    }
}
