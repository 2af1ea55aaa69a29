package org.ringmaster.fencing.sbd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Three nodes sharing one poison-pill file, on a virtual clock, with simulated watchdogs. */
@Timeout(30)
class PillWatcherTest {

    static final long MS = 1_000_000L;
    static final PoisonPillDisk.Layout LAYOUT =
        new PoisonPillDisk.Layout(512, 16, Duration.ofSeconds(5), Duration.ofSeconds(10));

    @TempDir
    Path dir;
    Path image;
    long nowNs = 10_000 * MS;

    final Map<String, Node> nodes = new LinkedHashMap<>();

    static final class Node {
        PoisonPillDisk disk;
        FlakyDiskIo io;
        PillWatcher watcher;
        final SimulatedWatchdog watchdog = new SimulatedWatchdog();
        final List<String> selfFenced = new ArrayList<>();
        final AtomicBoolean quorate = new AtomicBoolean(true);
        boolean hung;
    }

    @BeforeEach
    void createDisk() {
        image = dir.resolve("pill.img");
        PoisonPillDisk.create(image, LAYOUT).close();
    }

    @AfterEach
    void closeDisks() {
        nodes.values().forEach(n -> n.disk.close());
    }

    Node start(String name, WatcherConfig.QuorumPolicy policy) throws Exception {
        Node n = new Node();
        n.io = new FlakyDiskIo(image);
        n.disk = PoisonPillDisk.open(image.toString(), n.io);
        WatcherConfig cfg = WatcherConfig.defaults(name, LAYOUT).withQuorumPolicy(policy);
        n.watcher = new PillWatcher(cfg, n.disk, n.watchdog, (a, why) -> n.selfFenced.add(a + ": " + why),
            n.quorate::get, () -> nowNs / MS);
        n.watcher.start(nowNs);
        nodes.put(name, n);
        return n;
    }

    void startThree() throws Exception {
        for (String n : List.of("node1", "node2", "node3")) {
            start(n, WatcherConfig.QuorumPolicy.IGNORE);
        }
    }

    /** Advances the virtual clock in 100 ms duty cycles; hung nodes do nothing. */
    void run(long ms) {
        for (long t = 0; t < ms; t += 100) {
            nowNs += 100 * MS;
            for (Node n : nodes.values()) {
                if (!n.hung) {
                    n.watcher.doWork(nowNs);
                }
            }
        }
    }

    void sendPill(String target, SlotMessage m) throws Exception {
        try (PoisonPillDisk d = PoisonPillDisk.open(image)) {
            d.message(target, m, "node1", nowNs / MS);
        }
    }

    @Test
    void theVictimTakesThePillWithinTheReadIntervalAndOthersStayUp() throws Exception {
        startThree();
        run(3_000);
        long sentAt = nowNs;
        sendPill("node3", SlotMessage.RESET);
        run(1_100);
        Node victim = nodes.get("node3");
        assertThat(victim.selfFenced).containsExactly("RESET: poison pill RESET from node1");
        assertThat(victim.watcher.state()).isEqualTo(PillWatcher.State.SELF_FENCED);
        // Even if the self-fence did nothing, the watchdog (no longer fed) resets the node before msgwait ends.
        run(LAYOUT.msgwait().toMillis());
        assertThat(victim.watchdog.check(nowNs)).isPresent();
        assertThat(victim.watchdog.check(nowNs).getAsLong()).isLessThanOrEqualTo(sentAt + LAYOUT.msgwait().toNanos());
        for (String other : List.of("node1", "node2")) {
            assertThat(nodes.get(other).selfFenced).as(other).isEmpty();
            assertThat(nodes.get(other).watchdog.check(nowNs)).as(other).isEmpty();
        }
    }

    @Test
    void offPillAndTestMessage() throws Exception {
        startThree();
        sendPill("node2", SlotMessage.TEST);
        run(2_000);
        assertThat(nodes.get("node2").selfFenced).isEmpty();
        sendPill("node2", SlotMessage.OFF);
        run(2_000);
        assertThat(nodes.get("node2").selfFenced).containsExactly("OFF: poison pill OFF from node1");
    }

    @Test
    void aHungVictimIsResetByTheWatchdogWithinMsgwait() throws Exception {
        startThree();
        run(2_000);
        Node victim = nodes.get("node3");
        victim.hung = true; // SIGSTOP: it reads nothing and feeds nothing
        long sentAt = nowNs;
        sendPill("node3", SlotMessage.RESET);
        run(LAYOUT.msgwait().toMillis());
        assertThat(victim.selfFenced).isEmpty();
        assertThat(victim.watchdog.check(nowNs)).isPresent();
        long at = victim.watchdog.check(nowNs).getAsLong();
        assertThat(at).isLessThanOrEqualTo(sentAt + LAYOUT.watchdogTimeout().toNanos());
        assertThat(at).isGreaterThan(sentAt);
    }

