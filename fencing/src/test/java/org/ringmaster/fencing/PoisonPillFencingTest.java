package org.ringmaster.fencing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ringmaster.crm.api.fencing.FenceRequest;
import org.ringmaster.crm.api.fencing.FenceResult;
import org.ringmaster.crm.api.fencing.FenceStatus;
import org.ringmaster.fencing.sbd.PillWatcher;
import org.ringmaster.fencing.sbd.PoisonPillDeviceRunner;
import org.ringmaster.fencing.sbd.PoisonPillDisk;
import org.ringmaster.fencing.sbd.SimulatedWatchdog;
import org.ringmaster.fencing.sbd.WatcherConfig;

/** The fencer using the built-in poison-pill device while every node watches its slot (virtual clock). */
@Timeout(30)
class PoisonPillFencingTest {

    static final List<String> NODES = List.of("node1", "node2", "node3");
    static final PoisonPillDisk.Layout LAYOUT =
        new PoisonPillDisk.Layout(512, 8, Duration.ofSeconds(5), Duration.ofSeconds(10));

    @TempDir
    Path dir;

    final List<PoisonPillDisk> disks = new ArrayList<>();

    @AfterEach
    void close() {
        disks.forEach(PoisonPillDisk::close);
    }

    @Test
    void fencingWritesThePillTheVictimSelfFencesAndSuccessComesAfterMsgwait() {
        Path image = dir.resolve("shared.img");
        PoisonPillDisk.create(image, LAYOUT).close();
        FencingConfig cfg = FencingConfig.builder()
            .device(FenceDevice.builder("pill", FenceDevice.POISON_PILL).hostCheck(FenceDevice.HostCheck.NONE).build())
            .build();
        Map<String, List<String>> selfFenced = new LinkedHashMap<>();
        Map<String, PillWatcher> watchers = new LinkedHashMap<>();
        long[] clock = {0};
        FencerCluster cluster = new FencerCluster(cfg, NODES, 21, node -> {
            PoisonPillDisk d = PoisonPillDisk.open(image);
            disks.add(d);
            return new PoisonPillDeviceRunner(d, node, Runnable::run, () -> 0L);
        });
        for (String n : NODES) {
            PoisonPillDisk d = PoisonPillDisk.open(image);
            disks.add(d);
            List<String> log = new ArrayList<>();
            selfFenced.put(n, log);
            PillWatcher w = new PillWatcher(WatcherConfig.defaults(n, LAYOUT), d, new SimulatedWatchdog(),
                (a, why) -> log.add(a + " " + why), () -> true, () -> 0L);
            w.start(cluster.nowNs);
            watchers.put(n, w);
        }
        List<FenceResult> mine = cluster.submit("node1", FenceRequest.reboot("node3", "lost"));
        for (int i = 0; i < 120; i++) { // 12 s in 100 ms steps
            cluster.advanceMs(100);
            watchers.values().forEach(w -> w.doWork(cluster.nowNs));
            if (i == 98) {
                assertThat(mine).as("not fenced before msgwait").isEmpty();
            }
        }
        assertThat(selfFenced.get("node3")).containsExactly("RESET poison pill RESET from node1");
        assertThat(selfFenced.get("node1")).isEmpty();
        assertThat(selfFenced.get("node2")).isEmpty();
        assertThat(mine).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(FenceStatus.SUCCEEDED);
            assertThat(r.device()).isEqualTo("pill");
        });
        assertThat(cluster.node("node2").history().get(0).attempts().get(0).detail())
            .contains("RESET written to slot").contains("waited msgwait 10000 ms");
    }
}
