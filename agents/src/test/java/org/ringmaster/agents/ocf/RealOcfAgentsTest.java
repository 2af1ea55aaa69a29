package org.ringmaster.agents.ocf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ringmaster.agents.AgentCatalog;
import org.ringmaster.agents.AgentMetadata;
import org.ringmaster.agents.AgentsConfig;
import org.ringmaster.agents.NetnsPair;
import org.ringmaster.agents.TestHost;
import org.ringmaster.agents.exec.ExecutorConfig;
import org.ringmaster.agents.exec.ResourceExecutor;
import org.ringmaster.agents.exec.ThreadScheduler;
import org.ringmaster.agents.process.ProcessRunner;
import org.ringmaster.agents.process.ProcessSettings;
import org.ringmaster.crm.api.resource.OperationResult;
import org.ringmaster.crm.api.resource.OperationStatus;
import org.ringmaster.crm.api.resource.ResourceAgentId;
import org.ringmaster.crm.api.resource.ResourceOperation;

/**
 * The real agents from Debian {@code resource-agents} and {@code pacemaker-resource-agents}, run through the
 * LRM. Outside CI these skip when the packages (or root, for IPaddr2) are missing; in CI they must run.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RealOcfAgentsTest {
    static final Path OCF = Path.of("/usr/lib/ocf/resource.d");

    @TempDir
    Path tmp;

    private ResourceExecutor lrm(ProcessSettings process) {
        return new ResourceExecutor(ExecutorConfig.defaults(), new AgentCatalog(AgentsConfig.defaults()
            .withStateDirectory(tmp.resolve("state")).withProcess(process)), new ThreadScheduler(), Clock.systemUTC(),
            new SimpleMeterRegistry());
    }

    private static void requireAgent(String provider, String type, String pkg) {
        TestHost.require(Files.isExecutable(OCF.resolve(provider).resolve(type)),
            "ocf:" + provider + ":" + type + " (Debian " + pkg + ")");
    }

    private static List<Integer> cycle(ResourceExecutor lrm, String rsc, ResourceAgentId agent,
                                       Map<String, String> params, String... actions) {
        List<Integer> rcs = new java.util.ArrayList<>();
        for (String action : actions) {
            OperationResult r = lrm.execute(ResourceOperation.of(rsc, agent, action, params)).join();
            assertThat(r.status()).as(r + "\n" + r.outputTail()).isEqualTo(OperationStatus.DONE);
            rcs.add(r.rc());
        }
        return rcs;
    }

    @Test
    void heartbeatAndPacemakerDummyFullCycle() {
        requireAgent("heartbeat", "Dummy", "resource-agents");
        requireAgent("pacemaker", "Dummy", "pacemaker-resource-agents");
        try (ResourceExecutor lrm = lrm(ProcessSettings.defaults())) {
            for (String provider : List.of("heartbeat", "pacemaker")) {
                ResourceAgentId id = ResourceAgentId.parse("ocf:" + provider + ":Dummy");
                Map<String, String> params = Map.of("state", tmp.resolve(provider + "-dummy.state").toString());
                assertThat(cycle(lrm, "dummy-" + provider, id, params,
                    "validate-all", "monitor", "start", "monitor", "start", "stop", "monitor", "stop"))
                    .as(id.toString()).containsExactly(0, 7, 0, 0, 0, 0, 7, 0);
                OperationResult md = lrm.execute(ResourceOperation.of("dummy-" + provider, id, "meta-data", Map.of()))
                    .join();
                assertThat(md.rc()).isZero();
            }
        }
    }

    @Test
    void dummyMetaDataIsParsedForTimeoutsAndParameters() throws Exception {
        requireAgent("heartbeat", "Dummy", "resource-agents");
        AgentCatalog catalog = new AgentCatalog(AgentsConfig.defaults().withStateDirectory(tmp));
        AgentMetadata md = catalog.resolve(ResourceAgentId.parse("ocf:heartbeat:Dummy")).metadata();
        assertThat(md.name()).isEqualTo("Dummy");
        assertThat(md.parametersByName()).containsKey("state");
        assertThat(md.timeout("start")).contains(Duration.ofSeconds(20));
        assertThat(md.timeout("meta-data")).isPresent();
    }

    @Test
    void statefulPromoteAndDemote() {
        requireAgent("pacemaker", "Stateful", "pacemaker-resource-agents");
        requireAgent("heartbeat", "Stateful", "resource-agents");
        try (ResourceExecutor lrm = lrm(ProcessSettings.defaults())) {
            for (String provider : List.of("pacemaker", "heartbeat")) {
                ResourceAgentId id = ResourceAgentId.parse("ocf:" + provider + ":Stateful");
                Map<String, String> params = Map.of("state", tmp.resolve(provider + "-stateful.state").toString());
                assertThat(cycle(lrm, "stateful-" + provider, id, params,
                    "monitor", "start", "monitor", "promote", "monitor", "demote", "monitor", "stop", "monitor"))
                    .as(id.toString()).containsExactly(7, 0, 0, 0, 8, 0, 0, 0, 7);
            }
        }
    }

    @Test
    void ipaddr2InsideANetworkNamespaceAnnouncesItself() throws Exception {
        requireAgent("heartbeat", "IPaddr2", "resource-agents");
        TestHost.requireRootAnd(List.of("ip"), "iproute2");
        try (NetnsPair ns = new NetnsPair()) {
            String vip = ns.subnet + "101";
            // Every agent process of this LRM runs inside namespace a, like a second node would.
            ProcessSettings inA = ProcessSettings.defaults().withCommandPrefix(List.of("ip", "netns", "exec", ns.a));
            try (ResourceExecutor lrm = lrm(inA)) {
                ResourceAgentId id = ResourceAgentId.parse("ocf:heartbeat:IPaddr2");
                Map<String, String> params = Map.of("ip", vip, "cidr_netmask", "24", "nic", "va");
                assertThat(cycle(lrm, "vip-real", id, params, "validate-all", "monitor", "start", "monitor"))
                    .containsExactly(0, 7, 0, 0);
                assertThat(ns.addressesOfA()).contains("inet " + vip + "/24");
                String mac = ns.macOfA();
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(ns.neighbourInB(vip)).contains(mac));
                assertThat(cycle(lrm, "vip-real", id, params, "stop", "monitor")).containsExactly(0, 7);
                assertThat(ns.addressesOfA()).doesNotContain(vip + "/");

                Map<String, String> noIp = new HashMap<>(params);
                noIp.remove("ip");
                OperationResult refused = lrm.execute(ResourceOperation.of("vip-bad", id, "start", noIp)).join();
                assertThat(refused.status()).isEqualTo(OperationStatus.INVALID);
                assertThat(refused.exitReason()).contains("ocf:heartbeat:IPaddr2 start of vip-bad")
                    .contains("missing required parameter 'ip'");
            } finally {
                // IPaddr2 announces with a background send_arp; never leave one behind.
                for (long pid : TestHost.processesMatching("send_arp", vip)) {
                    ProcessRunner.signalGroup(pid, "KILL");
                }
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> TestHost.processesMatching("send_arp", vip).isEmpty());
        }
    }
}
