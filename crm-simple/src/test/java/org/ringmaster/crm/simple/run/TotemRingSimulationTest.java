package org.ringmaster.crm.simple.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
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
import org.ringmaster.membership.sim.SimCluster;
import org.ringmaster.totem.Guarantee;

/**
 * The simple CRM over real {@code TotemNode}s (membership's simulation harness: the Totem protocol on a seeded
 * simulated network), so the EVS configuration changes and message ordering are the real ones: failover with
 * fencing after a crash, and a partition in which the majority fences the minority, which then rejoins. Fewer seeds than the
 * in-memory simulations: each run executes the whole ring protocol.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TotemRingSimulationTest {
    private static final long TICK_NS = 20_000_000L;

    @TempDir
    Path dir;

    /** Everything above one Totem node: the CRM and its fake services. */
    final class Host implements CrmContext, ClusterView, EvsChannel, Fencer {
        final int id;
        final EvsChannel channel;
        final SimLrm lrm;
        final SimpleCrm crm;
        final MeterRegistry meters = new SimpleMeterRegistry();
        EvsListener listener;
        int[] members = new int[0];

        Host(int id, EvsChannel channel, long seed) {
            this.id = id;
            this.channel = channel;
            this.lrm = new SimLrm("n" + id, seed, log);
            this.crm = new SimpleCrm(settings);
        }

        @Override public ClusterView view() { return this; }
        @Override public EvsChannel channel() { return this; }
        @Override public LocalResourceManager resources() { return lrm; }
        @Override public Fencer fencer() { return this; }
        @Override public MeterRegistry meters() { return meters; }
        @Override public Path stateDirectory() { return stateRoot.resolve("n" + id); }
        @Override public Map<String, String> settings() { return Map.of(); }
        @Override public int localNodeId() { return id; }
        @Override public int[] members() { return members.clone(); }
        @Override public boolean isQuorate() { return members.length * 2 > SIZE; }
        @Override public String nodeName(int nodeId) { return "n" + nodeId; }
        @Override public Map<String, String> attributes(int nodeId) { return Map.of(); }
        @Override public int nodeId() { return id; }
        @Override public int maxMessageSize() { return channel.maxMessageSize(); }
        @Override public boolean offer(DirectBuffer b, int o, int l, Guarantee g) { return channel.offer(b, o, l, g); }
        @Override public void listener(EvsListener l) { listener = l; }

        @Override
        public CompletableFuture<FenceResult> fence(FenceRequest request) {
            CompletableFuture<FenceResult> f = new CompletableFuture<>();
            int target = Integer.parseInt(request.target().substring(1));
            long at = cluster.network().nowNs() + 300_000_000L;
            cluster.at(at, "fence " + request.target(), c -> {
                log.fenced(request.target());
                powerOff(target);
                f.complete(new FenceResult(target, request.target(), request.action(), FenceStatus.SUCCEEDED,
                        "n" + id, "n" + id, "sim", "", Instant.EPOCH));
            });
            return f;
        }

        @Override public void addListener(FenceListener l) { }
        @Override public void removeListener(FenceListener l) { }
        @Override public List<FenceResult> history() { return List.of(); }
    }

    static final int SIZE = 3;
    SimCluster cluster;
    Path stateRoot;
    SimLog log;
    CrmSettings settings;
    final Map<Integer, Host> hosts = new HashMap<>();
    final List<String> violations = new ArrayList<>();

    private void powerOff(int id) {
        Host h = hosts.remove(id);
        if (h != null) {
            h.lrm.powerOff();
        }
        cluster.crash(id);
    }

    private void tick() {
        long now = cluster.network().nowNs();
        Map<String, Integer> running = new HashMap<>();
        for (int id = 1; id <= SIZE; id++) {
            Host h = hosts.get(id);
            if (h == null || !cluster.isUp(id)) {
                continue;
            }
            h.lrm.tick(now);
            h.crm.doWork(now);
            for (String rsc : h.lrm.runningSet()) {
                if (running.merge(rsc, 1, Integer::sum) > 1) {
                    violations.add(now / 1_000_000 + "ms: " + rsc + " runs twice");
                }
            }
        }
    }

    private boolean runUntil(BooleanSupplier condition, long maxMs) {
        long end = cluster.network().nowNs() + maxMs * 1_000_000L;
        while (cluster.network().nowNs() < end) {
            long next = cluster.network().nowNs() + TICK_NS;
            cluster.at(next, "tick", c -> tick());
            cluster.runUntil(next);
            if (condition.getAsBoolean()) {
                return true;
            }
        }
        return false;
    }

    private List<String> runningOn(String rsc) {
        List<String> out = new ArrayList<>();
        hosts.forEach((id, h) -> {
            if (cluster.isUp(id) && h.lrm.isRunning(rsc)) {
                out.add("n" + id);
            }
        });
        out.sort(String::compareTo);
        return out;
    }

    private void setUp(long seed, Path d) throws Exception {
        Files.createDirectories(d);
        Path seedFile = d.resolve("resources.conf");
        Files.writeString(seedFile, Configs.of(SIZE, true, "stop", Configs.dummy("web")
                + Configs.location("web", "n1", 100)));
        settings = new CrmSettings(seedFile, Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofSeconds(10),
                Duration.ofMillis(300));
        hosts.clear();
        violations.clear();
        cluster = new SimCluster(seed, SIZE).tokenMs(300);
        log = new SimLog(() -> cluster.network().nowNs() / 1_000_000);
        cluster.above((id, node, channel) -> {
            Host h = new Host(id, channel, seed * 7 + id);
            hosts.put(id, h);
            h.crm.start(h);
            return new EvsListener() {
                @Override
                public void onMessage(int sender, Guarantee g, DirectBuffer b, int o, int l) {
                    h.listener.onMessage(sender, g, b, o, l);
                }

                @Override
                public void onConfigurationChange(ConfigurationChange change) {
                    if (change.isRegular()) {
                        h.members = change.members();
                    }
                    h.listener.onConfigurationChange(change);
                }
            };
        });
        this.stateRoot = d;
        for (int id = 1; id <= SIZE; id++) {
            cluster.start(id);
        }
    }

    private boolean quiet() {
        for (int id = 1; id <= SIZE; id++) {
            Host h = hosts.get(id);
            if (h != null && cluster.isUp(id) && !h.crm.idle()) {
                return false;
            }
        }
        return true;
    }

    @Test
    void failoverAfterACrashOnTheRealRing() throws Exception {
        Path root = dir;
        Seeds.run(25, 20000, root, (seed, d) -> {
            setUp(seed, d);
            assertThat(runUntil(() -> runningOn("web").equals(List.of("n1")) && quiet(), 30_000))
                    .as("web on n1: %s", cluster).isTrue();
            powerOff(1);
            assertThat(runUntil(() -> runningOn("web").size() == 1 && quiet(), 30_000))
                    .as("web recovers: %s %s", cluster, log.events).isTrue();
            long fenced = log.events.stream().filter(e -> e.kind().equals("fenced") && e.node().equals("n1"))
                    .mapToLong(SimLog.Event::timeMs).min().orElse(Long.MAX_VALUE);
            assertThat(fenced).as("fenced before the new start: %s", log.events)
                    .isLessThanOrEqualTo(log.of("start-submitted", "web").get(1).timeMs());
            assertThat(violations).isEmpty();
            assertThat(log.violations).isEmpty();
        });
    }

    @Test
    void theMajorityFencesAPartitionedNodeBeforeRecovery() throws Exception {
        Path root = dir;
        Seeds.run(25, 21000, root, (seed, d) -> {
            setUp(seed, d);
            assertThat(runUntil(() -> runningOn("web").equals(List.of("n1")) && quiet(), 30_000))
                    .as("web on n1: %s", cluster).isTrue();
            cluster.network().partition(new int[] {1}, new int[] {2, 3});
            assertThat(runUntil(() -> runningOn("web").size() == 1 && !runningOn("web").contains("n1") && quiet(),
                    30_000)).as("web moves to the majority: %s %s", cluster, log.events).isTrue();
            assertThat(log.events).anyMatch(e -> e.kind().equals("fenced") && e.node().equals("n1"));
            // the network heals, the fenced node boots again, rejoins and (no stickiness) gets web back
            cluster.network().heal();
            cluster.start(1);
            assertThat(runUntil(() -> runningOn("web").equals(List.of("n1")) && quiet(), 30_000))
                    .as("n1 rejoins and gets web back: %s %s", cluster, log.events).isTrue();
            assertThat(hosts.get(1).crm.snapshot().members()).containsExactly("n1", "n2", "n3");
            assertThat(violations).as("never twice: %s", log.events).isEmpty();
            assertThat(log.violations).isEmpty();
        });
    }
}
