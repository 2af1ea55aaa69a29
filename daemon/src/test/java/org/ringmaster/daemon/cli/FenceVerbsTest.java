package org.ringmaster.daemon.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ringmaster.daemon.node.LocalCluster;
import org.ringmaster.fencing.agent.RealFenceAgentsTestSupport;

/**
 * {@code ringctl fence ...} in-process against three nodes with a fencing section (no CRM): devices and topology,
 * device tests, an admin's fencing through two levels (the first, a failing {@code fence_dummy}, fails; the second
 * succeeds) seen in every node's history, and manual fencing that waits for {@code ringctl fence confirm}.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class FenceVerbsTest {

    @TempDir
    static Path dir;
    private static LocalCluster cluster;
    private static Path power;

    /** A fence agent whose device never answers: metadata works, every other action fails. */
    static final String UNREACHABLE_AGENT = """
            #!/bin/sh
            while read -r line; do
              if [ "$line" = "action=metadata" ]; then
                cat <<'XML'
            <?xml version="1.0" ?>
            <resource-agent name="fence_unreachable" shortdesc="a device that cannot be reached">
            <parameters>
              <parameter name="action" required="1"><content type="string"/></parameter>
              <parameter name="plug"><content type="string"/></parameter>
            </parameters>
            <actions><action name="off"/><action name="reboot"/><action name="monitor"/><action name="metadata"/>
            </actions>
            </resource-agent>
            XML
                exit 0
              fi
            done
            echo "Failed: Unable to connect/login to fencing device" >&2
            exit 1
            """;

    private record Run(int code, String out, String err) {
    }

    private static Run ringctl(int node, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
                java.util.stream.Stream.of("--socket", cluster.node(node).socket().toString())).toArray(String[]::new);
        int code = Ringctl.run(new PrintWriter(out), new PrintWriter(err), all);
        return new Run(code, out.toString(), err.toString());
    }

    @BeforeAll
    static void start() throws Exception {
        RealFenceAgentsTestSupport.requireInstalled("/usr/sbin/fence_dummy", "fence-agents");
        Path unreachable = dir.resolve("fence_unreachable");
        Files.writeString(unreachable, UNREACHABLE_AGENT);
        unreachable.toFile().setExecutable(true);
        power = dir.resolve("power");
        Files.writeString(power, "on"); // fence_dummy compares the whole file: no newline
        String fencing = "fencing {\n"
                + " device {\n  name: broken\n  agent: fence_dummy\n  type: fail\n  power_timeout: 1\n"
                + "  host_list: n1 n3\n  retries: 0\n }\n"
                + " device {\n  name: dummy\n  agent: fence_dummy\n  status_file: " + power + "\n"
                + "  host_list: n1 n3\n  retries: 0\n }\n"
                + " device {\n  name: desk\n  agent: manual\n  host_list: n2\n }\n"
                + " device {\n  name: gone\n  agent: " + unreachable + "\n  host_list: n1\n  retries: 0\n }\n"
                + " level {\n  node: n3\n  index: 1\n  devices: broken\n }\n"
                + " level {\n  node: n3\n  index: 2\n  devices: dummy\n }\n"
                + "}\n";
        cluster = LocalCluster.start(dir, 3, LocalCluster.configText(dir, 3, LocalCluster.randomPort()) + fencing);
        await().atMost(Duration.ofSeconds(30)).until(() -> java.util.stream.IntStream.rangeClosed(1, 3)
                .allMatch(i -> cluster.node(i).node().view().members().length == 3
                        && cluster.node(i).node().view().quorum().map(q -> q.quorate()).orElse(false)));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void devicesListsWhatEachDeviceCanFenceAndTheLevels() {
        Run r = ringctl(1, "fence", "devices");
        assertThat(r.code()).as(r.err()).isEqualTo(Ringctl.OK);
        assertThat(r.out()).containsPattern("broken +fence_dummy +n1,n3 \\(static-list\\)")
                .containsPattern("desk +manual +n2 \\(static-list\\)")
                .containsPattern("n3 +level 1: broken").containsPattern("n3 +level 2: dummy");
        Run json = ringctl(2, "fence", "devices", "--json");
        assertThat(json.out()).contains("{\"name\":\"dummy\",\"agent\":\"fence_dummy\",\"nodes\":[\"n1\",\"n3\"],"
                + "\"how\":\"static-list\"}").contains("{\"node\":\"n3\",\"index\":2,\"devices\":[\"dummy\"]}");
    }

    @Test
    void testChecksADeviceWithoutFencing() throws Exception {
        Run ok = ringctl(1, "fence", "test", "dummy");
        assertThat(ok.code()).as(ok.out() + ok.err()).isEqualTo(Ringctl.OK);
        assertThat(ok.out()).startsWith("dummy (fence_dummy) monitor: ok: fence_dummy monitor: exit 0");
        assertThat(Files.readString(power)).isEqualTo("on");
        Run gone = ringctl(1, "fence", "test", "gone", "--json");
        assertThat(gone.code()).isEqualTo(Ringctl.INVALID);
        assertThat(gone.out()).contains("\"device\":\"gone\"").contains("\"action\":\"monitor\",\"ok\":false")
                .contains("Unable to connect/login to fencing device");
        Run manual = ringctl(1, "fence", "test", "desk");
        assertThat(manual.code()).isEqualTo(Ringctl.OK);
        assertThat(manual.out()).contains("ringctl fence confirm NODE");
        Run unknown = ringctl(1, "fence", "test", "nosuch");
        assertThat(unknown.code()).isEqualTo(Ringctl.INVALID);
        assertThat(unknown.err()).contains("no fence device 'nosuch'").contains("broken, dummy, desk, gone");
    }

    @Test
    void fenceGoesThroughTheLevelsAndEveryNodesHistoryShowsBoth() throws Exception {
        Run r = ringctl(1, "fence", "n3", "--action", "off", "--wait", "60");
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(Ringctl.OK);
        assertThat(r.out()).contains("off n3: succeeded by n1 via dummy (asked by n1): level 2 after 1 failed level(s)")
                .contains("    level 1 broken off: failed (fence_dummy off: exit 1")
                .contains("    level 2 dummy off: ok");
        assertThat(Files.readString(power)).isEqualTo("off");
        // Every node learnt the same result through the ring.
        for (int i = 2; i <= 3; i++) {
            int node = i;
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                Run h = ringctl(node, "fence", "history", "n3", "--json");
                assertThat(h.code()).isEqualTo(Ringctl.OK);
                assertThat(h.out()).contains("\"target\":\"n3\",\"action\":\"off\",\"status\":\"succeeded\","
                        + "\"origin\":\"n1\",\"executor\":\"n1\",\"device\":\"dummy\"")
                        .contains("{\"level\":1,\"device\":\"broken\",\"action\":\"off\",\"ok\":false")
                        .contains("{\"level\":2,\"device\":\"dummy\",\"action\":\"off\",\"ok\":true");
            });
        }
        Files.writeString(power, "on");
    }

    @Test
    void manualFencingWaitsForConfirm() {
        Run pending = ringctl(1, "fence", "n2", "--wait", "1");
        assertThat(pending.code()).as(pending.out() + pending.err()).isEqualTo(FenceCommand.PENDING);
        assertThat(pending.err()).contains("n2 is not fenced yet after 1 s");
        Run confirm = ringctl(3, "fence", "confirm", "n2");
        assertThat(confirm.code()).as(confirm.out() + confirm.err()).isEqualTo(Ringctl.OK);
        assertThat(confirm.out()).contains("reboot n2: succeeded via manual (asked by n1): manually confirmed off "
                + "by the admin on n3");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(ringctl(1, "fence", "history", "n2")
                .out()).contains("reboot n2: succeeded via manual (asked by n1)"));
    }

    @Test
    void badCommandLinesAndNodesNoDeviceCanFence() {
        assertThat(ringctl(1, "fence").code()).isEqualTo(Ringctl.USAGE);
        assertThat(ringctl(1, "fence", "n3", "--action", "on").code()).isEqualTo(Ringctl.USAGE);
        Run refused = ringctl(1, "fence", "n9", "--wait", "10");
        assertThat(refused.code()).isEqualTo(Ringctl.INVALID);
        assertThat(refused.out()).contains("reboot n9: refused").contains("no fence device can fence n9");
    }
}
