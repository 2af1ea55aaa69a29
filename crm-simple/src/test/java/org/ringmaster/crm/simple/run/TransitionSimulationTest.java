package org.ringmaster.crm.simple.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ringmaster.crm.simple.run.FailoverSimulationTest.describe;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Transitions: group order, order constraints across nodes, DC loss mid-transition, migration-threshold, live migration. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TransitionSimulationTest {
    @TempDir
    Path dir;

    private static long time(SimCluster c, String kind, String rsc, String node) {
        return c.log.events.stream().filter(e -> e.kind().equals(kind) && e.rsc().equals(rsc) && e.node().equals(node))
                .mapToLong(SimLog.Event::timeMs).max().orElseThrow(() -> new AssertionError(
                        "no " + kind + " of " + rsc + " on " + node + ": " + describe(c)));
    }

    @Test
    void groupMovesAsAUnitInOrder() throws Exception {
        Seeds.run(100, 5000, dir, (seed, d) -> {
            String cfg = Configs.of(3, true, "stop", Configs.dummy("a") + Configs.dummy("b") + Configs.dummy("c")
                    + "  group {\n    id: g\n    members: a b c\n  }\n" + Configs.location("g", "n1", 100));
            try (SimCluster c = new SimCluster(seed, 3, cfg, true, d)) {
                assertThat(c.runUntil(() -> c.runningOn("c").equals(List.of("n1")) && c.quiet(), 20_000))
                        .as(describe(c)).isTrue();
                assertThat(time(c, "started", "a", "n1")).isLessThan(time(c, "start-submitted", "b", "n1"));
                assertThat(time(c, "started", "b", "n1")).isLessThan(time(c, "start-submitted", "c", "n1"));
                int from = 1 + c.random.nextInt(3);
                assertThat(c.command(from, "resource", "move", "g", "n2").exitCode()).isZero();
                assertThat(c.runUntil(() -> List.of("a", "b", "c").stream()
                        .allMatch(r -> c.runningOn(r).equals(List.of("n2"))) && c.quiet(), 20_000))
                        .as("group on n2: %s", describe(c)).isTrue();
                // stops in reverse order, all before the first start on n2, starts in order
                assertThat(time(c, "stopped", "c", "n1")).isLessThan(time(c, "stop-submitted", "b", "n1"));
                assertThat(time(c, "stopped", "b", "n1")).isLessThan(time(c, "stop-submitted", "a", "n1"));
                assertThat(time(c, "stopped", "a", "n1")).isLessThan(time(c, "start-submitted", "a", "n2"));
                assertThat(time(c, "started", "a", "n2")).isLessThan(time(c, "start-submitted", "b", "n2"));
                assertThat(time(c, "started", "b", "n2")).isLessThan(time(c, "start-submitted", "c", "n2"));
                assertThat(c.log.violations).as(describe(c)).isEmpty();
            }
        });
    }

    @Test
    void orderConstraintAcrossNodes() throws Exception {
        Seeds.run(100, 6000, dir, (seed, d) -> {
            String cfg = Configs.of(3, true, "stop", Configs.dummy("db") + Configs.dummy("app")
                    + Configs.location("db", "n1", 1_000_000) + Configs.location("app", "n2", 1_000_000)
                    + "  order {\n    first: db\n    then: app\n  }\n");
            try (SimCluster c = new SimCluster(seed, 3, cfg, true, d)) {
                assertThat(c.runUntil(() -> c.runningOn("app").equals(List.of("n2")) && c.quiet(), 20_000))
                        .as(describe(c)).isTrue();
                assertThat(time(c, "started", "db", "n1")).as(describe(c))
                        .isLessThan(time(c, "start-submitted", "app", "n2"));
                assertThat(c.command(3, "resource", "stop", "db").exitCode()).isZero();
                assertThat(c.runUntil(() -> c.runningOn("db").isEmpty() && c.quiet(), 20_000)).isTrue();
                assertThat(c.runningOn("app")).as("app needs db").isEmpty();
                assertThat(time(c, "stopped", "app", "n2")).as("app stops first: %s", describe(c))
                        .isLessThan(time(c, "stop-submitted", "db", "n1"));
                assertThat(c.log.violations).as(describe(c)).isEmpty();
            }
        });
    }

    @Test
    void dcLossInTheMiddleOfATransition() throws Exception {
        Seeds.run(150, 7000, dir, (seed, d) -> {
            StringBuilder body = new StringBuilder();
            for (int i = 1; i <= 6; i++) {
                body.append(Configs.dummy("r" + i));
            }
            body.append(Configs.dummy("x")).append(Configs.dummy("y"))
                    .append("  group {\n    id: gx\n    members: x y\n  }\n");
            String cfg = Configs.of(4, true, "stop", body.toString());
            try (SimCluster c = new SimCluster(seed, 4, cfg, true, d)) {
                boolean moveLater = seed % 2 == 0;
                if (moveLater) {
                    assertThat(c.runUntil(c::quiet, 20_000)).isTrue();
                    String at = c.runningOn("x").get(0);
                    c.nodes[3].crm.submit(List.of("resource", "move", "gx", at.equals("n2") ? "n3" : "n2"));
                }
                // wait for a transition with actions running on the DC's view, then kill the DC
                assertThat(c.runUntil(() -> {
                    TransitionRun t = c.transitionSeenBy(1);
                    return t != null && t.anyRunning();
                }, 20_000)).as("a transition runs: %s", describe(c)).isTrue();
                c.runFor(20L * c.random.nextInt(10));
                assertThat(c.dcSeenBy(1)).isEqualTo(1);
                c.crash(1);
                List<String> all = List.of("r1", "r2", "r3", "r4", "r5", "r6", "x", "y");
                assertThat(c.runUntil(() -> all.stream().allMatch(r -> c.runningOn(r).size() == 1) && c.quiet()
                        && c.runningOn("x").equals(c.runningOn("y")), 40_000))
                        .as("every resource runs once after the DC died: %s", describe(c)).isTrue();
                assertThat(c.dcSeenBy(2)).isEqualTo(c.nodes[1].alive ? 1 : 2);
                assertThat(c.log.violations).as(describe(c)).isEmpty();
            }
        });
    }

    @Test
    void monitorFailuresRestartInPlaceUntilMigrationThreshold() throws Exception {
        Seeds.run(100, 8000, dir, (seed, d) -> {
            String cfg = Configs.of(3, true, "stop", Configs.dummy("web", "migration-threshold=3")
                    + Configs.location("web", "n1", 100));
            try (SimCluster c = new SimCluster(seed, 3, cfg, true, d)) {
                assertThat(c.runUntil(() -> c.runningOn("web").equals(List.of("n1")) && c.quiet(), 20_000))
                        .as(describe(c)).isTrue();
                for (int failure = 1; failure <= 3; failure++) {
                    c.nodes[1].lrm.kill("web");
                    int f = failure;
                    assertThat(c.runUntil(() -> c.nodes[2].crm.snapshot().records().get("n1").failCount("web") == f,
                            10_000)).as("failure %d counted: %s", f, describe(c)).isTrue();
                    assertThat(c.runUntil(() -> c.runningOn("web").size() == 1 && c.quiet(), 20_000))
                            .as("recovered after failure %d: %s", f, describe(c)).isTrue();
                    assertThat(c.runningOn("web")).as("after failure %d: %s", f, describe(c))
                            .containsExactly(f < 3 ? "n1" : c.runningOn("web").get(0));
                    if (f == 3) {
                        assertThat(c.runningOn("web").get(0)).as("moved at the threshold").isNotEqualTo("n1");
                    }
                }
                CommandResult fc = CrmCommands.of(c.nodes[3].crm).run(List.of("resource", "failcount", "web", "n1"));
                assertThat(fc.text()).isEqualTo("web\tn1\t3\n");
                assertThat(c.command(2, "resource", "cleanup", "web").exitCode()).isZero();
                assertThat(c.runUntil(() -> c.runningOn("web").equals(List.of("n1")) && c.quiet(), 20_000))
                        .as("back on n1 after cleanup: %s", describe(c)).isTrue();
                assertThat(c.log.violations).as(describe(c)).isEmpty();
            }
        });
    }

    @Test
    void allowMigrateMovesByLiveMigration() throws Exception {
        Seeds.run(100, 9000, dir, (seed, d) -> {
            String cfg = Configs.of(3, true, "stop", Configs.dummy("vm", "allow-migrate=true")
                    + Configs.location("vm", "n1", 100));
            try (SimCluster c = new SimCluster(seed, 3, cfg, true, d)) {
                assertThat(c.runUntil(() -> c.runningOn("vm").equals(List.of("n1")) && c.quiet(), 20_000))
                        .as(describe(c)).isTrue();
                assertThat(c.command(1 + c.random.nextInt(3), "resource", "move", "vm", "n2").exitCode()).isZero();
                assertThat(c.runUntil(() -> c.runningOn("vm").equals(List.of("n2")) && c.quiet(), 20_000))
                        .as("vm on n2: %s", describe(c)).isTrue();
                // migrate_to on n1 (told the target), migrate_from on n2 (told the source), never a start on n2
                long out = time(c, "migrated-to-n2", "vm", "n1");
                assertThat(time(c, "migrated-from-n1", "vm", "n2")).isGreaterThanOrEqualTo(out);
                assertThat(c.log.of("start-submitted", "vm")).as(describe(c)).noneMatch(e -> e.node().equals("n2"));
                assertThat(c.log.violations).as(describe(c)).isEmpty();
            }
        });
    }
}
