package org.ringmaster.fencing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ringmaster.fencing.agent.AgentAction;
import org.ringmaster.fencing.agent.AgentOutcome;
import org.ringmaster.fencing.agent.FenceAgentExecutor;

@Timeout(30)
class AgentDeviceRunnerTest {

    @TempDir
    Path dir;

    final ExecutorService workers = Executors.newCachedThreadPool();

    @AfterEach
    void stop() throws InterruptedException {
        workers.shutdownNow();
        assertThat(workers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    /** A fabric-style agent: declares on/off/status/metadata but no reboot or monitor; logs every action. */
    Path fabricAgent(boolean offFails) throws Exception {
        Path p = dir.resolve("fence_fabric");
        Files.writeString(p, """
            #!/bin/sh
            d=$(dirname "$0")
            action=$(sed -n 's/^action=//p')
            echo "$action" >> "$d/actions"
            case "$action" in
              metadata) cat <<'XML'
            <?xml version="1.0" ?>
            <resource-agent name="fence_fabric" shortdesc="fabric">
            <parameters><parameter name="plug"><content type="string"/></parameter></parameters>
            <actions><action name="on"/><action name="off"/><action name="status"/><action name="metadata"/></actions>
            </resource-agent>
            XML
              ;;
              off) exit %d ;;
              status) exit 2 ;;
            esac
            exit 0
            """.formatted(offFails ? 1 : 0));
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    DeviceOutcome run(FenceDevice d, AgentAction a) throws Exception {
        AgentDeviceRunner r = new AgentDeviceRunner(FenceAgentExecutor.withDefaults(), workers, Map.of());
        CompletableFuture<DeviceOutcome> f = new CompletableFuture<>();
        r.start(new DeviceCommand(1, d, a, "node2", "port7"), f::complete);
        return f.get(20, TimeUnit.SECONDS);
    }

    @Test
    void rebootThroughAnAgentWithoutRebootIsOffThenOn() throws Exception {
        FenceDevice d = FenceDevice.builder("fabric", fabricAgent(false).toString()).hosts("node2").retries(0).build();
        DeviceOutcome o = run(d, AgentAction.REBOOT);
        assertThat(o.succeeded()).as(o.detail()).isTrue();
        assertThat(o.detail()).startsWith("no reboot action: fence_fabric off: exit 0");
        assertThat(Files.readAllLines(dir.resolve("actions"))).containsExactly("metadata", "off", "on");
    }

    @Test
    void aFailedOffFailsTheRebootWithoutTryingOn() throws Exception {
        FenceDevice d = FenceDevice.builder("fabric", fabricAgent(true).toString()).hosts("node2").retries(0).build();
        DeviceOutcome o = run(d, AgentAction.REBOOT);
        assertThat(o.succeeded()).isFalse();
        assertThat(Files.readAllLines(dir.resolve("actions"))).containsExactly("metadata", "off");
    }

    @Test
    void deviceTestUsesStatusWhenNoMonitorIsDeclared() throws Exception {
        FenceDevice d = FenceDevice.builder("fabric", fabricAgent(false).toString()).hosts("node2")
            .timeout(Duration.ofSeconds(10)).build();
        AgentDeviceRunner r = new AgentDeviceRunner(FenceAgentExecutor.withDefaults(), workers, Map.of());
        AgentOutcome o = r.test(d);
        assertThat(o.action()).isEqualTo(AgentAction.STATUS);
        assertThat(o.succeeded()).isTrue();
        assertThat(o.powerState()).isEqualTo(AgentOutcome.PowerState.OFF);
    }

    @Test
    void builtInDevicesGoToTheirRunnerAndAMissingAgentIsAFailureNotACrash() throws Exception {
        ScriptedDeviceRunner pill = new ScriptedDeviceRunner();
        AgentDeviceRunner r = new AgentDeviceRunner(FenceAgentExecutor.withDefaults(), workers,
            Map.of(FenceDevice.POISON_PILL, pill));
        CompletableFuture<DeviceOutcome> f = new CompletableFuture<>();
        FenceDevice pd = FenceDevice.builder("pill", FenceDevice.POISON_PILL).hosts("node2").build();
        r.start(new DeviceCommand(1, pd, AgentAction.OFF, "node2", "node2"), f::complete);
        assertThat(f.get(5, TimeUnit.SECONDS).succeeded()).isTrue();
        assertThat(pill.commands()).hasSize(1);

        FenceDevice missing = FenceDevice.builder("ghost", "fence_does_not_exist").param("password", "Xyzzy-pw")
            .hosts("node2").build();
        DeviceOutcome o = run(missing, AgentAction.OFF);
        assertThat(o.succeeded()).isFalse();
        assertThat(o.detail()).contains("fence agent 'fence_does_not_exist' not found").doesNotContain("Xyzzy-pw");
    }
}
