package org.ringmaster.agents.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ringmaster.agents.AgentCatalog;
import org.ringmaster.agents.AgentsConfig;
import org.ringmaster.agents.NetnsPair;
import org.ringmaster.agents.TestHost;
import org.ringmaster.agents.exec.ExecutorConfig;
import org.ringmaster.agents.exec.ResourceExecutor;
import org.ringmaster.agents.exec.ThreadScheduler;
import org.ringmaster.agents.process.ProcStat;
import org.ringmaster.agents.process.ProcessRunner;
import org.ringmaster.crm.api.resource.OperationResult;
import org.ringmaster.crm.api.resource.OperationStatus;
import org.ringmaster.crm.api.resource.ResourceAgentId;
import org.ringmaster.crm.api.resource.ResourceOperation;

@Timeout(value = 90, unit = TimeUnit.SECONDS)
class BuiltinAgentsTest {
    static final ResourceAgentId PROCESS = ResourceAgentId.parse("builtin:process");
    static final ResourceAgentId VIP = ResourceAgentId.parse("builtin:vip");
    static final ResourceAgentId DUMMY = ResourceAgentId.parse("builtin:dummy");

    @TempDir
    Path state;
    ResourceExecutor lrm;
    final List<OperationResult> heard = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void setUp() {
        lrm = new ResourceExecutor(ExecutorConfig.defaults(), new AgentCatalog(AgentsConfig.defaults()
            .withStateDirectory(state)), new ThreadScheduler(), Clock.systemUTC(), new SimpleMeterRegistry());
        lrm.addListener(heard::add);
    }

    @AfterEach
    void tearDown() throws Exception {
        lrm.close();
        // Whatever a failed test left running is killed here.
        try (var files = Files.list(state)) {
            for (Path pf : files.filter(p -> p.toString().endsWith(".pid")).toList()) {
                long pid = Long.parseLong(Files.readString(pf).trim().split("\\s+")[0]);
                if (ProcStat.of(pid) != null) {
                    ProcessRunner.killGroup(pid, Duration.ofMillis(100));
                }
            }
        }
    }

    private OperationResult run(String rsc, ResourceAgentId agent, String action, Map<String, String> params) {
        return lrm.execute(ResourceOperation.of(rsc, agent, action, params).withTimeout(Duration.ofSeconds(10))).join();
    }

    @Test
    void dummyCycle() {
        assertThat(run("d", DUMMY, "monitor", Map.of()).rc()).isEqualTo(7);
        assertThat(run("d", DUMMY, "start", Map.of()).rc()).isZero();
        assertThat(run("d", DUMMY, "monitor", Map.of()).rc()).isZero();
        assertThat(run("d", DUMMY, "stop", Map.of()).rc()).isZero();
        assertThat(run("d", DUMMY, "monitor", Map.of()).rc()).isEqualTo(7);
        assertThat(run("d", DUMMY, "promote", Map.of()).exitReason())
            .isEqualTo("builtin:dummy does not support action 'promote'");
    }

    @Test
    void processCycleWithTcpProbeAndKillBehindItsBackDetectedWithinTheInterval() throws Exception {
        try (ServerSocket listener = new ServerSocket(0)) {
            Map<String, String> params = Map.of("command", "sleep 1000 & sleep 1000",
                "probe", "tcp:127.0.0.1:" + listener.getLocalPort());
            assertThat(run("p", PROCESS, "monitor", params).rc()).isEqualTo(7);
            assertThat(run("p", PROCESS, "start", params).rc()).isZero();
            assertThat(run("p", PROCESS, "start", params).rc()).as("idempotent").isZero();
            assertThat(run("p", PROCESS, "monitor", params).rc()).isZero();
            long pid = Long.parseLong(Files.readString(state.resolve("p.pid")).trim().split(" ")[0]);
            assertThat(ProcessRunner.groupMembers(pid)).as("the shell and both sleeps").hasSize(3);

            lrm.startRecurring(ResourceOperation.of("p", PROCESS, "monitor", params)
                .withInterval(Duration.ofMillis(300)).withTimeout(Duration.ofSeconds(5)));
            await().atMost(Duration.ofSeconds(5)).until(() -> heard.size() == 5); // first recurring result
            ProcessRunner.signalGroup(pid, "KILL");
            long killedAt = System.nanoTime();
            await().atMost(Duration.ofSeconds(5)).until(() -> heard.size() == 6);
            long detectedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
            OperationResult failed = heard.get(5);
            assertThat(failed.rc()).isEqualTo(7);
            assertThat(failed.operation().isRecurring()).isTrue();
            assertThat(detectedMs).as("detected within the interval plus one monitor run").isLessThan(2500);
            assertThat(run("p", PROCESS, "stop", params).rc()).isZero();
        }
    }

