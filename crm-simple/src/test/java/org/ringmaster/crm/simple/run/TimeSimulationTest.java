package org.ringmaster.crm.simple.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Time as an event: failure-timeout expiring a fail-count (cleared through the ordered channel, the resource
 * returns), a date rule's boundary moving a resource, and the periodic cluster-recheck-interval, all on the
 * simulated clock with the invariant checker on.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TimeSimulationTest {
    @TempDir
    Path dir;

    static String describe(SimCluster c) {
        return FailoverSimulationTest.describe(c);
    }

    /** Simulated milliseconds at which a wall-clock time (epoch ms) was read in the simulation. */
    private static long simMs(long wallMs) {
        return wallMs - SimCluster.WALL_START.toEpochMilli();
    }

    @Test
    void anExpiredFailureIsClearedAndTheResourceMovesBack() throws Exception {
        Seeds.run(30, 12_000, dir, (seed, d) -> {
            // migration-threshold 1: the first monitor failure moves web away from n1, its preferred node;
            // failure-timeout 20s, stickiness 0: once the failure expires web returns. The recheck interval is the
            // 15-minute default: only the DC's wake-up at the expiry can bring it back within the test's time.
            String cfg = Configs.of(3, true, "stop", Configs.dummy("web", "migration-threshold=1",
                    "failure-timeout=20s", "resource-stickiness=0") + Configs.location("web", "n1", 100));
            try (SimCluster c = new SimCluster(seed, 3, cfg, true, d)) {
                assertThat(c.runUntil(() -> c.runningOn("web").equals(List.of("n1")) && c.quiet(), 20_000))
                        .as("web starts on n1: %s", describe(c)).isTrue();
                c.nodes[1].lrm.kill("web");
                assertThat(c.runUntil(() -> c.nodes[3].crm.snapshot().records().get("n1").failCount("web") == 1,
                        10_000)).as("the failure is counted: %s", describe(c)).isTrue();
                long failedAt = simMs(c.nodes[3].crm.snapshot().records().get("n1").failTime("web"));
                assertThat(failedAt).as("failure time from the simulated clock").isBetween(0L, c.nowNs / 1_000_000);
                assertThat(c.runUntil(() -> c.runningOn("web").size() == 1 && !c.runningOn("web").contains("n1")
                        && c.quiet(), 20_000)).as("web moves away at the threshold: %s", describe(c)).isTrue();
                String away = c.runningOn("web").get(0);
                // nothing happens before the failure expires
                c.runFor(Math.max(0, failedAt + 18_000 - c.nowNs / 1_000_000));
                assertThat(c.runningOn("web")).as("still away before the expiry: %s", describe(c))
                        .containsExactly(away);
                assertThat(c.nodes[2].crm.snapshot().records().get("n1").failCount("web")).isEqualTo(1);
                assertThat(c.runUntil(() -> c.runningOn("web").equals(List.of("n1")) && c.quiet(), 15_000))
                        .as("web back on n1 after failure-timeout: %s", describe(c)).isTrue();
                // failure time is kept in ms, the engine counts whole seconds (as Pacemaker's last-failure)
                long back = c.log.of("start-submitted", "web").stream().filter(e -> e.node().equals("n1"))
                        .mapToLong(SimLog.Event::timeMs).max().orElseThrow();
                assertThat(back).as("not before the expiry").isGreaterThanOrEqualTo(failedAt + 19_000);
                for (int i = 1; i <= 3; i++) {
                    assertThat(c.nodes[i].crm.snapshot().records().get("n1").failCount("web"))
                            .as("fail-count cleared in the view of n%d: %s", i, describe(c)).isZero();
                }
                CommandResult fc = CrmCommands.of(c.nodes[1 + c.random.nextInt(3)].crm)
                        .run(List.of("resource", "failcount", "web", "n1"));
                assertThat(fc.text()).isEqualTo("web\tn1\t0\n");
                assertThat(c.log.violations).as(describe(c)).isEmpty();
            }
        });
    }

    @Test
    void aDateRuleBoundaryMovesAResourceWithoutAnyOtherEvent() throws Exception {
        Seeds.run(30, 13_000, dir, (seed, d) -> {
            Instant from = SimCluster.WALL_START.plusSeconds(30);
            try (SimCluster c = new SimCluster(seed, 3, dateRuleCib(from, "15min"), true, d)) {
                assertThat(c.runUntil(() -> c.runningOn("web").equals(List.of("n1")) && c.quiet(), 20_000))
                        .as("web starts on n1: %s", describe(c)).isTrue();
                assertThat(c.nowNs).as("settled before the boundary").isLessThan(25_000_000_000L);
                c.runFor(29_000 - c.nowNs / 1_000_000);
                assertThat(c.runningOn("web")).as("before the boundary: %s", describe(c)).containsExactly("n1");
                assertThat(c.runUntil(() -> c.runningOn("web").equals(List.of("n2")) && c.quiet(), 10_000))
                        .as("web on n2 once the date rule holds: %s", describe(c)).isTrue();
                long moved = c.log.of("start-submitted", "web").stream().filter(e -> e.node().equals("n2"))
                        .mapToLong(SimLog.Event::timeMs).min().orElseThrow();
                assertThat(moved).as("not before the boundary").isGreaterThanOrEqualTo(30_000);
                assertThat(c.log.violations).as(describe(c)).isEmpty();
            }
        });
    }

    @Test
    void theRecheckIntervalMakesTheDcDecideAgainWithoutEvents() throws Exception {
        Seeds.run(5, 14_000, dir, (seed, d) -> {
            // a boundary far away (no earlier wake-up): only the 2s recheck interval wakes the DC
            Instant far = SimCluster.WALL_START.plusSeconds(3600);
            try (SimCluster c = new SimCluster(seed, 3, dateRuleCib(far, "2s"), true, d)) {
                assertThat(c.runUntil(() -> c.runningOn("web").equals(List.of("n1")) && c.quiet(), 20_000))
                        .as(describe(c)).isTrue();
                int dc = c.dcSeenBy(1);
                double before = rechecks(c, dc);
                c.runFor(10_000);
                assertThat(rechecks(c, dc) - before).as("rechecks in 10s at a 2s interval: %s", describe(c))
                        .isBetween(4.0, 6.0);
                assertThat(c.runningOn("web")).containsExactly("n1");
                assertThat(c.log.violations).as(describe(c)).isEmpty();
            }
        });
    }

    private static double rechecks(SimCluster c, int node) {
        return c.nodes[node].meters.get("ringmaster.crm.rechecks").counter().count();
    }

    /** web prefers n1 (100); from {@code from} on, a date rule gives n2 INFINITY. */
    private static String dateRuleCib(Instant from, String recheckInterval) {
        return Configs.cibWithWeb("""
                        <nvpair id="opts-recheck" name="cluster-recheck-interval" value="%s"/>
                """.formatted(recheckInterval), """
                      <rsc_location id="web-prefers-n1" rsc="web" node="n1" score="100"/>
                      <rsc_location id="web-later-on-n2" rsc="web">
                        <rule id="later" score="INFINITY" boolean-op="and">
                          <expression id="later-n2" attribute="#uname" operation="eq" value="n2"/>
                          <date_expression id="later-date" operation="gt" start="%s"/>
                        </rule>
                      </rsc_location>
                """.formatted(from.toString()));
    }
}
