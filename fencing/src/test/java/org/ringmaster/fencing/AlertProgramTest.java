package org.ringmaster.fencing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ringmaster.crm.api.fencing.FenceAction;
import org.ringmaster.crm.api.fencing.FenceResult;
import org.ringmaster.crm.api.fencing.FenceStatus;

@Timeout(30)
class AlertProgramTest {

    @TempDir
    Path dir;

    final ExecutorService workers = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() throws InterruptedException {
        workers.shutdownNow();
        assertThat(workers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    static FenceHistoryEntry entry(FenceStatus status) {
        return new FenceHistoryEntry(new FenceResult(7, "node2", FenceAction.REBOOT, status, "node1", "node3",
            status == FenceStatus.SUCCEEDED ? "pdu" : "", "detail", Instant.parse("2026-01-02T03:04:05.006Z")),
            List.of(new FenceAttempt(1, "ipmi", "reboot", false, "timed out"),
                new FenceAttempt(2, "pdu", "reboot", true, "")));
    }

    @Test
    void environmentCarriesTheEventInPacemakerNames() {
        AlertProgram a = new AlertProgram(dir.resolve("x"), Duration.ofSeconds(1), "ops", workers);
        Map<String, String> env = a.environment(entry(FenceStatus.FAILED), 3);
        assertThat(env).containsEntry("CRM_alert_kind", "fencing").containsEntry("CRM_alert_node", "node2")
            .containsEntry("CRM_alert_task", "reboot").containsEntry("CRM_alert_rc", "1")
            .containsEntry("CRM_alert_node_sequence", "3")
            .containsEntry("CRM_alert_timestamp", "2026-01-02 03:04:05.006")
            .containsEntry("RINGMASTER_FENCE_STATUS", "FAILED")
            .containsEntry("RINGMASTER_FENCE_ATTEMPTS",
                "level 1 ipmi reboot: failed (timed out); level 2 pdu reboot: ok");
    }

    @Test
    void aHangingAlertProgramIsKilledWithItsChildrenAndLaterAlertsStillRun() throws Exception {
        Path script = dir.resolve("alert.sh");
        Files.writeString(script, """
            #!/bin/sh
            d=$(dirname "$0")
            echo "$CRM_alert_rc" >> "$d/seen"
            if [ "$CRM_alert_rc" = 1 ]; then
              sleep 1000 &
              echo $! > "$d/child.pid"
              wait
            fi
            """);
        script.toFile().setExecutable(true);
        AlertProgram a = new AlertProgram(script, Duration.ofMillis(500), "ops", workers);
        a.onFenceEvent(entry(FenceStatus.FAILED));
        a.onFenceEvent(entry(FenceStatus.SUCCEEDED));
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(dir.resolve("seen"))
            && Files.readAllLines(dir.resolve("seen")).size() == 2);
        assertThat(Files.readAllLines(dir.resolve("seen"))).containsExactly("1", "0");
        long child = Long.parseLong(Files.readString(dir.resolve("child.pid")).strip());
        await().atMost(Duration.ofSeconds(5)).until(() -> ProcessHandle.of(child).map(h -> !h.isAlive()).orElse(true));
    }
}
