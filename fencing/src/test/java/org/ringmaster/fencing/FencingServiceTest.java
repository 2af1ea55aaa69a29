package org.ringmaster.fencing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ringmaster.crm.api.fencing.FenceRequest;
import org.ringmaster.crm.api.fencing.FenceResult;
import org.ringmaster.crm.api.fencing.FenceStatus;
import org.ringmaster.fencing.agent.FenceAgentExecutor;

/**
 * Three threaded fencers over a synchronous ordered channel, driving the real {@code fence_dummy} (Debian
 * fence-agents) and shell fake agents; plus the alert program.
 */
@Timeout(60)
class FencingServiceTest {

    static final List<String> NODES = List.of("node1", "node2", "node3");

    @TempDir
    Path dir;

    private final ExecutorService workers = Executors.newCachedThreadPool();
    private final List<FencingService> services = new ArrayList<>();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @BeforeAll
    static void needsFenceDummy() {
        org.ringmaster.fencing.agent.RealFenceAgentsTestSupport.requireInstalled("/usr/sbin/fence_dummy",
            "fence-agents");
    }

    @AfterEach
    void stop() throws InterruptedException {
        services.forEach(FencingService::close);
        workers.shutdownNow();
        assertThat(workers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    private void start(FencingConfig cfg, FenceAlertSink alertsOnNode1) {
        SynchronousOrderedChannel channel = new SynchronousOrderedChannel();
        for (String n : NODES) {
            AgentDeviceRunner runner = new AgentDeviceRunner(FenceAgentExecutor.withDefaults(), workers, Map.of());
            services.add(new FencingService(n, NODES, cfg, channel.endpoint(n), runner, () -> true,
                n.equals("node1") ? alertsOnNode1 : FenceAlertSink.NONE, meters));
        }
    }

    @Test
    void fenceDummyPowersTheTargetOffAndEveryNodeHearsIt() throws Exception {
        Path power = dir.resolve("node3.power");
        Files.writeString(power, "on");
        FencingConfig cfg = FencingConfig.builder()
            .device(FenceDevice.builder("dummy", "fence_dummy").param("status_file", power.toString())
                .hosts("node3").timeout(Duration.ofSeconds(20)).retries(0).build())
            .build();
        start(cfg, FenceAlertSink.NONE);
        List<FenceResult> heardOn2 = new CopyOnWriteArrayList<>();
        services.get(1).addListener(heardOn2::add);

        FenceResult r = services.get(0).fence(FenceRequest.off("node3", "lost")).get(30, TimeUnit.SECONDS);

        assertThat(r.status()).as(r.toString()).isEqualTo(FenceStatus.SUCCEEDED);
        assertThat(r.device()).isEqualTo("dummy");
        assertThat(Files.readString(power).strip()).isEqualTo("off");
        await().atMost(Duration.ofSeconds(5)).until(() -> heardOn2.size() == 1);
        assertThat(heardOn2.get(0)).isEqualTo(r);
        await().atMost(Duration.ofSeconds(5)).until(() -> services.get(2).history().size() == 1);
        assertThat(meters.get("ringmaster.fencing.results").tag("status", "succeeded").tag("node", "node2")
            .counter().count()).isEqualTo(1.0);
    }

    @Test
    void failingAgentAtLevelOneThenFenceDummyAtLevelTwoAndTheAlertProgramSeesIt() throws Exception {
        Path power = dir.resolve("node2.power");
        Files.writeString(power, "on");
        Path failing = org.ringmaster.fencing.agent.RealFenceAgentsTestSupport.failingAgent(dir);
        Path alertOut = dir.resolve("alert.env");
        Path alert = dir.resolve("alert.sh");
        Files.writeString(alert, "#!/bin/sh\nenv | sort > " + alertOut + ".tmp && mv " + alertOut + ".tmp "
            + alertOut + "\n");
        alert.toFile().setExecutable(true);
        FencingConfig cfg = FencingConfig.builder()
            .device(FenceDevice.builder("broken-ipmi", failing.toString()).param("password", "Hunter2-pw")
                .hostMap("node2:7").retries(1).build())
            .device(FenceDevice.builder("dummy", "fence_dummy").param("status_file", power.toString())
                .hosts("node2").retries(0).build())
            .level("node2", 1, "broken-ipmi")
            .level("node2", 2, "dummy")
            .build();
        start(cfg, new AlertProgram(alert, Duration.ofSeconds(10), "ops@example.com", workers));

        FenceResult r = services.get(2).fence(FenceRequest.reboot("node2", "stop failed")).get(30, TimeUnit.SECONDS);

        assertThat(r.status()).as(r.toString()).isEqualTo(FenceStatus.SUCCEEDED);
        assertThat(r.executor()).isEqualTo("node3");
        List<FenceHistoryEntry> h = services.get(0).detailedHistory().get(5, TimeUnit.SECONDS);
        assertThat(h).singleElement().satisfies(e -> {
            assertThat(e.attempts()).hasSize(2);
            assertThat(e.attempts().get(0).succeeded()).isFalse();
            assertThat(e.attempts().get(0).detail()).contains("exit 1 after 2 attempts").contains("plug 7")
                .doesNotContain("Hunter2-pw");
            assertThat(e.attempts().get(1).device()).isEqualTo("dummy");
            assertThat(e.attempts().get(1).succeeded()).isTrue();
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(alertOut));
        String env = Files.readString(alertOut);
        assertThat(env).contains("CRM_alert_kind=fencing", "CRM_alert_node=node2", "CRM_alert_task=reboot",
            "CRM_alert_rc=0", "CRM_alert_recipient=ops@example.com", "RINGMASTER_FENCE_EXECUTOR=node3",
            "RINGMASTER_FENCE_DEVICE=dummy").doesNotContain("Hunter2-pw");
    }

    @Test
    void dynamicListDeviceFencesOnlyListedNodes() throws Exception {
        Path agent = org.ringmaster.fencing.agent.RealFenceAgentsTestSupport.listingAgent(dir);
        FencingConfig cfg = FencingConfig.builder()
            .device(FenceDevice.builder("pdu", agent.toString()).retries(0).build())
            .build();
        start(cfg, FenceAlertSink.NONE);
        FenceResult ok = services.get(0).fence(FenceRequest.off("node2", "lost")).get(30, TimeUnit.SECONDS);
        assertThat(ok.status()).as(ok.toString()).isEqualTo(FenceStatus.SUCCEEDED);
        assertThat(Files.readString(dir.resolve("last-stdin.txt"))).contains("action=off", "plug=outlet-2");

        FenceResult no = services.get(0).fence(FenceRequest.off("node3", "lost")).get(30, TimeUnit.SECONDS);
        assertThat(no.status()).isEqualTo(FenceStatus.FAILED);
        assertThat(no.detail()).contains("device pdu cannot fence node3 (not in its list of 2 port(s))");
    }
}
