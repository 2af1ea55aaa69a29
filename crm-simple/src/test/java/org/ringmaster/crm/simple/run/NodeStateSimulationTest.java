package org.ringmaster.crm.simple.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ringmaster.crm.simple.run.FailoverSimulationTest.describe;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Node standby and maintenance, and node attributes from the host (a ping score) feeding a location rule. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NodeStateSimulationTest {
    @TempDir
    Path dir;

    @Test
    void standbyEmptiesANodeAndOnlineAllowsItAgain() throws Exception {
        Seeds.run(40, 13000, dir, (seed, d) -> {
            String cfg = Configs.of(3, true, "stop", Configs.dummy("web") + Configs.location("web", "n1", 100));
            try (SimCluster c = new SimCluster(seed, 3, cfg, true, d)) {
                assertThat(c.runUntil(() -> c.runningOn("web").equals(List.of("n1")) && c.quiet(), 20_000)).isTrue();
                assertThat(c.command(3, "node", "standby", "n1").exitCode()).isZero();
                assertThat(c.runUntil(() -> c.runningOn("web").size() == 1 && !c.runningOn("web").contains("n1")
                        && c.quiet(), 20_000)).as(describe(c)).isTrue();
                assertThat(c.command(2, "node", "online", "n1").exitCode()).isZero();
                assertThat(c.runUntil(() -> c.runningOn("web").equals(List.of("n1")) && c.quiet(), 20_000))
                        .as(describe(c)).isTrue();
                assertThat(c.log.violations).as(describe(c)).isEmpty();
            }
        });
    }

    @Test
    void maintenanceLeavesANodesResourcesAlone() throws Exception {
        Seeds.run(40, 14000, dir, (seed, d) -> {
            String cfg = Configs.of(3, true, "stop", Configs.dummy("web") + Configs.location("web", "n1", 100));
            try (SimCluster c = new SimCluster(seed, 3, cfg, true, d)) {
                assertThat(c.runUntil(() -> c.runningOn("web").equals(List.of("n1")) && c.quiet(), 20_000)).isTrue();
                assertThat(c.command(2, "node", "maintenance", "n1").exitCode()).isZero();
                c.runFor(500);
                c.nodes[1].lrm.kill("web");
                c.runFor(4000);
                assertThat(c.runningOn("web")).as("no monitor, no recovery in maintenance: %s", describe(c)).isEmpty();
                assertThat(c.nodes[2].crm.snapshot().records().get("n1").failCount("web")).isZero();
                assertThat(c.command(2, "node", "maintenance", "n1", "off").exitCode()).isZero();
                assertThat(c.runUntil(() -> c.runningOn("web").equals(List.of("n1")) && c.quiet(), 20_000))
                        .as("monitor finds it stopped, recovered in place: %s", describe(c)).isTrue();
                assertThat(c.log.violations).as(describe(c)).isEmpty();
            }
        });
    }

    static final String PING_CIB = Configs.cibWithWeb("""
                    <nvpair id="opts-fencing" name="stonith-enabled" value="false"/>
            """, """
                  <rsc_location id="web-on-connected" rsc="web">
                    <rule id="web-ping" score="-INFINITY" boolean-op="or">
                      <expression id="web-ping-1" attribute="pingd" operation="not_defined"/>
                      <expression id="web-ping-2" attribute="pingd" type="integer" operation="lte" value="0"/>
                    </rule>
                  </rsc_location>
                  <rsc_location id="web-prefers-n1" rsc="web" node="n1" score="50"/>
            """);

    @Test
    void aPingAttributeFeedsALocationRule() throws Exception {
        Seeds.run(40, 15000, dir, (seed, d) -> {
            try (SimCluster c = new SimCluster(seed, 3, PING_CIB, false, d)) {
                c.attributes.put(2, Map.of("pingd", "100"));
                c.attributes.put(3, Map.of("pingd", "100"));
                assertThat(c.runUntil(() -> c.runningOn("web").size() == 1 && c.quiet(), 20_000)).isTrue();
                assertThat(c.runningOn("web")).as("n1 has no ping: %s", describe(c)).doesNotContain("n1");
                String at = c.runningOn("web").get(0);
                c.attributes.put(at.equals("n2") ? 2 : 3, Map.of("pingd", "0"));
                c.attributes.put(1, Map.of("pingd", "100"));
                assertThat(c.runUntil(() -> c.runningOn("web").equals(List.of("n1")) && c.quiet(), 20_000))
                        .as("moves to the connected, preferred n1: %s", describe(c)).isTrue();
                assertThat(c.log.violations).as(describe(c)).isEmpty();
            }
        });
    }
}
