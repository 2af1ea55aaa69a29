package org.ringmaster.crm.simple.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ringmaster.crm.simple.run.FailoverSimulationTest.describe;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ringmaster.totem.Guarantee;

/** Bad input: garbage on the channel, a broken seed file, a corrupt state file, a start that fails. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RobustnessSimulationTest {
    @TempDir
    Path dir;

    static final String CFG = Configs.of(3, true, "stop", Configs.dummy("web") + Configs.location("web", "n1", 100));

    @Test
    void garbageOnTheChannelIsCountedAndIgnored() throws Exception {
        try (SimCluster c = new SimCluster(1, 3, CFG, true, dir.resolve("sim"))) {
            assertThat(c.runUntil(() -> c.runningOn("web").equals(List.of("n1")) && c.quiet(), 20_000)).isTrue();
            byte[] junk = {0x52, 1, 42, 7, 7};
            c.nodes[2].offer(new UnsafeBuffer(junk), 0, junk.length, Guarantee.AGREED);
            c.nodes[3].offer(new UnsafeBuffer(new byte[0]), 0, 0, Guarantee.AGREED);
            c.runFor(500);
            for (int i = 1; i <= 3; i++) {
                assertThat(c.nodes[i].meters.counter("ringmaster.crm.messages.malformed").count()).isEqualTo(2.0);
            }
            assertThat(c.command(3, "resource", "move", "web", "n2").exitCode()).isZero();
            assertThat(c.runUntil(() -> c.runningOn("web").equals(List.of("n2")) && c.quiet(), 20_000))
                    .as(describe(c)).isTrue();
            assertThat(c.nodes[1].meters.counter("ringmaster.crm.transitions").count()
                    + c.nodes[2].meters.counter("ringmaster.crm.transitions").count()).isGreaterThanOrEqualTo(2.0);
        }
    }

    @Test
    void aBrokenSeedFileIsRefusedNamingFileAndLine() throws Exception {
        Path bad = dir.resolve("bad.conf");
        Files.writeString(bad, "resources {\n  primitive {\n    id: web\n  }\n}\n");
        try (SimCluster c = new SimCluster(1, 1, CFG, true, dir.resolve("sim"))) {
            SimpleCrm crm = new SimpleCrm(new CrmSettings(bad, Duration.ofSeconds(1), Duration.ofSeconds(1),
                    Duration.ofSeconds(1), Duration.ofSeconds(1)));
            assertThatThrownBy(() -> crm.start(c.nodes[1])).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("bad.conf").hasMessageContaining(":2");
            SimpleCrm missing = new SimpleCrm(new CrmSettings(dir.resolve("nope.conf"), Duration.ofSeconds(1),
                    Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1)));
            assertThatThrownBy(() -> missing.start(c.nodes[1])).hasMessageContaining("nope.conf: cannot read");
        }
    }

    @Test
    void aCorruptStateFileIsSetAsideAndPeersBringTheNodeUpToDate() throws Exception {
        try (SimCluster c = new SimCluster(2, 3, CFG, true, dir.resolve("sim"))) {
            assertThat(c.runUntil(() -> c.runningOn("web").equals(List.of("n1")) && c.quiet(), 20_000)).isTrue();
            assertThat(c.command(1, "resource", "ban", "web", "n3").exitCode()).isZero();
            c.rebootDelayNs = -1;
            c.crash(2);
            Files.write(c.nodes[2].stateDir.resolve(StateStore.FILE), new byte[] {1, 2, 3});
            c.runFor(2000);
            c.restart(2);
            assertThat(c.runUntil(c::quiet, 20_000)).as(describe(c)).isTrue();
            assertThat(c.nodes[2].crm.snapshot().config().epoch()).isEqualTo(1);
            assertThat(c.nodes[2].crm.snapshot().config().overlay()).containsKey("loc:cli-ban-web-on-n3");
            try (var files = Files.list(c.nodes[2].stateDir)) {
                assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.contains(".corrupt-"));
            }
        }
    }

    @Test
    void aFailedStartBansTheNodeAndStartsElsewhere() throws Exception {
        Seeds.run(30, 16000, dir, (seed, d) -> {
            try (SimCluster c = new SimCluster(seed, 3, CFG, true, d)) {
                c.nodes[1].lrm.failStart.add("web");
                assertThat(c.runUntil(() -> c.runningOn("web").size() == 1 && c.quiet(), 20_000))
                        .as(describe(c)).isTrue();
                assertThat(c.runningOn("web").get(0)).isNotEqualTo("n1");
                assertThat(c.nodes[3].crm.snapshot().records().get("n1").failCount("web")).isEqualTo(1_000_000);
                assertThat(CrmCommands.of(c.nodes[3].crm).run(List.of("resource", "failcount", "web", "n1")).text())
                        .isEqualTo("web\tn1\tINFINITY\n");
                assertThat(c.log.violations).as(describe(c)).isEmpty();
            }
        });
    }
}
