package org.ringmaster.crm.simple.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
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
        long seed = Long.getLong("dbg.seed", 7001);
            StringBuilder body = new StringBuilder();
            for (int i = 1; i <= 6; i++) {
                body.append(Configs.dummy("r" + i));
            }
            body.append(Configs.dummy("x")).append(Configs.dummy("y"))
                    .append("  group {\n    id: gx\n    members: x y\n  }\n");
            String cfg = Configs.of(4, true, "stop", body.toString());
            try (SimCluster c = new SimCluster(seed, 4, cfg, true, dir)) {
                c.runUntil(() -> {
                    TransitionRun t = c.transitionSeenBy(1);
                    return t != null && t.anyRunning();
                }, 20_000);
                c.runFor(20L * c.random.nextInt(10));
                c.crash(1);
                c.runFor(5000);
                for (int i = 2; i <= 4; i++) {
                    ReplicatedState s = c.nodes[i].crm.replicated();
                    System.out.println("n" + i + " synced=" + s.synced() + " dc=" + s.dc() + " cur=" + s.current()
                            + " idle=" + c.nodes[i].crm.idle() + " " + c.nodes[i].crm.debugLine());
                }
                System.out.println(CrmCommands.of(c.nodes[2].crm).run(List.of("resource", "status")).text());
            }
    }
}
