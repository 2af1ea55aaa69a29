package org.ringmaster.daemon.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.ringmaster.daemon.node.LocalCluster.dummyState;
import static org.ringmaster.daemon.node.LocalCluster.ringctl;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ringmaster.crm.simple.run.CommandResult;
import org.ringmaster.crm.simple.run.CrmCommands;
import org.ringmaster.crm.simple.run.SimpleCrm;
import org.ringmaster.daemon.cli.Ringctl;

/**
 * The CRM inside the daemon: three in-process nodes on 127.0.0.1-3 with a {@code crm} section whose seed
 * configuration has one {@code builtin:dummy}; it starts on exactly one node, and {@code ringctl resource ...}
 * reaches it over the admin socket.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CrmHostTest {

    private static final Duration WAIT = Duration.ofSeconds(25);

    @Test
    void dummyStartsOnExactlyOneNodeAndRingctlSeesIt(@TempDir Path dir) throws Exception {
        try (LocalCluster c = LocalCluster.start(dir, 3, LocalCluster.withDummyWeb(dir, "simple", false))) {
            SimpleCrm crm1 = (SimpleCrm) c.node(1).node().crm().orElseThrow();
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(IntStream.rangeClosed(1, 3).filter(i -> Files.exists(dummyState(dir, i))).count())
                        .as("dummy state files").isEqualTo(1);
                assertThat(CrmCommands.of(crm1).run(List.of("resource", "status", "web")).text())
                        .containsPattern("web\tStarted on n[123]\n");
            });
            int runningOn = IntStream.rangeClosed(1, 3).filter(i -> Files.exists(dummyState(dir, i))).findFirst()
                    .orElseThrow();
            // every node's CRM agrees on where it runs
            for (int i = 1; i <= 3; i++) {
                SimpleCrm crm = (SimpleCrm) c.node(i).node().crm().orElseThrow();
                await().atMost(WAIT).untilAsserted(() -> assertThat(
                        CrmCommands.of(crm).run(List.of("resource", "status", "web")).text())
                        .contains("web\tStarted on n" + runningOn + "\n"));
            }

            String[] list = ringctl(c.node(2).socket(), "resource", "list");
            assertThat(list[0]).as(list[2]).isEqualTo("0");
            assertThat(list[1]).contains("web\tbuiltin:dummy\ttarget-role=Started\ton n" + runningOn);

            String[] unknown = ringctl(c.node(3).socket(), "resource", "status", "nosuch");
            assertThat(unknown[0]).isEqualTo(String.valueOf(CommandResult.FAILED));
            assertThat(unknown[2]).contains("no resource 'nosuch'");

            String[] usage = ringctl(c.node(3).socket(), "node", "standby");
            assertThat(usage[0]).isEqualTo(String.valueOf(CommandResult.USAGE));

            // a change travels the CRM's sub-channel and is applied on every node: stop it
            String[] stop = ringctl(c.node(3).socket(), "resource", "stop", "web");
            assertThat(stop[0]).as(stop[2]).isEqualTo("0");
            await().atMost(WAIT).until(() -> !Files.exists(dummyState(dir, runningOn)));
            await().atMost(WAIT).untilAsserted(() -> assertThat(ringctl(c.node(1).socket(), "resource", "list")[1])
                    .contains("target-role=Stopped\tStopped"));
        }
    }

    @Test
    void withoutACrmSectionNothingRunsAndRingctlSaysSo(@TempDir Path dir) throws Exception {
        try (LocalCluster c = LocalCluster.start(dir, 1)) {
            assertThat(c.node(1).node().crm()).isEmpty();
            String[] r = ringctl(c.node(1).socket(), "resource", "list");
            assertThat(r[0]).isEqualTo(String.valueOf(Ringctl.INVALID));
            assertThat(r[2]).contains("no cluster resource manager runs on this node");
            assertThat(dir.resolve("state").resolve("crm")).doesNotExist();
        }
    }

    @Test
    void anUnknownPluginIsRefusedNamingTheKey(@TempDir Path dir) throws Exception {
        LocalCluster.assertThatN1Refuses(dir, LocalCluster.withDummyWeb(dir, "nosuch", false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("crm.plugin = nosuch").hasMessageContaining("simple");
    }

    @Test
    void theFencerRefusesEveryRequestWithItsReason() throws Exception {
        var result = new RefusingFencer("n1").fence(org.ringmaster.crm.api.fencing.FenceRequest.reboot("n2", "lost"))
                .get(1, TimeUnit.SECONDS);
        assertThat(result.status()).isEqualTo(org.ringmaster.crm.api.fencing.FenceStatus.REFUSED);
        assertThat(result.detail()).isEqualTo("no fencing section is configured");
        assertThat(result.target()).isEqualTo("n2");
    }
}