    @Test
    void losingTheDiskSelfFencesAfterTheDiskTimeoutAndStopsFeeding() throws Exception {
        startThree();
        run(2_000);
        Node n = nodes.get("node2");
        n.io.failReads = "Input/output error";
        long lostAt = nowNs;
        run(3_900); // the timeout counts from the last successful read, up to one read interval before the loss
        assertThat(n.selfFenced).isEmpty();
        assertThat(n.watcher.lastDiskError()).isEqualTo("poison-pill disk " + image
            + ": reading slot 1 failed: Input/output error");
        run(1_200);
        assertThat(n.selfFenced).singleElement().asString()
            .startsWith("RESET: no successful read of poison-pill disk " + image)
            .contains("(diskTimeout 5000 ms): poison-pill disk " + image + ": reading slot 1 failed: Input/output error");
        run(6_000);
        assertThat(n.watchdog.check(nowNs)).isPresent();
        assertThat(n.watchdog.check(nowNs).getAsLong()).isBetween(lostAt + LAYOUT.watchdogTimeout().toNanos(),
            lostAt + 2 * LAYOUT.watchdogTimeout().toNanos());
        assertThat(nodes.get("node1").selfFenced).isEmpty();
    }

    @Test
    void aShortDiskHiccupIsTolerated() throws Exception {
        startThree();
        Node n = nodes.get("node1");
        n.io.failReads = "Input/output error";
        run(3_000);
        n.io.failReads = null;
        run(10_000);
        assertThat(n.selfFenced).isEmpty();
        assertThat(n.watchdog.check(nowNs)).isEmpty();
        assertThat(n.watcher.state()).isEqualTo(PillWatcher.State.HEALTHY);
    }

    @Test
    void quorumLossSelfFencesOnlyWhenPolicySaysSo() throws Exception {
        Node strict = start("node1", WatcherConfig.QuorumPolicy.SELF_FENCE);
        Node lenient = start("node2", WatcherConfig.QuorumPolicy.IGNORE);
        run(1_000);
        strict.quorate.set(false);
        lenient.quorate.set(false);
        run(1_000);
        assertThat(strict.selfFenced).containsExactly("RESET: partition lost quorum (quorumPolicy SELF_FENCE)");
        run(10_000);
        assertThat(strict.watchdog.check(nowNs)).isPresent();
        assertThat(lenient.selfFenced).isEmpty();
        assertThat(lenient.watchdog.check(nowNs)).isEmpty();
    }

    @Test
    void garbageWrittenOverTheSlotsFencesNobody() throws Exception {
        startThree();
        run(1_000);
        SplittableRandom rnd = new SplittableRandom(3);
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            for (int round = 0; round < 20; round++) {
                byte[] junk = new byte[512 * 16];
                for (int i = 0; i < junk.length; i++) {
                    junk[i] = (byte) rnd.nextInt(256);
                }
                f.seek(512);
                f.write(junk);
                run(1_000);
            }
        }
        for (Node n : nodes.values()) {
            assertThat(n.selfFenced).isEmpty();
            assertThat(n.watchdog.check(nowNs)).isEmpty();
            assertThat(n.watcher.corruptReads()).isGreaterThan(0);
        }
    }

    @Test
    void aStalePillIsClearedAtStartOrRefusedWhenConfigured() throws Exception {
        sendPill("node1", SlotMessage.RESET);
        Node n = start("node1", WatcherConfig.QuorumPolicy.IGNORE);
        run(3_000);
        assertThat(n.selfFenced).isEmpty();
        assertThat(n.disk.read(n.watcher.slotIndex()).slot().orElseThrow().message()).isEqualTo(SlotMessage.CLEAR);

        sendPill("node2", SlotMessage.OFF);
        try (PoisonPillDisk d = PoisonPillDisk.open(image)) {
            WatcherConfig cfg = new WatcherConfig("node2", Duration.ofSeconds(1), Duration.ofSeconds(5),
                WatcherConfig.QuorumPolicy.IGNORE, SlotMessage.RESET, false);
            PillWatcher w = new PillWatcher(cfg, d, new SimulatedWatchdog(), (a, why) -> { }, () -> true, () -> 0L);
            assertThatThrownBy(() -> w.start(nowNs)).hasMessageContaining("holds OFF from node1; clear it");
        }
    }

    @Test
    void watchdogIsDisarmedOnlyOnOrderlyStop() throws Exception {
        Node n = start("node1", WatcherConfig.QuorumPolicy.IGNORE);
        run(1_000);
        assertThat(n.watchdog.isArmed()).isTrue();
        assertThat(n.watchdog.feeds()).hasSizeGreaterThan(5);
        n.watcher.stop(nowNs);
        assertThat(n.watchdog.isArmed()).isFalse();
        run(20_000);
        assertThat(n.watchdog.check(nowNs)).isEmpty();
    }

    @Test
    void configValidationNamesTheKey() {
        assertThatThrownBy(() -> new WatcherConfig("n", Duration.ofSeconds(3), Duration.ofSeconds(5),
            WatcherConfig.QuorumPolicy.IGNORE, SlotMessage.RESET, true))
            .hasMessage("pill watcher: diskTimeout (5000 ms) must be at least 2 x readInterval (3000 ms)");
        assertThatThrownBy(() -> new WatcherConfig("n", Duration.ofSeconds(1), Duration.ofSeconds(5),
            WatcherConfig.QuorumPolicy.IGNORE, SlotMessage.TEST, true))
            .hasMessageContaining("lossAction must be RESET or OFF");
    }
}
