package org.ringmaster.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** bin/ringmaster-demo (the README's first command) runs three daemons, shows them working, and cleans up. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class DemoTest {

    @TempDir
    Path dir;

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
