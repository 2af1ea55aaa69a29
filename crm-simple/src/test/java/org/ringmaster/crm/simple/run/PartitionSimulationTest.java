package org.ringmaster.crm.simple.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ringmaster.crm.simple.run.FailoverSimulationTest.describe;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Quorum loss under each no-quorum-policy, partitions and heals with configuration changes on both sides,
 * random chaos with fencing, a full-cluster restart, and a check that the invariant checker does catch a
 * violation.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class PartitionSimulationTest {
    @TempDir
    Path dir;

    @Test
    void quorumLossAppliesNoQuorumPolicy() throws Exception {
        Seeds.run(150, 9000, dir, (seed, d) -> {
            String policy = List.of("stop", "freeze", "ignore").get((int) (seed % 3));
            String cfg = Configs.of(3, false, policy, Configs.dummy("web") + Configs.dummy("other")
                    + Configs.location("web", "n1", 100) + Configs.location("other", "n1", 100));
            try (SimCluster c = new SimCluster(seed, 3, cfg, false, d)) {
                assertThat(c.runUntil(() -> c.runningOn("web").equals(List.of("n1"))
                        && c.runningOn("other").equals(List.of("n1")) && c.quiet(), 20_000)).as(describe(c)).isTrue();
                c.partition(new int[] {1}, new int[] {2, 3});
                // the majority (no fencing configured) takes over; the minority follows its policy
                assertThat(c.runUntil(() -> c.runningOn("web").stream().anyMatch(n -> !n.equals("n1")) && c.quiet(),
                        20_000)).as("majority runs web (%s): %s", policy, describe(c)).isTrue();
                c.runFor(3000);
                boolean onN1 = c.nodes[1].lrm.isRunning("web");
                assertThat(onN1).as("policy %s on the minority: %s", policy, describe(c))
                        .isEqualTo(!policy.equals("stop"));
                assertThat(c.nodes[1].crm.snapshot().quorate()).isFalse();
                c.heal();
                assertThat(c.runUntil(() -> c.runningOn("web").size() == 1 && c.runningOn("other").size() == 1
                        && c.quiet(), 20_000)).as("one copy after the heal (%s): %s", policy, describe(c)).isTrue();
                assertThat(c.log.violations).as(describe(c)).isEmpty();
            }
        });
    }

    @Test
    void quorumLossUnderPolicyFenceMakesTheMinorityFenceItselfAndOnlyIt() throws Exception {
        Seeds.run(60, 9500, dir, (seed, d) -> {
            String cfg = Configs.of(5, false, seed % 2 == 0 ? "fence" : "suicide", Configs.dummy("web")
                    + Configs.dummy("other") + Configs.location("web", "n1", 100) + Configs.location("other", "n2", 100));
            try (SimCluster c = new SimCluster(seed, 5, cfg, false, d)) {
                c.rebootDelayNs = -1; // a self-fenced node stays down until the test restarts it
                assertThat(c.runUntil(() -> c.runningOn("web").equals(List.of("n1"))
                        && c.runningOn("other").equals(List.of("n2")) && c.quiet(), 20_000)).as(describe(c)).isTrue();
                // a crash in the majority changes its membership (the lease lapses for a moment): no one fences itself
                c.crash(5);
                c.runFor(8000);
                assertThat(c.selfFenced).as("quorate nodes never self-fence: %s", describe(c)).isEmpty();
                c.restart(5);
                c.partition(new int[] {1, 2}, new int[] {3, 4, 5});
                assertThat(c.runUntil(() -> c.selfFenced.containsAll(List.of(1, 2)), 20_000))
                        .as("the minority fences itself: %s", describe(c)).isTrue();
                assertThat(c.selfFenced).containsExactlyInAnyOrder(1, 2);
                assertThat(c.runUntil(() -> c.runningOn("web").size() == 1 && c.runningOn("other").size() == 1
                        && c.quiet(), 20_000)).as("the majority runs both: %s", describe(c)).isTrue();
                assertThat(c.runningOn("web")).doesNotContain("n1", "n2");
                c.heal();
                c.restart(1);
                c.restart(2);
                assertThat(c.runUntil(() -> c.allSynced() && c.quiet() && c.runningOn("web").size() == 1
                        && c.runningOn("other").size() == 1, 30_000)).as("after the heal: %s", describe(c)).isTrue();
                assertThat(c.selfFenced).containsExactlyInAnyOrder(1, 2);
                assertThat(c.log.violations).as(describe(c)).isEmpty();
            }
        });
    }

    @Test
    void configurationChangesOnBothSidesReconcileByEpoch() throws Exception {
        Seeds.run(100, 10000, dir, (seed, d) -> {
            String cfg = Configs.of(5, false, "ignore", Configs.dummy("r1") + Configs.dummy("r2")
                    + Configs.dummy("r3"));
            try (SimCluster c = new SimCluster(seed, 5, cfg, false, d)) {
                assertThat(c.runUntil(c::quiet, 20_000)).as(describe(c)).isTrue();
                c.partition(new int[] {1, 2, 3}, new int[] {4, 5});
                assertThat(c.runUntil(c::allSynced, 5_000)).isTrue();
                int a = 1 + c.random.nextInt(3);
                int b = 4 + c.random.nextInt(2);
                assertThat(c.command(a, "resource", "ban", "r1", "n1").exitCode()).isZero();
                assertThat(c.command(b, "resource", "stop", "r2").exitCode()).isZero();
                assertThat(c.command(b, "node", "standby", "n5").exitCode()).isZero();
                c.runFor(c.random.nextInt(3000));
                c.heal();
                assertThat(c.runUntil(c::quiet, 30_000)).as(describe(c)).isTrue();
                for (int i = 1; i <= 5; i++) {
                    ConfigDocument doc = c.nodes[i].crm.snapshot().config();
                    assertThat(doc.epoch()).as("n%d epoch", i).isEqualTo(2);
                    assertThat(doc.author()).isEqualTo(b);
                    assertThat(doc.overlay()).containsEntry("meta:r2:target-role", "Stopped")
                            .containsEntry("node:n5:standby", "on").doesNotContainKey("loc:cli-ban-r1-on-n1");
                }
                assertThat(c.runningOn("r2")).as(describe(c)).isEmpty();
                assertThat(c.runningOn("r1")).hasSize(1).doesNotContain("n5");
                assertThat(c.runningOn("r3")).hasSize(1).doesNotContain("n5");
                assertThat(c.log.violations).as(describe(c)).isEmpty();
            }
        });
    }

    @Test
    void chaosWithFencingKeepsEveryResourceSingle() throws Exception {
        Seeds.run(120, 11000, dir, (seed, d) -> {
            String cfg = Configs.of(5, true, "stop", Configs.dummy("r1") + Configs.dummy("r2")
                    + Configs.dummy("r3", "migration-threshold=2") + Configs.dummy("a") + Configs.dummy("b")
                    + "  group {\n    id: g\n    members: a b\n  }\n" + Configs.location("r1", "n2", 50));
            try (SimCluster c = new SimCluster(seed, 5, cfg, true, d)) {
                c.rebootDelayNs = 1_000_000_000L + c.random.nextInt(3000) * 1_000_000L;
                List<String> all = List.of("r1", "r2", "r3", "a", "b");
                for (int event = 0; event < 8; event++) {
                    c.runFor(200 + c.random.nextInt(2500));
                    int kind = c.random.nextInt(6);
                    int node = 1 + c.random.nextInt(5);
                    switch (kind) {
                        case 0 -> c.crash(node);
                        case 1 -> {
                            List<Integer> side = new ArrayList<>();
                            for (int i = 1; i <= 5; i++) {
                                if (c.random.nextBoolean()) {
                                    side.add(i);
                                }
                            }
                            c.partition(side.stream().mapToInt(Integer::intValue).toArray());
                        }
                        case 2 -> c.heal();
                        case 3 -> {
                            if (c.nodes[node].alive) {
                                c.nodes[node].lrm.kill(all.get(c.random.nextInt(all.size())));
                            }
                        }
                        case 4 -> {
                            if (c.nodes[node].alive) {
                                c.nodes[node].crm.submit(List.of("resource", "move", c.random.nextBoolean() ? "g" : "r2",
                                        "n" + (1 + c.random.nextInt(5))));
                            }
                        }
                        default -> c.restart(node);
                    }
                }
                c.heal();
                for (int i = 1; i <= 5; i++) {
                    c.restart(i);
                }
                assertThat(c.runUntil(() -> all.stream().allMatch(r -> c.runningOn(r).size() == 1)
                        && c.runningOn("a").equals(c.runningOn("b")) && c.quiet(), 60_000))
                        .as("converges: %s", describe(c)).isTrue();
                assertThat(c.log.violations).as(describe(c)).isEmpty();
            }
        });
    }

    @Test
    void aSeedReplaysExactly() throws Exception {
        List<List<SimLog.Event>> histories = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            String cfg = Configs.of(4, true, "stop", Configs.dummy("r1") + Configs.dummy("r2") + Configs.dummy("r3"));
            try (SimCluster c = new SimCluster(777, 4, cfg, true, dir.resolve("replay-" + run))) {
                c.runFor(1500);
                c.partition(new int[] {1, 2, 3}, new int[] {4});
                c.runFor(1500);
                c.crash(2);
                c.runFor(3000);
                c.heal();
                c.runFor(8000);
                histories.add(List.copyOf(c.log.events));
            }
        }
        assertThat(histories.get(0)).isNotEmpty().isEqualTo(histories.get(1));
    }

    @Test
    void fullClusterRestartKeepsTheConfiguration() throws Exception {
        Seeds.run(20, 12000, dir, (seed, d) -> {
            String cfg = Configs.of(3, true, "stop", Configs.dummy("web") + Configs.location("web", "n1", 100));
            try (SimCluster c = new SimCluster(seed, 3, cfg, true, d)) {
                assertThat(c.runUntil(() -> c.runningOn("web").equals(List.of("n1")) && c.quiet(), 20_000)).isTrue();
                assertThat(c.command(2, "resource", "move", "web", "n3").exitCode()).isZero();
                assertThat(c.runUntil(() -> c.runningOn("web").equals(List.of("n3")) && c.quiet(), 20_000)).isTrue();
                c.runFor(1500); // records reach the disk (at most every second)
                c.rebootDelayNs = -1;
                for (int i = 1; i <= 3; i++) {
                    c.crash(i);
                }
                for (int i = 3; i >= 1; i--) {
                    c.restart(i);
                }
                assertThat(c.runUntil(() -> c.runningOn("web").equals(List.of("n3")) && c.quiet(), 30_000))
                        .as("moved placement survives: %s", describe(c)).isTrue();
                for (int i = 1; i <= 3; i++) {
                    assertThat(c.nodes[i].crm.snapshot().config().epoch()).isEqualTo(1);
                    assertThat(c.nodes[i].crm.snapshot().config().overlay()).containsKey("loc:cli-prefer-web");
                }
                assertThat(c.log.violations).as(describe(c)).isEmpty();
            }
        });
    }

    @Test
    void theCheckerCatchesRecoveryWithoutFencing() throws Exception {
        // The cluster runs without fencing but is checked as if fencing were required: the checker must object.
        String cfg = Configs.of(3, false, "stop", Configs.dummy("web") + Configs.location("web", "n1", 100));
        try (SimCluster c = new SimCluster(42, 3, cfg, true, dir.resolve("checker"))) {
            assertThat(c.runUntil(() -> c.runningOn("web").equals(List.of("n1")) && c.quiet(), 20_000)).isTrue();
            c.crash(1);
            assertThat(c.runUntil(() -> c.runningOn("web").size() == 1, 20_000)).isTrue();
            assertThat(c.log.violations).anyMatch(v -> v.contains("before lost n1 was fenced"));
        }
        // Two partitions both running a resource, with fencing required: caught as a double activity.
        String cfg2 = Configs.of(2, false, "ignore", Configs.dummy("web"));
        try (SimCluster c = new SimCluster(43, 2, cfg2, true, dir.resolve("checker2"))) {
            assertThat(c.runUntil(() -> c.runningOn("web").size() == 1 && c.quiet(), 20_000)).isTrue();
            c.partition(new int[] {1}, new int[] {2});
            c.runFor(5000);
            assertThat(c.log.violations).anyMatch(v -> v.contains("runs on nodes [1, 2] at once"));
        }
    }
}
