package org.ringmaster.daemon.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ringmaster.crm.api.fencing.FenceAction;
import org.ringmaster.crm.api.fencing.FenceResult;
import org.ringmaster.crm.api.fencing.FenceStatus;
import org.ringmaster.daemon.cli.Ringctl;
import org.ringmaster.fencing.FenceHistoryEntry;
import org.ringmaster.fencing.sbd.PoisonPillDisk;

/**
 * The {@code poison-pill} device type in the daemon: three in-process nodes share a disk file; fencing n3 writes
 * the pill, n3's watcher reads it and fences itself (here: the node stops), and the operation succeeds only after
 * msgwait. No watchdog device is used.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PoisonPillDaemonTest {

    private static final PoisonPillDisk.Layout LAYOUT =
            new PoisonPillDisk.Layout(512, 8, Duration.ofMillis(1000), Duration.ofMillis(2000));

    private static String run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Ringctl.run(new PrintWriter(out), new PrintWriter(err), args);
        assertThat(code).as(err.toString()).isEqualTo(Ringctl.OK);
        return out.toString();
    }

    @Test
    void thePillIsTakenByTheTargetWithinMsgwait(@TempDir Path dir) throws Exception {
        Path disk = dir.resolve("pill.img");
        run("pill", "create", disk.toString(), "--slots", "8", "--watchdog-timeout", "1s", "--msgwait", "2s",
                "--nodes", "n1,n2,n3");
        String fencing = "fencing {\n device {\n  name: pill\n  agent: poison-pill\n  disk: " + disk + "\n"
                + "  read_interval: 200ms\n }\n}\n";
        try (LocalCluster c = LocalCluster.start(dir, 3, LocalCluster.configText(dir, 3, LocalCluster.randomPort())
                + fencing)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> IntStream.rangeClosed(1, 3).allMatch(i ->
                    c.node(i).node().view().quorum().map(q -> q.quorate()).orElse(false)
                            && c.node(i).node().view().members().length == 3));
            assertThat(run("fence", "test", "pill", "--socket", c.node(1).socket().toString()))
                    .contains("pill (poison-pill) read: ok").contains("8 slots, msgwait 2000 ms")
                    .contains("n1 CLEAR, n2 CLEAR, n3 CLEAR");

            long start = System.nanoTime();
            FenceResult r = c.node(1).node().fencing().orElseThrow().fence("n3", FenceAction.OFF)
                    .get(20, TimeUnit.SECONDS);
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(r.status()).as(r.toString()).isEqualTo(FenceStatus.SUCCEEDED);
            assertThat(r.device()).isEqualTo("pill");
            assertThat(took).as("the fencer waits msgwait").isGreaterThanOrEqualTo(LAYOUT.msgwait());
            // n3 read its slot long before msgwait was over
            assertThat(c.selfFenced(3)).hasValue("OFF: poison pill OFF from n1");
            assertThat(c.selfFenced(1)).isEmpty();
            assertThat(c.selfFenced(2)).isEmpty();
            List<FenceHistoryEntry> h = c.node(2).node().fencing().orElseThrow().history().get(5, TimeUnit.SECONDS);
            assertThat(h).anySatisfy(e -> assertThat(e.attempts()).singleElement().satisfies(a ->
                    assertThat(a.detail()).isEqualTo("OFF written to slot 2 of n3; waited msgwait 2000 ms")));
            await().atMost(Duration.ofSeconds(15)).until(() -> c.node(1).node().view().members().length == 2);
            assertThat(run("pill", "list", disk.toString())).containsPattern("2  n3 +off +from n1 at ");
        }
    }

    @Test
    void aDiskThatCannotBeOpenedStopsTheNodeNamingTheKey(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("no-such.img");
        String text = LocalCluster.configText(dir, 3, LocalCluster.randomPort()) + "fencing {\n device {\n"
                + "  name: pill\n  agent: poison-pill\n  disk: " + missing + "\n }\n}\n";
        long line = text.lines().takeWhile(l -> !l.contains("disk: ")).count() + 1;
        LocalCluster.assertThatN1Refuses(dir, text)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("fencing: test.conf:" + line + ":3: fence device 'pill': poison-pill disk "
                        + missing + ": cannot open")
                .hasMessageEndingWith("(initialise it with 'ringctl pill create " + missing + "')");
    }
}
