package org.ringmaster.crm.simple.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Node loss: failover with fencing first, a 3+1 failover domain, failback by stickiness, failing fencing. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FailoverSimulationTest {
    @TempDir
    Path dir;

    static String describe(SimCluster c) {
        return "seed " + c.seed + " at " + c.nowNs / 1_000_000 + "ms; violations " + c.log.violations + "; events "
                + c.log.events;
    }

    @Test
    void failoverOnNodeLossFencesFirst() throws Exception {
        Seeds.run(200, 1000, dir, (seed, d) -> {
            String cfg = Configs.of(3, true, "stop", Configs.dummy("web") + Configs.location("web", "n1", 100));
            try (SimCluster c = new SimCluster(seed, 3, cfg, true, d)) {
                assertThat(c.runUntil(() -> c.runningOn("web").equals(List.of("n1")) && c.quiet(), 20_000))
                        .as("web starts on n1: %s", describe(c)).isTrue();
                c.runFor(c.random.nextInt(2000));
                c.crash(1);
                assertThat(c.runUntil(() -> c.runningOn("web").size() == 1 && c.quiet(), 30_000))
                        .as("web recovers: %s", describe(c)).isTrue();
                String to = c.runningOn("web").get(0);
                assertThat(to).isIn("n2", "n3");
                long fenced = c.log.events.stream().filter(e -> e.kind().equals("fenced") && e.node().equals("n1"))
                        .mapToLong(SimLog.Event::timeMs).min().orElse(Long.MAX_VALUE);
                long restarted = c.log.of("start-submitted", "web").get(1).timeMs();
                assertThat(fenced).as("n1 fenced before web starts on %s: %s", to, describe(c))
                        .isLessThanOrEqualTo(restarted);
                assertThat(c.log.violations).as(describe(c)).isEmpty();
            }
        });
    }

    @Test
    void threePlusOneFailoverDomain() throws Exception {
        Seeds.run(100, 2000, dir, (seed, d) -> {
            StringBuilder body = new StringBuilder();
            for (int i = 1; i <= 3; i++) {
                body.append(Configs.dummy("s" + i)).append("  failoverdomain {\n    name: fd").append(i)
                        .append("\n    nodes: n").append(i).append(" n4\n    ordered: yes\n    restricted: yes\n")
                        .append("    resources: s").append(i).append("\n  }\n");
            }
            String cfg = Configs.of(4, true, "stop", body.toString());
            try (SimCluster c = new SimCluster(seed, 4, cfg, true, d)) {
                c.rebootDelayNs = -1; // the failed node stays down
                assertThat(c.runUntil(() -> c.runningOn("s1").equals(List.of("n1"))
                        && c.runningOn("s2").equals(List.of("n2")) && c.runningOn("s3").equals(List.of("n3"))
                        && c.quiet(), 20_000)).as("services on their nodes: %s", describe(c)).isTrue();
                int victim = 1 + c.random.nextInt(3);
                c.crash(victim);
                assertThat(c.runUntil(() -> c.runningOn("s" + victim).equals(List.of("n4")) && c.quiet(), 30_000))
                        .as("s%d moves to the spare: %s", victim, describe(c)).isTrue();
                for (int i = 1; i <= 3; i++) {
                    if (i != victim) {
                        assertThat(c.runningOn("s" + i)).containsExactly("n" + i);
                    }
                }
                assertThat(c.log.violations).as(describe(c)).isEmpty();
            }
        });
    }

    @Test
    void failbackFollowsStickiness() throws Exception {
        Seeds.run(150, 3000, dir, (seed, d) -> {
            boolean sticky = seed % 2 == 1;
            String cfg = Configs.of(3, true, "stop", Configs.dummy("web", "resource-stickiness=" + (sticky ? 200 : 0))
                    + Configs.location("web", "n1", 100));
            try (SimCluster c = new SimCluster(seed, 3, cfg, true, d)) {
                assertThat(c.runUntil(() -> c.runningOn("web").equals(List.of("n1")) && c.quiet(), 20_000))
                        .as(describe(c)).isTrue();
                c.crash(1);
                assertThat(c.runUntil(() -> c.runningOn("web").size() == 1 && !c.runningOn("web").contains("n1")
                        && c.quiet(), 30_000)).as("moved: %s", describe(c)).isTrue();
                String away = c.runningOn("web").get(0);
                assertThat(c.runUntil(() -> c.nodes[1].alive && c.quiet(), 30_000)).as("n1 back: %s", describe(c))
                        .isTrue();
                c.runFor(3000);
                assertThat(c.runUntil(c::quiet, 20_000)).isTrue();
                assertThat(c.runningOn("web")).as("sticky=%s: %s", sticky, describe(c))
                        .containsExactly(sticky ? away : "n1");
                assertThat(c.log.violations).as(describe(c)).isEmpty();
            }
        });
    }

    @Test
    void failingFencingBlocksRecoveryUntilItWorks() throws Exception {
        Seeds.run(50, 4000, dir, (seed, d) -> {
            String cfg = Configs.of(3, true, "stop", Configs.dummy("web") + Configs.location("web", "n1", 100));
            try (SimCluster c = new SimCluster(seed, 3, cfg, true, d)) {
                assertThat(c.runUntil(() -> c.runningOn("web").equals(List.of("n1")) && c.quiet(), 20_000))
                        .as(describe(c)).isTrue();
                c.fencingWorks = false;
                c.rebootDelayNs = -1;
                c.crash(1);
                c.runFor(8000);
                assertThat(c.runningOn("web")).as("no recovery while fencing fails: %s", describe(c)).isEmpty();
                c.fencingWorks = true;
                assertThat(c.runUntil(() -> c.runningOn("web").size() == 1 && c.quiet(), 30_000))
                        .as("recovery once fencing works: %s", describe(c)).isTrue();
                assertThat(c.log.violations).as(describe(c)).isEmpty();
            }
        });
    }
}
