package org.ringmaster.daemon.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ringmaster.crm.simple.run.SimpleCrm;

/**
 * no-quorum-policy fence in the daemon: three in-process nodes; losing one node leaves a quorate pair that fences
 * nothing; losing the second leaves the node running the resource alone without quorum, and it stops the resource
 * and fences itself (out of the ring, view FENCED, the daemon's self-fence action runs).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CrmSelfFenceTest {

    private static final Duration WAIT = Duration.ofSeconds(25);

    @Test
    void theInquorateNodeRunningAResourceStopsItAndFencesItself(@TempDir Path dir) throws Exception {
        Path seed = dir.resolve("resources.conf");
        Files.writeString(seed, """
                resources {
                  options {
                    fencing-enabled: false
                    no-quorum-policy: fence
                  }
                  primitive {
                    id: web
                    agent: builtin:dummy
                    op: monitor interval=500ms
                  }
                  location {
                    rsc: web
                    node: n1
                    score: 100
                  }
                }
                """);
        String text = LocalCluster.configText(dir, 3, LocalCluster.randomPort())
                + "crm {\n plugin: simple\n config: " + seed + "\n no-quorum-delay: 1s\n}\n";
        Path web = dir.resolve("state").resolve("agents").resolve("1").resolve("dummy-web.state");
        try (LocalCluster c = LocalCluster.start(dir, 3, text)) {
            ClusterNode n1 = c.node(1).node();
            AtomicInteger actions = new AtomicInteger();
            n1.onSelfFenced(actions::incrementAndGet);
            await().atMost(WAIT).until(() -> Files.exists(web));

            c.stop(3, false); // a crash: n1 and n2 keep quorum (2 of 3) and must not fence themselves
            await().atMost(WAIT).until(() -> Arrays.equals(n1.view().members(), new int[] {1, 2}));
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                    .until(() -> !"FENCED".equals(n1.view().state()) && !"FENCED".equals(c.node(2).node().view().state()));
            assertThat(Files.exists(web)).isTrue();

            c.stop(2, false); // now n1 is alone: no quorum, and it runs web
            await().atMost(WAIT).until(() -> "FENCED".equals(n1.view().state()));
            assertThat(Files.exists(web)).as("web was stopped before the node fenced itself").isFalse();
            assertThat(actions.get()).isEqualTo(1);
            assertThat(((SimpleCrm) n1.crm().orElseThrow()).isSelfFenced()).isTrue();
            assertThat(n1.view().members()).isEmpty();
            assertThat(n1.view().lastReason()).isEqualTo("SELF_FENCE");
        }
    }
}
