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
