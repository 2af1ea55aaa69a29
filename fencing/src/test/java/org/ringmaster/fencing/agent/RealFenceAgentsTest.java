package org.ringmaster.fencing.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs Debian's fence-agents (package {@code fence-agents}; {@code fence_ipmilan} also needs {@code ipmitool}).
 * Outside CI the tests skip when the package is missing; under CI (CI set) a missing package fails them.
 */
@Timeout(60)
class RealFenceAgentsTest {

    static final Duration T = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final FenceAgentExecutor executor = FenceAgentExecutor.withDefaults();

    @BeforeAll
    static void needsFenceAgents() {
        requireInstalled("/usr/sbin/fence_dummy", "fence-agents");
    }

    static void requireInstalled(String path, String pkg) {
        if (!Files.isExecutable(Path.of(path))) {
            if (System.getenv("CI") != null) {
                throw new AssertionError(path + " missing: CI must install the Debian package " + pkg);
            }
            Assumptions.abort(path + " missing and CI unset: install Debian package " + pkg + " to run this test");
        }
    }

    @Test
    void fenceDummyThroughStatusOffOnRebootMonitor() throws Exception {
        AgentParams p = AgentParams.empty().with("status_file", dir.resolve("power").toString()).with("plug", "node2");
        Files.writeString(dir.resolve("power"), "on");

        assertThat(run(AgentAction.STATUS, p).powerState()).isEqualTo(AgentOutcome.PowerState.ON);
        AgentOutcome off = run(AgentAction.OFF, p);
        assertThat(off.succeeded()).as(off.describe()).isTrue();
        assertThat(run(AgentAction.STATUS, p).powerState()).isEqualTo(AgentOutcome.PowerState.OFF);
        assertThat(run(AgentAction.ON, p).succeeded()).isTrue();
        assertThat(run(AgentAction.STATUS, p).powerState()).isEqualTo(AgentOutcome.PowerState.ON);
        AgentOutcome reboot = run(AgentAction.REBOOT, p);
        assertThat(reboot.succeeded()).as(reboot.describe()).isTrue();
        assertThat(run(AgentAction.MONITOR, p).succeeded()).isTrue();
        // fence_dummy in file mode has no 'list': the failure is reported, not mistaken for an empty list.
        assertThatThrownBy(() -> executor.list("fence_dummy", p, T, 0))
            .isInstanceOf(FenceAgentException.class).hasMessageContaining("fence_dummy list failed: fence_dummy list: exit 1");
    }

    @Test
    void fenceDummyFailTypeIsAFailure() throws Exception {
        AgentParams p = AgentParams.empty().with("type", "fail").with("power_timeout", "1").with("plug", "node2");
        AgentOutcome o = run(AgentAction.OFF, p);
        assertThat(o.succeeded()).isFalse();
        assertThat(o.exitCode()).isEqualTo(1);
        assertThat(o.lastLine()).contains("Timed out waiting to power OFF");
    }

    @Test
    void metadataOfSeveralRealAgentsParsesAndValidatesDevices() throws Exception {
        AgentMetadata dummy = executor.metadata("fence_dummy");
        assertThat(dummy.name()).isEqualTo("fence_dummy");
        assertThat(dummy.parameters()).containsKeys("status_file", "type", "delay", "plug_separator");
        assertThat(dummy.supports(AgentAction.REBOOT)).isTrue();
        assertThat(dummy.validate("d1", AgentParams.empty().with("status_file", "/tmp/x"))).isEmpty();

        AgentMetadata ipmi = executor.metadata("fence_ipmilan");
        assertThat(ipmi.parameters().get("ip").obsoletes()).isEqualTo("ipaddr");
        assertThat(ipmi.parameters().get("lanplus").type()).isEqualTo("boolean");
        AgentParams good = AgentParams.of(Map.of("ip", "10.0.0.5", "username", "admin", "password", "pw",
            "lanplus", "1"));
        assertThat(ipmi.validate("ipmi-node2", good)).isEmpty();
        List<String> problems = ipmi.validate("ipmi-node2", good.with("ipadress", "x").with("lanplus", "maybe")
            .with("password", "pw").with("power_wait", "soon"));
        assertThat(problems).containsExactlyInAnyOrder(
            "fence device 'ipmi-node2': unknown parameter 'ipadress' for agent fence_ipmilan",
            "fence device 'ipmi-node2': parameter 'lanplus' of agent fence_ipmilan expects a boolean (1/0, yes/no, "
                + "on/off, true/false), got 'maybe'",
            "fence device 'ipmi-node2': parameter 'power_wait' of agent fence_ipmilan expects seconds, got 'soon'");

        for (String agent : List.of("fence_apc", "fence_apc_snmp", "fence_virsh", "fence_sbd", "fence_ilo4",
            "fence_redfish")) {
            AgentMetadata m = executor.metadata(agent);
            assertThat(m.parameters()).as(agent).isNotEmpty();
            assertThat(m.actions()).as(agent).contains("off", "metadata");
            Set<String> required = m.parameters().values().stream().filter(AgentParameter::required)
                .map(AgentParameter::name).filter(n -> !AgentMetadata.SET_BY_FENCER.contains(n))
                .collect(Collectors.toSet());
            List<String> missing = m.validate("dev", AgentParams.empty());
            assertThat(missing).as(agent).hasSize(required.size());
            missing.forEach(line -> assertThat(line).startsWith("fence device 'dev': missing required parameter '"));
        }
        // fence_sbd requires 'devices': a device without it is named clearly.
        assertThat(executor.metadata("fence_sbd").validate("sbd", AgentParams.empty()))
            .contains("fence device 'sbd': missing required parameter 'devices' for agent fence_sbd");
    }

    @Test
    void fenceIpmilanAgainstNoBmcIsKilledAtOurTimeoutWithoutLeakingThePassword() throws Exception {
        requireInstalled("/usr/bin/ipmitool", "ipmitool");
        AgentParams p = AgentParams.of(Map.of("ip", "127.0.0.1", "username", "admin", "password", "Zebra-42-pw",
            "lanplus", "1", "plug", "node2"));
        long start = System.nanoTime();
        AgentOutcome o = executor.run(AgentCall.once("fence_ipmilan", AgentAction.STATUS, p, Duration.ofSeconds(2)));
        assertThat(o.timedOut()).as(o.describe()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(o.describe()).doesNotContain("Zebra-42-pw");
        // No ipmitool left behind from the killed process group.
        await().atMost(Duration.ofSeconds(5)).until(() -> ProcessHandle.allProcesses()
            .noneMatch(h -> h.info().commandLine().orElse("").contains("ipmitool") 
                && h.info().commandLine().orElse("").contains("127.0.0.1")));
    }

    private AgentOutcome run(AgentAction action, AgentParams p) throws InterruptedException {
        return executor.run(AgentCall.once("fence_dummy", action, p, T));
    }
}
