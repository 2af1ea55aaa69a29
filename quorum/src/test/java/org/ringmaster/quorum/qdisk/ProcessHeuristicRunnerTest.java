package org.ringmaster.quorum.qdisk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ProcessHeuristicRunnerTest
{
    @Test
    void exitCodesTimeoutsAndMissingProgramsScore()
    {
        final Map<String, String> results = new ConcurrentHashMap<>();
        try (ProcessHeuristicRunner runner = new ProcessHeuristicRunner())
        {
            for (final String program : new String[] {"exit 0", "exit 3", "/nonexistent/check-gw", "echo garbage; exit 0"})
            {
                runner.start(new Heuristic(program, 1, 1000, 1, 5000), (ok, detail) -> results.put(program, ok + " " + detail));
            }
            runner.start(new Heuristic("sleep 30", 1, 1000, 1, 200), (ok, detail) -> results.put("sleep 30", ok + " " + detail));
            await().atMost(Duration.ofSeconds(15)).until(() -> results.size() == 5);
            assertThat(results).containsEntry("exit 0", "true exit 0").containsEntry("exit 3", "false exit 3")
                .containsEntry("/nonexistent/check-gw", "false exit 127")
                .containsEntry("echo garbage; exit 0", "true exit 0")
                .containsEntry("sleep 30", "false timed out after 200 ms");
            await().atMost(Duration.ofSeconds(5)).until(() -> runner.running() == 0); // the hung one was killed
        }
    }

    @Test
    void aNodeWhoseRealHeuristicFailsNeverClaimsTheDisk()
    {
        final MemoryDiskIo disk = new MemoryDiskIo(4);
        QuorumDisk.format(disk.view("fmt"), "", 4);
        final QdiskConfig cfg = QdiskConfig.builder().intervalMs(50).tko(4)
            .heuristic(new Heuristic("exit 1", 1, 50, 1, 2000)).build();
        try (QuorumDisk d = new QuorumDisk(cfg, 1, disk.view("mem"), new ProcessHeuristicRunner(), 1))
        {
            await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
                .until(() -> {
                    d.doWork(System.nanoTime());
                    return !d.castsVote() && d.state() == QdiskState.NONE;
                });
            assertThat(d.score()).isZero();
        }
        final QdiskConfig ok = QdiskConfig.builder().intervalMs(50).tko(4)
            .heuristic(new Heuristic("true", 1, 50, 1, 2000)).build();
        try (QuorumDisk d = new QuorumDisk(ok, 1, disk.view("mem"), new ProcessHeuristicRunner(), 2))
        {
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10)).until(() -> {
                d.doWork(System.nanoTime());
                return d.castsVote();
            });
            assertThat(d.score()).isEqualTo(1);
        }
    }
}
