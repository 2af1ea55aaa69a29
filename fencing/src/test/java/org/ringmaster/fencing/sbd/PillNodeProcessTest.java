package org.ringmaster.fencing.sbd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three node processes on one shared poison-pill file. Each node's watchdog is an external supervisor (this test)
 * that kills the node process when it stops feeding; no watchdog device of the machine is ever touched.
 */
@Timeout(60)
class PillNodeProcessTest {

    static final PoisonPillDisk.Layout LAYOUT =
        new PoisonPillDisk.Layout(512, 8, Duration.ofMillis(2000), Duration.ofMillis(4000));

    @TempDir
    Path dir;
    Path image;
    final Map<String, Node> nodes = new LinkedHashMap<>();

    /** A node process and its supervisor (the simulated hardware watchdog). */
    static final class Node {
        final String name;
        final Process process;
        final List<String> lines = new CopyOnWriteArrayList<>();
        volatile long lastFeedNs = System.nanoTime();
        volatile boolean resetByWatchdog;
        final Thread reader;
        final Thread supervisor;

        Node(String name, Process process) {
            this.name = name;
            this.process = process;
            reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        if (line.equals("feed") || line.startsWith("armed")) {
                            lastFeedNs = System.nanoTime(); // arming starts the countdown, like opening the device
                        }
                        if (!line.equals("feed")) {
                            lines.add(line);
                        }
                    }
                } catch (IOException ignored) {
                    // process gone
                }
            }, "reader-" + name);
            supervisor = new Thread(() -> {
                while (process.isAlive()) {
                    boolean armed = lines.stream().anyMatch(l -> l.startsWith("armed"));
                    if (armed && System.nanoTime() - lastFeedNs > LAYOUT.watchdogTimeout().toNanos()) {
                        resetByWatchdog = true;
                        process.destroyForcibly();
                        return;
                    }
                    java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
                }
            }, "watchdog-" + name);
            reader.setDaemon(true);
            supervisor.setDaemon(true);
            reader.start();
            supervisor.start();
        }
    }

    @BeforeEach
    void startNodes() throws Exception {
        image = dir.resolve("shared.img");
        PoisonPillDisk.create(image, LAYOUT).close();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (String n : List.of("node1", "node2", "node3")) {
            Process p = new ProcessBuilder(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-Xmx32m",
                "-cp", System.getProperty("java.class.path"), PillNodeMain.class.getName(), image.toString(), n, "100")
                .redirectErrorStream(true).start();
            nodes.put(n, new Node(n, p));
        }
        for (Node n : nodes.values()) {
            await().atMost(Duration.ofSeconds(30)).failFast(() -> !n.process.isAlive())
                .alias(n.name + " starting (output so far: " + n.lines + ")")
                .until(() -> n.lines.stream().anyMatch(l -> l.startsWith("started")));
        }
    }

    @AfterEach
    void stopNodes() throws Exception {
        for (Node n : nodes.values()) {
            n.process.destroyForcibly();
            assertThat(n.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    void pill(String target, SlotMessage m) throws IOException {
        try (PoisonPillDisk d = PoisonPillDisk.open(image)) {
            d.message(target, m, "test", System.currentTimeMillis());
        }
    }

    @Test
    void theVictimReceivesThePillAndEndsItselfWithinMsgwait() throws Exception {
        long sent = System.nanoTime();
        pill("node3", SlotMessage.RESET);
        Node victim = nodes.get("node3");
        await().atMost(LAYOUT.msgwait()).until(() -> !victim.process.isAlive());
        assertThat(Duration.ofNanos(System.nanoTime() - sent)).isLessThan(LAYOUT.msgwait());
        assertThat(victim.process.exitValue()).isEqualTo(PillNodeMain.SELF_FENCED_EXIT);
        assertThat(victim.lines).contains("SELF-FENCE RESET poison pill RESET from test");
        assertThat(victim.resetByWatchdog).isFalse();
        assertThat(nodes.get("node1").process.isAlive()).isTrue();
        assertThat(nodes.get("node2").process.isAlive()).isTrue();
    }

    @Test
    void aHungVictimIsResetByTheWatchdogPath() throws Exception {
        Node victim = nodes.get("node2");
        Process stop = new ProcessBuilder("kill", "-STOP", Long.toString(victim.process.pid())).start();
        assertThat(stop.waitFor(5, TimeUnit.SECONDS)).isTrue();
        long sent = System.nanoTime();
        pill("node2", SlotMessage.RESET);
        await().atMost(LAYOUT.msgwait()).until(() -> !victim.process.isAlive());
        assertThat(Duration.ofNanos(System.nanoTime() - sent)).isLessThan(LAYOUT.msgwait());
        assertThat(victim.resetByWatchdog).isTrue();
        assertThat(victim.lines).noneMatch(l -> l.startsWith("SELF-FENCE"));
        assertThat(nodes.get("node1").process.isAlive()).isTrue();
        assertThat(nodes.get("node3").process.isAlive()).isTrue();
    }

    @Test
    void garbageWrittenOverTheSlotsFencesNobody() throws Exception {
        SplittableRandom rnd = new SplittableRandom(11);
        byte[] junk = new byte[512 * 8];
        List<Long> writes = new ArrayList<>();
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            for (int round = 0; round < 5; round++) {
                for (int i = 0; i < junk.length; i++) {
                    junk[i] = (byte) rnd.nextInt(256);
                }
                f.seek(512);
                f.write(junk);
                writes.add(System.nanoTime());
            }
        }
        await().during(LAYOUT.msgwait()).atMost(LAYOUT.msgwait().plusSeconds(2))
            .until(() -> nodes.values().stream().allMatch(n -> n.process.isAlive()));
        for (Node n : nodes.values()) {
            assertThat(n.lines).as(n.name).noneMatch(l -> l.startsWith("SELF-FENCE"));
            assertThat(n.resetByWatchdog).as(n.name).isFalse();
        }
        assertThat(writes).hasSize(5);
    }
}
