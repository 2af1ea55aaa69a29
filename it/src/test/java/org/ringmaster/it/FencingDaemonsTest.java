package org.ringmaster.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ringmaster.daemon.client.NodeStatus;
import org.ringmaster.daemon.client.RingmasterClient;
import org.ringmaster.fencing.agent.RealFenceAgentsTestSupport;

/**
 * Fencing with three real {@code ringmasterd} processes and {@code bin/ringctl}: the node running a resource is
 * killed (SIGKILL) and the survivors fence it before the resource starts elsewhere (through two topology levels,
 * the first failing); with fencing failing the resource stays stopped; a manual device waits for
 * {@code ringctl fence confirm}; a poison pill ends the target daemon.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class FencingDaemonsTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Pattern COMPLETED = Pattern.compile("\"completed\":\"([^\"]+)\"");

    @TempDir
    Path dir;
    private DaemonCluster cluster;

    @BeforeAll
    static void needsFenceDummy() {
        RealFenceAgentsTestSupport.requireInstalled("/usr/sbin/fence_dummy", "fence-agents");
    }

    @AfterEach
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
            System.out.println(cluster.logs());
        }
    }

    private Path dummyState(int node) {
        return dir.resolve("state").resolve("agents").resolve(String.valueOf(node)).resolve("dummy-web.state");
    }

    private long running(List<Integer> nodes) {
        return nodes.stream().filter(i -> Files.exists(dummyState(i))).count();
    }

    /** Three daemons with the CRM (one dummy resource, fencing enabled) and {@code fencing}. */
    private void start(String fencing) throws IOException {
        cluster = DaemonCluster.create(dir, 3);
        Path resources = dir.resolve("resources.conf");
        Files.writeString(resources, """
                resources {
                    options {
                        fencing-enabled: true
                    }
                    primitive {
                        id: web
                        agent: builtin:dummy
                        op: monitor interval=1s
                    }
                }
                """);
        Files.writeString(cluster.config(), "crm {\n    plugin: simple\n    config: " + resources + "\n}\n" + fencing,
                java.nio.file.StandardOpenOption.APPEND);
        cluster.startAll();
    }

    /** Waits until web runs, SIGKILLs its node; returns that node. */
    private int killTheNodeRunningWeb() throws InterruptedException {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> running(List.of(1, 2, 3)) == 1);
        int lost = IntStream.rangeClosed(1, 3).filter(i -> Files.exists(dummyState(i))).findFirst().orElseThrow();
        cluster.kill9(lost);
        return lost;
    }

    /** The {@code fence history} reply lines of node {@code i} about node {@code target}; empty while it cannot answer. */
    private List<String> history(int i, int target) {
        try (RingmasterClient c = RingmasterClient.connect(cluster.socket(i))) {
            return c.fence(List.of("history", "n" + target), 10_000);
        } catch (IOException e) {
            return List.of();
        }
    }

    private static List<Integer> others(int lost) {
        return IntStream.rangeClosed(1, 3).filter(i -> i != lost).boxed().toList();
    }

    private static String levels(String... devices) {
        StringBuilder s = new StringBuilder();
        for (int n = 1; n <= 3; n++) {
            for (int l = 0; l < devices.length; l++) {
                s.append("    level {\n        node: n").append(n).append("\n        index: ").append(l + 1)
                        .append("\n        devices: ").append(devices[l]).append("\n    }\n");
            }
        }
        return s.toString();
    }

    private static final String BROKEN = "    device {\n        name: broken\n        agent: fence_dummy\n"
            + "        type: fail\n        power_timeout: 1\n        host_list: n1 n2 n3\n        retries: 0\n    }\n";

    @Test
    void theLostNodeIsFencedThroughTheSecondLevelBeforeItsResourceStartsElsewhere() throws Exception {
        Path power = dir.resolve("power");
        Files.writeString(power, "on");
        start("fencing {\n" + BROKEN + "    device {\n        name: dummy\n        agent: fence_dummy\n"
                + "        status_file: " + power + "\n        host_list: n1 n2 n3\n        retries: 0\n    }\n"
                + levels("broken", "dummy") + "}\n");
        int lost = killTheNodeRunningWeb();
        List<Integer> survivors = others(lost);
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> running(survivors) == 1);
        int now = survivors.stream().filter(i -> Files.exists(dummyState(i))).findFirst().orElseThrow();
        Instant started = Files.getLastModifiedTime(dummyState(now)).toInstant();

        for (int i : survivors) {
            DaemonCluster.Result h = cluster.ringctl(i, "fence", "history", "n" + lost, "--json");
            assertThat(h.code()).as(h.output()).isZero();
            assertThat(h.output()).contains("\"target\":\"n" + lost + "\",\"action\":\"reboot\",\"status\":\"succeeded\"")
                    .contains("\"device\":\"dummy\"")
                    .contains("{\"level\":1,\"device\":\"broken\",\"action\":\"reboot\",\"ok\":false")
                    .contains("{\"level\":2,\"device\":\"dummy\",\"action\":\"reboot\",\"ok\":true");
            Matcher m = COMPLETED.matcher(h.output());
            assertThat(m.find()).isTrue();
            assertThat(Instant.parse(m.group(1))).as("fenced before web started on n%d", now)
                    .isBeforeOrEqualTo(started);
        }
        DaemonCluster.Result text = cluster.ringctl(survivors.get(0), "fence", "history");
        assertThat(text.output()).contains("reboot n" + lost + ": succeeded")
                .contains("    level 1 broken reboot: failed").contains("    level 2 dummy reboot: ok");
        assertThat(running(survivors)).isEqualTo(1);
    }

    @Test
    void withFencingFailingTheResourceDoesNotStartElsewhere() throws Exception {
        start("fencing {\n" + BROKEN + "}\n");
        int lost = killTheNodeRunningWeb();
        List<Integer> survivors = others(lost);
        // Polled through the client library (a ringctl process per poll would be slow); ringctl checks below.
        await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> history(survivors.get(0), lost).stream()
                .anyMatch(l -> l.startsWith("op ") && l.contains(" reboot failed ")));
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(8)).until(() -> running(survivors) == 0);
        DaemonCluster.Result h = cluster.ringctl(survivors.get(1), "fence", "history", "n" + lost, "--json");
        assertThat(h.output()).doesNotContain("\"status\":\"succeeded\"").contains("fence_dummy reboot: exit 1");
    }

    @Test
    void manualFencingWaitsForRingctlFenceConfirm() throws Exception {
        start("fencing {\n    device {\n        name: desk\n        agent: manual\n    }\n}\n");
        int lost = killTheNodeRunningWeb();
        List<Integer> survivors = others(lost);
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(8)).until(() -> running(survivors) == 0);
        Instant confirmed = Instant.now();
        DaemonCluster.Result c = cluster.ringctl(survivors.get(1), "fence", "confirm", "n" + lost);
        assertThat(c.code()).as(c.output()).isZero();
        assertThat(c.output()).contains("reboot n" + lost + ": succeeded via manual");
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> running(survivors) == 1);
        int now = survivors.stream().filter(i -> Files.exists(dummyState(i))).findFirst().orElseThrow();
        assertThat(Files.getLastModifiedTime(dummyState(now)).toInstant()).isAfterOrEqualTo(confirmed.minusMillis(10));
    }

    @Test
    void aPoisonPillEndsTheTargetDaemon() throws Exception {
        cluster = DaemonCluster.create(dir, 3);
        Path disk = dir.resolve("pill.img");
        DaemonCluster.Result created = DaemonCluster.run(dir.resolve("pill-create.out"), DaemonCluster.RINGCTL,
                "pill", "create", disk.toString(), "--slots", "4", "--watchdog-timeout", "1s", "--msgwait", "2s",
                "--nodes", "n1,n2,n3");
        assertThat(created.code()).as(created.output()).isZero();
        Files.writeString(cluster.config(), "fencing {\n    device {\n        name: pill\n        agent: poison-pill\n"
                + "        disk: " + disk + "\n    }\n}\n", java.nio.file.StandardOpenOption.APPEND);
        cluster.startAll();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> IntStream.rangeClosed(1, 3)
                .allMatch(i -> {
                    NodeStatus s = cluster.status(i);
                    return s != null && s.members().length == 3 && s.quorate().orElse(false);
                }));
        Process victim = cluster.process(3);
        DaemonCluster.Result r = cluster.ringctl(1, "fence", "n3", "--action", "off");
        assertThat(r.code()).as(r.output()).isZero();
        assertThat(r.output()).contains("off n3: succeeded by n1 via pill");
        assertThat(victim.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(victim.exitValue()).isEqualTo(86);
        assertThat(Files.readString(cluster.log(3))).contains("SELF-FENCING (OFF): poison pill OFF from n1");
    }
}