    @Test
    void processProbeFailureAndStopKillsTheGroup() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Map<String, String> params = Map.of("command", "sleep 1000", "probe", "tcp:127.0.0.1:" + port);
        OperationResult start = lrm.execute(ResourceOperation.of("q", PROCESS, "start", params)
            .withTimeout(Duration.ofMillis(800))).join();
        assertThat(start.status()).isEqualTo(OperationStatus.TIMED_OUT);
        assertThat(start.exitReason()).contains("builtin:process start of q timed out").contains("never answered");
        assertThat(state.resolve("q.pid")).doesNotExist();

        Map<String, String> plain = Map.of("command", "trap '' TERM; sleep 1000 & wait");
        assertThat(run("r", PROCESS, "start", plain).rc()).isZero();
        long pid = Long.parseLong(Files.readString(state.resolve("r.pid")).trim().split(" ")[0]);
        OperationResult stop = lrm.execute(ResourceOperation.of("r", PROCESS, "stop", plain)
            .withTimeout(Duration.ofSeconds(2))).join();
        assertThat(stop.rc()).as(stop.toString()).isZero();
        assertThat(ProcessRunner.groupMembers(pid)).isEmpty();
        assertThat(run("r", PROCESS, "stop", plain).rc()).as("idempotent").isZero();

        OperationResult dies = run("s", PROCESS, "start", Map.of("command", "exit 4"));
        assertThat(dies.rc()).isEqualTo(1);
        assertThat(dies.exitReason()).contains("exited at once with code 4");
        OperationResult missing = run("t", PROCESS, "start", Map.of());
        assertThat(missing.status()).isEqualTo(OperationStatus.INVALID);
        assertThat(missing.exitReason()).isEqualTo("builtin:process start of t: missing required parameter 'command'");
    }

    @Test
    void vipInANetworkNamespaceIsAnnouncedByGratuitousArp() throws Exception {
        TestHost.requireRootAnd(List.of("ip", "arping"), "iproute2, iputils-arping");
        try (NetnsPair ns = new NetnsPair()) {
            String vip = ns.subnet + "100";
            // nic and cidr_netmask are found from the subnet (findif)
            Map<String, String> params = Map.of("ip", vip, "netns", ns.a, "arp_count", "2", "arp_bg", "false",
                "label", "web");
            assertThat(run("vip", VIP, "monitor", params).rc()).isEqualTo(7);
            OperationResult start = run("vip", VIP, "start", params);
            assertThat(start.rc()).as(start.toString()).isZero();
            assertThat(ns.addressesOfA()).contains("inet " + vip + "/24").contains("va:web");
            assertThat(run("vip", VIP, "monitor", params).rc()).isZero();
            String mac = ns.macOfA();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(ns.neighbourInB(vip)).contains(mac));
            Map<String, String> background = new java.util.HashMap<>(params);
            background.remove("arp_bg"); // default: announce in the background, 5 ARPs a second apart
            assertThat(run("vip", VIP, "start", background).rc()).as("idempotent").isZero();
            assertThat(TestHost.processesMatching("arping", vip)).hasSize(1);
            assertThat(run("vip", VIP, "stop", params).rc()).isZero();
            assertThat(TestHost.processesMatching("arping", vip)).as("stop ends the announcer").isEmpty();
            assertThat(ns.addressesOfA()).doesNotContain(vip + "/");
            assertThat(run("vip", VIP, "monitor", params).rc()).isEqualTo(7);
            assertThat(run("vip", VIP, "stop", params).rc()).as("idempotent").isZero();

            OperationResult nowhere = run("v2", VIP, "start", Map.of("ip", "192.0.2.9", "netns", ns.a));
            assertThat(nowhere.rc()).isEqualTo(6);
            assertThat(nowhere.exitReason()).contains("no interface has a subnet containing 192.0.2.9");
            OperationResult badNic = run("v3", VIP, "start", Map.of("ip", vip, "nic", "eth9", "netns", ns.a));
            assertThat(badNic.exitReason()).contains("interface eth9 does not exist");
            // IPv6: added with nodad, announced synchronously with send_ua (resource-agents) when installed
            OperationResult v6 = run("v6", VIP, "start", Map.of("ip", "fd00:77::5", "cidr_netmask", "64", "nic", "va",
                "netns", ns.a, "arp_count", "1", "arp_bg", "false"));
            assertThat(v6.rc()).as(v6.toString()).isZero();
            assertThat(ns.addressesOfA()).contains("inet6 fd00:77::5/64");
            assertThat(run("v6", VIP, "stop", Map.of("ip", "fd00:77::5", "cidr_netmask", "64", "nic", "va",
                "netns", ns.a)).rc()).isZero();
            assertThat(ns.addressesOfA()).doesNotContain("fd00:77::5");
        }
    }

    @Test
    void vipRejectsNonLiteralAddresses() {
        OperationResult r = run("v", VIP, "start", Map.of("ip", "example.com"));
        assertThat(r.rc()).isEqualTo(6);
        assertThat(r.exitReason()).isEqualTo("builtin:vip start: ip 'example.com' is not an IP address");
    }
}
