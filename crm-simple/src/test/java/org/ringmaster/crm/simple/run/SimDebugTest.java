package org.ringmaster.crm.simple.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SimDebugTest {
    @TempDir
    Path dir;

    @Test
    void one() throws Exception {
        String cfg = Configs.of(3, true, "stop", Configs.dummy("web") + Configs.location("web", "n1", 100));
        try (SimCluster c = new SimCluster(1, 3, cfg, true, dir.resolve("s"))) {
            c.nodes[1].crm.submit(java.util.List.of("config", "load", "native", cfg));
            boolean up = c.runUntil(() -> c.runningOn("web").equals(java.util.List.of("n1")) && c.quiet(), 20_000);
            System.out.println("up=" + up + " t=" + c.nowNs / 1e6 + " events=" + c.log.events + " v=" + c.log.violations);
            c.crash(1);
            boolean moved = c.runUntil(() -> c.runningOn("web").size() == 1 && c.quiet(), 30_000);
            System.out.println("moved=" + moved + " t=" + c.nowNs / 1e6 + " events=" + c.log.events + " v=" + c.log.violations);
            System.out.println(CrmCommands.of(c.nodes[2].crm).run(java.util.List.of("resource", "status")).text());
            assertThat(c.log.violations).isEmpty();
        }
    }
}
