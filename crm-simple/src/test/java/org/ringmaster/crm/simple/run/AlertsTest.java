package org.ringmaster.crm.simple.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AlertsTest {
    @TempDir
    Path dir;

    private Path script(String name, String body) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    @Test
    void eventsReachTheAgentInPacemakersEnvironment() throws Exception {
        Path out = dir.resolve("out");
        Path agent = script("alert.sh", "echo \"$CRM_alert_kind|$CRM_alert_node|$CRM_alert_rsc|$CRM_alert_task|"
                + "$CRM_alert_rc|$CRM_alert_desc|$CRM_alert_recipient|$CRM_alert_node_sequence|$CRM_alert_version\" >> "
                + out + "\n[ -n \"$CRM_alert_timestamp\" ] || echo no-timestamp >> " + out + "\n");
        try (Alerts a = new Alerts(agent, Duration.ofSeconds(5), "ops@example.org")) {
            a.node("n2", 2, "lost");
            a.resource("n1", "web", "start", 0, 0, 0, "ok");
            a.fencing("n2", "reboot", true, "#1 reboot n2: SUCCEEDED");
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(out)
                    && Files.readAllLines(out).size() == 3);
        }
        assertThat(Files.readAllLines(out)).containsExactly(
                "node|n2||||lost|ops@example.org|1|2.1.0",
                "resource|n1|web|start|0|ok|ops@example.org|2|2.1.0",
                "fencing|n2||reboot|0|#1 reboot n2: SUCCEEDED|ops@example.org|3|2.1.0");
    }

    @Test
    void aHangingAgentIsKilledWithItsChildrenAndTheNextStillRuns() throws Exception {
        Path pids = dir.resolve("pids");
        Path out = dir.resolve("out");
        Path agent = script("hang.sh", "if [ \"$CRM_alert_desc\" = hang ]; then sleep 60 & echo $! >> " + pids
                + "; echo $$ >> " + pids + "; wait; fi\necho \"$CRM_alert_desc\" >> " + out + "\n");
        try (Alerts a = new Alerts(agent, Duration.ofMillis(300), "")) {
            a.node("n1", 1, "hang");
            a.node("n1", 1, "after");
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(out)
                    && Files.readAllLines(out).contains("after"));
        }
        assertThat(Files.readAllLines(out)).containsExactly("after");
        for (String pid : Files.readAllLines(pids)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> ProcessHandle.of(Long.parseLong(pid.trim()))
                    .map(h -> !h.isAlive()).orElse(true));
        }
    }

    @Test
    void aFailingOrMissingAgentCostsOnlyALogLine() throws Exception {
        Path out = dir.resolve("out");
        Path agent = script("fail.sh", "echo \"$CRM_alert_desc\" >> " + out + "\nexit 3\n");
        try (Alerts a = new Alerts(agent, Duration.ofSeconds(5), "")) {
            a.node("n1", 1, "one");
            a.node("n1", 1, "two");
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(out) && Files.readAllLines(out).size() == 2);
        }
        try (Alerts missing = new Alerts(dir.resolve("nope"), Duration.ofSeconds(1), "")) {
            missing.node("n1", 1, "x"); // logged, nothing thrown
        }
        try (Alerts none = new Alerts(null, Duration.ofSeconds(1), "")) {
            none.node("n1", 1, "x");
        }
        assertThat(Files.readAllLines(out)).containsExactly("one", "two");
    }

    @Test
    void settingsReadTheAlertKeys() {
        CrmSettings s = CrmSettings.from(Map.of("alert", "/usr/share/pacemaker/alerts/alert_file.sh",
                "alert-timeout", "5s", "alert-recipient", "/var/log/alerts.log"));
        assertThat(s.alertProgram()).isEqualTo(Path.of("/usr/share/pacemaker/alerts/alert_file.sh"));
        assertThat(s.alertTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.alertRecipient()).isEqualTo("/var/log/alerts.log");
        assertThat(CrmSettings.defaults().alertProgram()).isNull();
    }
}
