package org.ringmaster.fencing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ringmaster.crm.api.fencing.FenceRequest;
import org.ringmaster.crm.api.fencing.FenceResult;
import org.ringmaster.crm.api.fencing.FenceStatus;
import org.ringmaster.fencing.agent.AgentAction;
import org.ringmaster.fencing.agent.AgentCall;
import org.ringmaster.fencing.agent.AgentOutcome;
import org.ringmaster.fencing.agent.AgentParams;
import org.ringmaster.fencing.agent.FenceAgentExecutor;
import org.ringmaster.fencing.agent.RealFenceAgentsTestSupport;

/**
 * The real {@code fence_ipmilan} (Debian fence-agents, with ipmitool) against OpenIPMI's {@code ipmi_sim} started on
 * loopback (Debian package openipmi); the simulated chassis keeps its power state in a file we check.
 */
@Timeout(120)
class IpmiSimulatorTest {

    static final String PASSWORD = "Sim-Pa55-word";
    static final Duration T = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    Process sim;
    int port;
    Path power;

    @BeforeEach
    void startSimulator() throws Exception {
        RealFenceAgentsTestSupport.requireInstalled("/usr/sbin/fence_ipmilan", "fence-agents");
        RealFenceAgentsTestSupport.requireInstalled("/usr/bin/ipmitool", "ipmitool");
        RealFenceAgentsTestSupport.requireInstalled("/usr/bin/ipmi_sim", "openipmi");
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        power = dir.resolve("power");
        Files.writeString(power, "1\n");
        Path chassis = dir.resolve("chassis.sh");
        // ipmi_sim's chassis_control protocol: "<dev> get power" prints power:<0|1>; "<dev> set power <v>" sets it.
        Files.writeString(chassis, """
            #!/bin/sh
            f=%s
            shift
            op=$1; shift
            case "$op" in
              get) for p in "$@"; do
                     case $p in power) echo "power:$(cat "$f")" ;; boot) echo "boot:default" ;; esac
                   done ;;
              set) while [ $# -ge 2 ]; do [ "$1" = power ] && echo "$2" > "$f"; shift 2; done ;;
              *) exit 1 ;;
            esac
            """.formatted(power));
        Files.setPosixFilePermissions(chassis, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(dir.resolve("lan.conf"), """
            name "ringmaster-test"
            set_working_mc 0x20
              startlan 1
                addr 127.0.0.1 %d
                priv_limit admin
                allowed_auths_callback none md2 md5 straight
                allowed_auths_user none md2 md5 straight
                allowed_auths_operator none md2 md5 straight
                allowed_auths_admin none md2 md5 straight
                guid a123456789abcdefa123456789abcdef
              endlan
              chassis_control "%s 0x20"
              user 1 false "" "unused" user 10 none md2 md5 straight
              user 2 true "admin" "%s" admin 10 none md2 md5 straight
            """.formatted(port, chassis, PASSWORD));
        Files.writeString(dir.resolve("sim.emu"), """
            mc_setbmc 0x20
            mc_add 0x20 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02 persist_sdr
            mc_enable 0x20
            """);
        Files.createDirectories(dir.resolve("state"));
        sim = new ProcessBuilder("setsid", "ipmi_sim", "-c", dir.resolve("lan.conf").toString(),
            "-f", dir.resolve("sim.emu").toString(), "-s", dir.resolve("state").toString(), "-n")
            .redirectErrorStream(true).redirectOutput(dir.resolve("sim.log").toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        FenceAgentExecutor ex = FenceAgentExecutor.withDefaults();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
            .failFast("ipmi_sim exited", () -> !sim.isAlive())
            .until(() -> ex.run(AgentCall.once("fence_ipmilan", AgentAction.MONITOR, params(PASSWORD),
                Duration.ofSeconds(5))).succeeded());
    }

    @AfterEach
    void stopSimulator() throws Exception {
        if (sim != null) {
            new ProcessBuilder("kill", "-KILL", "--", "-" + sim.pid()).start().waitFor(5, TimeUnit.SECONDS);
            sim.destroyForcibly();
            assertThat(sim.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    AgentParams params(String password) {
        return AgentParams.of(Map.of("ip", "127.0.0.1", "ipport", Integer.toString(port), "username", "admin",
            "password", password, "lanplus", "1", "power_wait", "0",
            // ipmi_sim lacks "Get Channel Cipher Suites"; naming the suite spares ipmitool a 14 s fallback.
            "cipher", "3"));
    }

    @Test
    void offAndOnThroughTheRealAgentChangeTheSimulatedChassis() throws Exception {
        FenceAgentExecutor ex = FenceAgentExecutor.withDefaults();
        assertThat(ex.metadata("fence_ipmilan").validate("bmc", params(PASSWORD))).isEmpty();
        AgentOutcome status = ex.run(AgentCall.once("fence_ipmilan", AgentAction.STATUS, params(PASSWORD), T));
        assertThat(status.powerState()).as(status.describe()).isEqualTo(AgentOutcome.PowerState.ON);

        AgentOutcome off = ex.run(AgentCall.once("fence_ipmilan", AgentAction.OFF, params(PASSWORD), T));
        assertThat(off.succeeded()).as(off.describe()).isTrue();
        assertThat(Files.readString(power).strip()).isEqualTo("0");
        assertThat(ex.run(AgentCall.once("fence_ipmilan", AgentAction.STATUS, params(PASSWORD), T)).powerState())
            .isEqualTo(AgentOutcome.PowerState.OFF);

        AgentOutcome on = ex.run(AgentCall.once("fence_ipmilan", AgentAction.ON, params(PASSWORD), T));
        assertThat(on.succeeded()).as(on.describe()).isTrue();
        assertThat(Files.readString(power).strip()).isEqualTo("1");

        AgentOutcome reboot = ex.run(AgentCall.once("fence_ipmilan", AgentAction.REBOOT, params(PASSWORD), T));
        assertThat(reboot.succeeded()).as(reboot.describe()).isTrue();
        assertThat(Files.readString(power).strip()).isEqualTo("1");
    }

    @Test
    void aWrongPasswordFailsWithoutShowingEitherPassword() throws Exception {
        AgentOutcome o = FenceAgentExecutor.withDefaults().run(
            AgentCall.once("fence_ipmilan", AgentAction.OFF, params("Not-The-Pa55"), T));
        assertThat(o.succeeded()).isFalse();
        assertThat(o.describe()).doesNotContain("Not-The-Pa55").doesNotContain(PASSWORD);
        assertThat(Files.readString(power).strip()).isEqualTo("1");
    }

    @Test
    void theFencerPowersANodeOffThroughItsBmc() throws Exception {
        ExecutorService workers = Executors.newCachedThreadPool();
        SynchronousOrderedChannel channel = new SynchronousOrderedChannel();
        FencingConfig cfg = FencingConfig.builder()
            .device(FenceDevice.builder("bmc-node2", "fence_ipmilan").params(params(PASSWORD).asMap())
                .hosts("node2").hostArgument("none").retries(0).timeout(T).build())
            .build();
        List<String> nodes = List.of("node1", "node2");
        FencingService node1 = new FencingService("node1", nodes, cfg, channel.endpoint("node1"),
            new AgentDeviceRunner(FenceAgentExecutor.withDefaults(), workers, Map.of()), () -> true,
            FenceAlertSink.NONE, new SimpleMeterRegistry());
        try {
            FenceResult r = node1.fence(FenceRequest.off("node2", "lost")).get(60, TimeUnit.SECONDS);
            assertThat(r.status()).as(r.toString()).isEqualTo(FenceStatus.SUCCEEDED);
            assertThat(Files.readString(power).strip()).isEqualTo("0");
        } finally {
            node1.close();
            workers.shutdownNow();
            assertThat(workers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

}
