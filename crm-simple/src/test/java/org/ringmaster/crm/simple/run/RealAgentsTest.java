package org.ringmaster.crm.simple.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ringmaster.agents.AgentCatalog;
import org.ringmaster.agents.AgentsConfig;
import org.ringmaster.agents.exec.ExecutorConfig;
import org.ringmaster.agents.exec.ResourceExecutor;
import org.ringmaster.agents.exec.ThreadScheduler;
import org.ringmaster.crm.api.ClusterView;
import org.ringmaster.crm.api.CrmContext;
import org.ringmaster.crm.api.fencing.FenceListener;
import org.ringmaster.crm.api.fencing.FenceRequest;
import org.ringmaster.crm.api.fencing.FenceResult;
import org.ringmaster.crm.api.fencing.FenceStatus;
import org.ringmaster.crm.api.fencing.Fencer;
import org.ringmaster.crm.api.resource.LocalResourceManager;
import org.ringmaster.membership.ConfigurationChange;
import org.ringmaster.membership.EvsChannel;
import org.ringmaster.membership.EvsListener;
import org.ringmaster.totem.Guarantee;

/**
 * Two simple CRMs in real time with the real LRM of the agents module and its {@code builtin:dummy}: the resource
 * starts, a monitor notices when its state file disappears and it is recovered, a move carries it to the
 * other node, and a configured alert agent hears of it. One ring, messages delivered on the test thread (no partitions: the simulations cover those).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RealAgentsTest {
    @TempDir
    Path dir;

    private final List<byte[]> ring = new ArrayList<>();
    private final List<Integer> senders = new ArrayList<>();

    final class Node implements CrmContext, ClusterView, EvsChannel, Fencer {
        final int id;
        final Path state;
        final ResourceExecutor lrm;
        final SimpleCrm crm;
        final MeterRegistry meters = new SimpleMeterRegistry();
        EvsListener listener;

        Node(int id, Path seed, Path alert) throws Exception {
            this.id = id;
            this.state = Files.createDirectories(dir.resolve("n" + id));
            this.lrm = new ResourceExecutor(ExecutorConfig.defaults(), new AgentCatalog(AgentsConfig.defaults()
                    .withStateDirectory(state.resolve("agents"))), new ThreadScheduler(), Clock.systemUTC(), meters);
            this.crm = new SimpleCrm(new CrmSettings(seed, Duration.ofSeconds(10), Duration.ofSeconds(5),
                    Duration.ofSeconds(10), Duration.ofMillis(200), alert, Duration.ofSeconds(5), "test"));
        }

        Path dummyState(String rsc) {
            return state.resolve("agents").resolve("dummy-" + rsc + ".state");
        }

        @Override public ClusterView view() { return this; }
        @Override public EvsChannel channel() { return this; }
        @Override public LocalResourceManager resources() { return lrm; }
        @Override public Fencer fencer() { return this; }
        @Override public MeterRegistry meters() { return meters; }
        @Override public Path stateDirectory() { return state.resolve("crm"); }
        @Override public Map<String, String> settings() { return Map.of(); }
        @Override public int localNodeId() { return id; }
        @Override public int[] members() { return new int[] {1, 2}; }
        @Override public boolean isQuorate() { return true; }
        @Override public String nodeName(int nodeId) { return "n" + nodeId; }
        @Override public Map<String, String> attributes(int nodeId) { return Map.of(); }
        @Override public int nodeId() { return id; }
        @Override public int maxMessageSize() { return 1 << 20; }
        @Override public void listener(EvsListener l) { listener = l; }

        @Override
        public boolean offer(DirectBuffer buffer, int offset, int length, Guarantee guarantee) {
            byte[] b = new byte[length];
            buffer.getBytes(offset, b);
            ring.add(b);
            senders.add(id);
            return true;
        }

        @Override
        public CompletableFuture<FenceResult> fence(FenceRequest request) {
            return CompletableFuture.completedFuture(new FenceResult(1, request.target(), request.action(),
                    FenceStatus.REFUSED, "n" + id, "", "", "no fencing in this test", java.time.Instant.now()));
        }

        @Override public void addListener(FenceListener l) { }
        @Override public void removeListener(FenceListener l) { }
        @Override public List<FenceResult> history() { return List.of(); }
    }

    private void pump(Node[] nodes) {
        for (Node n : nodes) {
            n.crm.doWork(System.nanoTime());
        }
        while (!ring.isEmpty()) {
            byte[] b = ring.remove(0);
            int sender = senders.remove(0);
            for (Node n : nodes) {
                n.listener.onMessage(sender, Guarantee.AGREED, new UnsafeBuffer(b), 0, b.length);
            }
        }
    }

    @Test
    void dummyStartsIsRecoveredAndMoves() throws Exception {
        Path seed = dir.resolve("resources.conf");
        Files.writeString(seed, Configs.nodelist(2) + """
                resources {
                  options {
                    fencing-enabled: false
                  }
                  primitive {
                    id: web
                    agent: builtin:dummy
                    op: monitor interval=200ms
                  }
                  location {
                    rsc: web
                    node: n1
                    score: 100
                  }
                }
                """);
        Path alerts = dir.resolve("alerts.log");
        Path alert = dir.resolve("alert.sh");
        Files.writeString(alert, "#!/bin/sh\necho \"$CRM_alert_node $CRM_alert_kind $CRM_alert_rsc $CRM_alert_task "
                + "$CRM_alert_desc\" >> " + alerts + "\n");
        Files.setPosixFilePermissions(alert, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Node[] nodes = {new Node(1, seed, alert), new Node(2, seed, alert)};
        try {
            for (Node n : nodes) {
                n.crm.start(n);
            }
            for (Node n : nodes) {
                n.listener.onConfigurationChange(new ConfigurationChange(ConfigurationChange.Kind.REGULAR, 4, 1,
                        new int[] {1, 2}, new int[] {1, 2}, new int[0], ConfigurationChange.Reason.START));
            }
            await().atMost(Duration.ofSeconds(20)).pollInSameThread().pollInterval(Duration.ofMillis(10))
                    .until(() -> {
                        pump(nodes);
                        return Files.exists(nodes[0].dummyState("web")) && nodes[0].crm.idle() && nodes[1].crm.idle();
                    });
            assertThat(nodes[1].dummyState("web")).doesNotExist();

            Files.delete(nodes[0].dummyState("web")); // the "process" dies; the monitor notices
            await().atMost(Duration.ofSeconds(20)).pollInSameThread().pollInterval(Duration.ofMillis(10))
                    .until(() -> {
                        pump(nodes);
                        return nodes[1].crm.snapshot().records().get("n1").failCount("web") == 1
                                && Files.exists(nodes[0].dummyState("web")) && nodes[0].crm.idle();
                    });

            CompletableFuture<CommandResult> move = nodes[1].crm.submit(List.of("resource", "move", "web", "n2"));
            await().atMost(Duration.ofSeconds(20)).pollInSameThread().pollInterval(Duration.ofMillis(10))
                    .until(() -> {
                        pump(nodes);
                        return move.isDone() && Files.exists(nodes[1].dummyState("web"))
                                && !Files.exists(nodes[0].dummyState("web")) && nodes[0].crm.idle();
                    });
            assertThat(move.get().exitCode()).isZero();
            assertThat(CrmCommands.of(nodes[0].crm).run(List.of("resource", "status", "web")).text())
                    .contains("web\tStarted on n2");
            // the alert agent heard the node and resource events (Pacemaker's alert environment)
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(alerts)
                    && Files.readAllLines(alerts).contains("n1 resource web monitor not running")
                    && Files.readAllLines(alerts).contains("n2 resource web start ok")
                    && Files.readAllLines(alerts).contains("n1 node   member"));
        } finally {
            for (Node n : nodes) {
                n.crm.close();
                n.lrm.close();
            }
        }
    }
}
