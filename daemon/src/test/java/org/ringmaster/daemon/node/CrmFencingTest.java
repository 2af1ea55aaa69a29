package org.ringmaster.daemon.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.ringmaster.daemon.node.LocalCluster.dummyState;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ringmaster.crm.api.fencing.FenceResult;
import org.ringmaster.crm.api.fencing.FenceStatus;
import org.ringmaster.crm.api.fencing.Fencer;
import org.ringmaster.crm.simple.run.CrmCommands;
import org.ringmaster.crm.simple.run.SimpleCrm;
import org.ringmaster.fencing.agent.RealFenceAgentsTestSupport;

/**
 * The CRM fencing through a real fence device: three in-process nodes, fencing enabled in the CRM, one
 * {@code fence_dummy} (Debian fence-agents) device that can fence every node. The node running the resource
 * crashes (its agent and transport stop, no leave); a survivor fences it, and only then is the resource
 * started on exactly one survivor.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CrmFencingTest {

    private static final Duration WAIT = Duration.ofSeconds(25);

    @BeforeAll
    static void needsFenceDummy() {
        RealFenceAgentsTestSupport.requireInstalled("/usr/sbin/fence_dummy", "fence-agents");
    }

    private static String config(Path dir, String fencing) throws Exception {
        return LocalCluster.withDummyWeb(dir, "simple", true) + fencing;
    }

    private static long running(Path dir, List<Integer> nodes) {
        return nodes.stream().filter(i -> Files.exists(dummyState(dir, i))).count();
    }

    @Test
    void theLostNodeIsFencedThroughFenceDummyBeforeItsResourceStartsElsewhere(@TempDir Path dir) throws Exception {
        Path power = dir.resolve("power");
        Files.writeString(power, "on"); // fence_dummy compares the whole file: no newline
        String fencing = "fencing {\n device {\n  name: dummy\n  agent: fence_dummy\n  host_list: n1 n2 n3\n"
                + "  status_file: " + power + "\n  timeout: 20s\n  retries: 0\n }\n}\n";
        try (LocalCluster c = LocalCluster.start(dir, 3, config(dir, fencing))) {
            await().atMost(WAIT).until(() -> running(dir, List.of(1, 2, 3)) == 1);
            int lost = IntStream.rangeClosed(1, 3).filter(i -> Files.exists(dummyState(dir, i))).findFirst()
                    .orElseThrow();
            List<Integer> survivors = IntStream.rangeClosed(1, 3).filter(i -> i != lost).boxed().toList();
            int watcher = survivors.get(0);
            Fencer fencer = c.node(watcher).node().fencer().orElseThrow();
            assertThat(fencer).isNotInstanceOf(RefusingFencer.class);

            c.stop(lost, false); // a crash: the agent and its transport stop, nothing is said to the ring

            await().atMost(WAIT).untilAsserted(() -> assertThat(fencer.history())
                    .anySatisfy(r -> {
                        assertThat(r.target()).isEqualTo("n" + lost);
                        assertThat(r.status()).isEqualTo(FenceStatus.SUCCEEDED);
                        assertThat(r.device()).isEqualTo("dummy");
                    }));
            await().atMost(WAIT).until(() -> running(dir, survivors) == 1);
            int now = survivors.stream().filter(i -> Files.exists(dummyState(dir, i))).findFirst().orElseThrow();
            SimpleCrm crm = (SimpleCrm) c.node(watcher).node().crm().orElseThrow();
            await().atMost(WAIT).untilAsserted(() -> assertThat(
                    CrmCommands.of(crm).run(List.of("resource", "status", "web")).text())
                    .contains("web\tStarted on n" + now + "\n"));
            assertThat(running(dir, survivors)).isEqualTo(1);

            FenceResult fenced = fencer.history().stream()
                    .filter(r -> r.target().equals("n" + lost) && r.status() == FenceStatus.SUCCEEDED)
                    .findFirst().orElseThrow();
            // completedAt is the executor's clock when fence_dummy finished; the dummy's state file is written
            // by its start (monitors only read it)
            Instant started = Files.getLastModifiedTime(dummyState(dir, now)).toInstant();
            assertThat(fenced.completedAt()).as("fenced before the start").isBeforeOrEqualTo(started);
            // every survivor's fencer learnt the same result (the executor's completion time travels with it)
            for (int i : survivors) {
                await().atMost(WAIT).untilAsserted(() -> assertThat(c.node(i).node().fencer().orElseThrow().history())
                        .contains(fenced));
            }
            // fence_dummy really ran: a reboot is off then on, so the status file was rewritten.
            assertThat(Files.getLastModifiedTime(power).toInstant()).isBeforeOrEqualTo(started);
            assertThat(Files.readString(power).strip()).isEqualTo("on");
        }
    }

    /** Starts the cluster, waits for web to run, crashes its node; returns the lost node's number. */
    private static int crashTheNodeRunningWeb(LocalCluster c, Path dir) throws Exception {
        await().atMost(WAIT).until(() -> running(dir, List.of(1, 2, 3)) == 1);
        int lost = IntStream.rangeClosed(1, 3).filter(i -> Files.exists(dummyState(dir, i))).findFirst()
                .orElseThrow();
        c.stop(lost, false);
        return lost;
    }

    @Test
    void withFencingFailingTheResourceDoesNotStartElsewhere(@TempDir Path dir) throws Exception {
        String fencing = "fencing {\n device {\n  name: broken\n  agent: fence_dummy\n  type: fail\n"
                + "  power_timeout: 1\n  host_list: n1 n2 n3\n  retries: 0\n }\n}\n";
        try (LocalCluster c = LocalCluster.start(dir, 3, config(dir, fencing))) {
            int lost = crashTheNodeRunningWeb(c, dir);
            List<Integer> survivors = IntStream.rangeClosed(1, 3).filter(i -> i != lost).boxed().toList();
            Fencer fencer = c.node(survivors.get(0)).node().fencer().orElseThrow();
            await().atMost(WAIT).until(() -> fencer.history().stream().anyMatch(r -> r.target().equals("n" + lost)
                    && r.status() == FenceStatus.FAILED && r.detail().contains("broken: fence_dummy reboot: exit 1")));
            // The fencing is retried and keeps failing; the resource stays stopped on the survivors.
            await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(8))
                    .until(() -> running(dir, survivors) == 0);
            assertThat(fencer.history()).noneMatch(r -> r.succeeded());
        }
    }

    @Test
    void manualFencingWaitsForTheAdminsConfirmationBeforeRecovery(@TempDir Path dir) throws Exception {
        String fencing = "fencing {\n device {\n  name: desk\n  agent: manual\n }\n}\n";
        try (LocalCluster c = LocalCluster.start(dir, 3, config(dir, fencing))) {
            int lost = crashTheNodeRunningWeb(c, dir);
            List<Integer> survivors = IntStream.rangeClosed(1, 3).filter(i -> i != lost).boxed().toList();
            // Nothing happens until the admin confirms.
            await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6))
                    .until(() -> running(dir, survivors) == 0);
            Fencer fencer = c.node(survivors.get(0)).node().fencer().orElseThrow();
            assertThat(fencer.history()).noneMatch(r -> r.target().equals("n" + lost));

            Instant confirmed = Instant.now();
            java.io.StringWriter out = new java.io.StringWriter();
            java.io.StringWriter err = new java.io.StringWriter();
            int code = org.ringmaster.daemon.cli.Ringctl.run(new java.io.PrintWriter(out), new java.io.PrintWriter(err),
                    "fence", "confirm", "n" + lost, "--socket", c.node(survivors.get(1)).socket().toString());
            assertThat(code).as(out + "" + err).isZero();
            assertThat(out.toString()).contains("reboot n" + lost + ": succeeded via manual");

            await().atMost(WAIT).until(() -> running(dir, survivors) == 1);
            int now = survivors.stream().filter(i -> Files.exists(dummyState(dir, i))).findFirst().orElseThrow();
            assertThat(Files.getLastModifiedTime(dummyState(dir, now)).toInstant()).isAfterOrEqualTo(
                    confirmed.minusMillis(10)); // file times may be coarser than the clock
        }
    }

    @Test
    void aBadFencingSectionIsRefusedNamingThePlaceAndKey(@TempDir Path dir) throws Exception {
        String text = config(dir, "fencing {\n device {\n  name: d\n  agent: fence_dummy\n  host_list: n2\n"
                + "  retries: lots\n }\n}\n");
        long line = text.lines().takeWhile(l -> !l.contains("retries: lots")).count() + 1;
        LocalCluster.assertThatN1Refuses(dir, text)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("fencing: ")
                .hasMessageContaining("test.conf:" + line + ":")
                .hasMessageContaining("retries");
    }

    @Test
    void devicesAreCheckedAgainstTheirAgentsMetadataAtStartup(@TempDir Path dir) throws Exception {
        String text = config(dir, "fencing {\n device {\n  name: d\n  agent: fence_dummy\n  host_list: n2\n"
                + "  colour: blue\n }\n device {\n  name: pill\n  agent: poison-pill\n }\n"
                + " device {\n  name: nope\n  agent: fence_no_such_agent\n }\n}\n");
        List<String> lines = text.lines().toList();
        int colour = lines.indexOf("  colour: blue") + 1;
        int pill = lines.indexOf("  name: pill"); // the device line above it
        int nope = lines.indexOf("  agent: fence_no_such_agent") + 1;
        LocalCluster.assertThatN1Refuses(dir, text)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("fencing: ")
                .hasMessageContaining("test.conf:" + colour + ":3: fence device 'd': unknown parameter 'colour' "
                        + "for agent fence_dummy")
                .hasMessageContaining("test.conf:" + pill + ":2: fence device 'pill': missing required "
                        + "parameter 'disk' for agent poison-pill")
                .hasMessageContaining("test.conf:" + nope + ":3: fence device 'nope': cannot read the metadata "
                        + "of agent fence_no_such_agent");
    }
}
