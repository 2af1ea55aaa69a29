package org.ringmaster.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/ringctl demo} (the README's first command) runs three daemons with a resource manager, kills the node
 * running the service and narrates the fencing and the failover, then cleans up; {@code bin/ringmaster-demo} (the
 * throughput demo) runs three daemons and shows them delivering.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class DemoTest {

    @TempDir
    Path dir;

    /** With fence_dummy where installed (CI), and with the stand-in a machine without fence-agents gets. */
    @ParameterizedTest(name = "stand-in fence agent: {0}")
    @ValueSource(booleans = {false, true})
    void ringctlDemoShowsFencingThenFailoverAndLeavesNothingBehind(boolean standIn) throws Exception {
        Path parent = Files.createDirectory(dir.resolve("tmp"));
        try {
            List<String> args = new java.util.ArrayList<>(List.of("demo", "--dir", parent.toString()));
            if (standIn) {
                args.add("--stand-in-fence");
            }
            DaemonCluster.Result r = DaemonCluster.run(120, dir.resolve("ringctl-demo.out"), DaemonCluster.RINGCTL,
                    args.toArray(new String[0]));
            String o = r.output();
            assertThat(r.code()).as(o).isZero();
            if (standIn) {
                assertThat(o).contains("a built-in stand-in (no fence_dummy installed) that ALWAYS SUCCEEDS");
            }
            assertThat(o).contains("ringctl demo: 3 ringmasterd processes on 127.0.0.1-3")
                    .contains("membership: n1, n2, n3").contains("quorum: quorate, 3 of 3 votes (needs 2)")
                    .containsPattern("DC n[123]; demo-service runs on n[123]")
                    .contains("quorum: quorate, 2 of 3 votes (needs 2)");
            Matcher victim = Pattern.compile("killing (n[123]): SIGKILL").matcher(o);
            assertThat(victim.find()).as(o).isTrue();
            String lost = victim.group(1);
            Matcher moved = Pattern.compile("demo-service moved to (n[123]) \\(fenced first").matcher(o);
            assertThat(moved.find()).as(o).isTrue();
            assertThat(moved.group(1)).isNotEqualTo(lost);
            int kill = o.indexOf("killing " + lost);
            int ring = o.indexOf(lost + " lost after");
            int fenced = o.indexOf("fencing: " + lost + " reboot by ");
            int move = o.indexOf("demo-service moved to");
            assertThat(List.of(kill, ring, fenced, move)).as(o).doesNotContain(-1).isSorted();
            assertThat(o.substring(fenced, o.indexOf('\n', fenced))).contains("SUCCEEDED");
            assertThat(o).containsPattern("demo-web +builtin:process +Started on " + moved.group(1));
            Matcher where = Pattern.compile("deleted (\\S+)").matcher(o);
            assertThat(where.find()).as(o).isTrue();
            assertThat(o).contains("stopped 2 ringmasterd processes and the service");
            assertThat(Path.of(where.group(1))).doesNotExist();
            try (Stream<Path> left = Files.list(parent)) {
                assertThat(left).as("nothing left in the demo's parent directory").isEmpty();
            }
            assertThat(leftovers(parent)).as("no process of the demo left running").isEmpty();
        } finally {
            leftovers(parent).forEach(ProcessHandle::destroyForcibly); // only if the demo failed to clean up
        }
    }

    private static List<ProcessHandle> leftovers(Path parent) {
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(parent.toString()))
                .toList();
    }

    @Test
    void demoFormsARingDeliversMessagesAndCleansUp() throws Exception {
        DaemonCluster.Result r = DaemonCluster.run(dir.resolve("demo.out"), DaemonCluster.ROOT.resolve("bin/ringmaster-demo"),
                "--duration", "10", "--no-faults");
        assertThat(r.code()).as(r.output()).isZero();
        assertThat(r.output()).contains("ringmaster demo: 3 ringmasterd processes on 127.0.0.1-3")
                .contains("n1: configuration [1, 2, 3]").contains("n2: configuration [1, 2, 3]")
                .contains("n3: configuration [1, 2, 3]").contains("  10s  n1 ");
        Matcher rate = Pattern.compile("n1 +([0-9,]+) msg/s").matcher(r.output());
        long best = 0;
        while (rate.find()) {
            best = Math.max(best, Long.parseLong(rate.group(1).replace(",", "")));
        }
        assertThat(best).as("messages delivered per second at node 1").isPositive();
        Matcher where = Pattern.compile("stopped all nodes and deleted (\\S+)").matcher(r.output());
        assertThat(where.find()).as(r.output()).isTrue();
        assertThat(Path.of(where.group(1))).doesNotExist();
        assertThat(ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(where.group(1))))
                .as("no daemon of the demo left running").isEmpty();
    }
}
