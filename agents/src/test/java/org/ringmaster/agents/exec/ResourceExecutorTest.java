package org.ringmaster.agents.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ringmaster.agents.AgentCatalog;
import org.ringmaster.agents.AgentException;
import org.ringmaster.agents.AgentMetadata;
import org.ringmaster.agents.AgentOutcome;
import org.ringmaster.agents.AgentsConfig;
import org.ringmaster.agents.ResourceAgent;
import org.ringmaster.crm.api.resource.OperationResult;
import org.ringmaster.crm.api.resource.OperationStatus;
import org.ringmaster.crm.api.resource.ResourceAgentId;
import org.ringmaster.crm.api.resource.ResourceOperation;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ResourceExecutorTest {
    static final ResourceAgentId FAKE = ResourceAgentId.parse("ocf:test:fake");
    static final ResourceAgentId DUMMY = ResourceAgentId.parse("builtin:dummy");

    @TempDir
    Path state;

    final ManualScheduler scheduler = new ManualScheduler();
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final List<OperationResult> heard = Collections.synchronizedList(new ArrayList<>());
    ResourceExecutor lrm;

    @AfterEach
    void tearDown() {
        if (lrm != null) {
            lrm.close();
        }
    }

    private ResourceExecutor start(ExecutorConfig config, ResourceAgent fake) {
        AgentCatalog catalog = new AgentCatalog(AgentsConfig.defaults().withStateDirectory(state));
        lrm = new ResourceExecutor(config, id -> id.equals(FAKE) ? fake : catalog.resolve(id), scheduler,
            Clock.systemUTC(), meters);
        lrm.addListener(heard::add);
        return lrm;
    }

    private static ResourceOperation op(String rsc, ResourceAgentId agent, String action) {
        return ResourceOperation.of(rsc, agent, action, Map.of());
    }

    /** A fake agent whose runs block on a gate and record how many run at once. */
    static final class GatedAgent implements ResourceAgent {
        final CountDownLatch gate = new CountDownLatch(1);
        final AtomicInteger active = new AtomicInteger();
        final AtomicInteger maxActive = new AtomicInteger();
        final Map<String, AtomicInteger> perResource = new ConcurrentHashMap<>();
        final AtomicInteger maxPerResource = new AtomicInteger();
        final List<String> order = Collections.synchronizedList(new ArrayList<>());

        @Override
        public ResourceAgentId id() {
            return FAKE;
        }

        @Override
        public AgentOutcome run(ResourceOperation op, Duration timeout) {
            AtomicInteger mine = perResource.computeIfAbsent(op.resourceId(), k -> new AtomicInteger());
            maxPerResource.accumulateAndGet(mine.incrementAndGet(), Math::max);
            maxActive.accumulateAndGet(active.incrementAndGet(), Math::max);
            order.add(op.resourceId() + ":" + op.parameters().get("n"));
            try {
                gate.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            active.decrementAndGet();
            mine.decrementAndGet();
            return AgentOutcome.done(0, "", Duration.ofMillis(1), "");
        }

        @Override
        public AgentMetadata metadata() {
            return AgentMetadata.parse("<resource-agent name=\"fake\"/>", "fake");
        }
    }

    @Test
    void serialisesPerResourceAndBoundsConcurrencyAcrossResources() {
        GatedAgent fake = new GatedAgent();
        start(ExecutorConfig.defaults().withMaxConcurrent(2), fake);
        List<CompletableFuture<OperationResult>> futures = new ArrayList<>();
        for (int n = 0; n < 4; n++) {
            for (String rsc : List.of("a", "b", "c")) {
                futures.add(lrm.execute(ResourceOperation.of(rsc, FAKE, "start", Map.of("n", Integer.toString(n)))));
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> fake.active.get() == 2);
        assertThat(lrm.pending()).isEqualTo(12);
        fake.gate.countDown();
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
        assertThat(fake.maxActive.get()).isEqualTo(2);
        assertThat(fake.maxPerResource.get()).isEqualTo(1);
        for (String rsc : List.of("a", "b", "c")) {
            assertThat(fake.order.stream().filter(s -> s.startsWith(rsc + ":")).toList())
                .containsExactly(rsc + ":0", rsc + ":1", rsc + ":2", rsc + ":3");
        }
        assertThat(heard).hasSize(12);
        assertThat(lrm.history("a")).hasSize(4).allMatch(r -> r.isDone() && r.rc() == 0);
        assertThat(meters.get("ringmaster.lrm.operations").tag("status", "DONE").counter().count()).isEqualTo(12.0);
    }

    @Test
    void recurringMonitorReportsChangesAndDetectsAResourceKilledBehindItsBack() throws Exception {
        start(ExecutorConfig.defaults(), null);
        assertThat(lrm.execute(op("d1", DUMMY, "start")).join().rc()).isZero();
        lrm.startRecurring(op("d1", DUMMY, "monitor").withInterval(Duration.ofSeconds(10)));
        scheduler.advance(Duration.ZERO); // the first run is immediate
        await().until(() -> heard.size() == 2);
        assertThat(heard.get(1).action()).isEqualTo("monitor");
        assertThat(heard.get(1).rc()).isZero();
        // Unchanged results are not reported again, but the monitor keeps running every interval.
        await().until(() -> lrm.pending() == 0 && scheduler.pendingTasks() == 1);
        scheduler.advance(Duration.ofSeconds(9));
        assertThat(lrm.pending()).isZero();
        assertThat(meters.get("ringmaster.lrm.operations").tag("action", "monitor").counter().count()).isEqualTo(1.0);
        scheduler.advance(Duration.ofSeconds(1));
        await().until(() -> meters.get("ringmaster.lrm.operations").tag("action", "monitor").counter().count() == 2.0);
        await().until(() -> lrm.pending() == 0 && scheduler.pendingTasks() == 1);
        assertThat(heard).as("unchanged result not reported").hasSize(2);
        // Killed behind our back: the state file disappears.
        Files.delete(state.resolve("dummy-d1.state"));
        scheduler.advance(Duration.ofSeconds(10));
        await().until(() -> heard.size() == 3);
        OperationResult failed = heard.get(2);
        assertThat(failed.action()).isEqualTo("monitor");
        assertThat(failed.rc()).isEqualTo(7);
        assertThat(failed.operation().interval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(lrm.history("d1")).extracting(OperationResult::rc).containsExactly(0, 0, 7);
    }

    @Test
    void stopCancelsRecurringOperations() {
        start(ExecutorConfig.defaults(), null);
        lrm.execute(op("d2", DUMMY, "start")).join();
        lrm.startRecurring(op("d2", DUMMY, "monitor").withInterval(Duration.ofSeconds(5)));
        assertThat(scheduler.pendingTasks()).isEqualTo(1);
        assertThat(lrm.execute(op("d2", DUMMY, "stop")).join().rc()).isZero();
        assertThat(scheduler.pendingTasks()).isZero();
        scheduler.advance(Duration.ofSeconds(30));
        assertThat(heard).extracting(OperationResult::action).containsExactly("start", "stop");
        assertThat(lrm.cancelRecurring("d2", "monitor", Duration.ofSeconds(5))).isFalse();
        lrm.startRecurring(op("d2", DUMMY, "monitor").withInterval(Duration.ofSeconds(5)));
        assertThat(lrm.cancelRecurring("d2", "monitor", Duration.ofSeconds(5))).isTrue();
        assertThat(scheduler.pendingTasks()).isZero();
    }

    @Test
    void misbehavingAgentsGiveClearErrorsAndTheLrmKeepsServing() {
        ResourceAgent broken = new ResourceAgent() {
            @Override
            public ResourceAgentId id() {
                return FAKE;
            }

            @Override
            public AgentOutcome run(ResourceOperation op, Duration timeout) {
                throw new IllegalStateException("boom");
            }

            @Override
            public AgentMetadata metadata() throws AgentException {
                throw new AgentException(OperationStatus.ERROR, 1, "no meta-data");
            }
        };
        start(ExecutorConfig.defaults(), broken);
        OperationResult r = lrm.execute(op("x", FAKE, "start")).join();
        assertThat(r.status()).isEqualTo(OperationStatus.ERROR);
        assertThat(r.exitReason()).contains("ocf:test:fake start of x failed").contains("boom");
        OperationResult unknown = lrm.execute(op("y", ResourceAgentId.parse("upstart:foo"), "start")).join();
        assertThat(unknown.status()).isEqualTo(OperationStatus.NOT_INSTALLED);
        assertThat(unknown.rc()).isEqualTo(5);
        assertThat(unknown.exitReason()).contains("unknown agent class 'upstart'");
        assertThat(lrm.execute(op("z", DUMMY, "start")).join().rc()).isZero();
        assertThat(lrm.history("x")).containsExactly(r);
        assertThat(lrm.history("nothing")).isEmpty();
    }

    @Test
    void timeoutComesFromTheOperationThenTheAgentThenTheDefault() {
        ResourceAgent echo = new ResourceAgent() {
            @Override
            public ResourceAgentId id() {
                return FAKE;
            }

            @Override
            public AgentOutcome run(ResourceOperation op, Duration timeout) {
                return AgentOutcome.done(0, Long.toString(timeout.toMillis()), Duration.ZERO, "");
            }

            @Override
            public AgentMetadata metadata() {
                return AgentMetadata.parse("<resource-agent name=\"e\"><actions><action name=\"start\" timeout=\"33s\"/>"
                    + "</actions></resource-agent>", "e");
            }

            @Override
            public Optional<Duration> defaultTimeout(String action) {
                return metadata().timeout(action);
            }
        };
        start(ExecutorConfig.defaults().withDefaultTimeout(Duration.ofSeconds(11)), echo);
        assertThat(lrm.execute(op("t", FAKE, "start").withTimeout(Duration.ofMillis(1500))).join().exitReason())
            .isEqualTo("1500");
        assertThat(lrm.execute(op("t", FAKE, "start")).join().exitReason()).isEqualTo("33000");
        assertThat(lrm.execute(op("t", FAKE, "monitor")).join().exitReason()).isEqualTo("11000");
    }

    @Test
    void historyIsBoundedPerResource() {
        start(ExecutorConfig.defaults().withHistoryPerResource(3), null);
        for (int i = 0; i < 5; i++) {
            lrm.execute(op("h", DUMMY, i % 2 == 0 ? "start" : "stop")).join();
        }
        List<OperationResult> h = lrm.history("h");
        assertThat(h).hasSize(3).extracting(OperationResult::action).containsExactly("start", "stop", "start");
        assertThat(h.get(0).callId()).isLessThan(h.get(2).callId());
    }

    @Test
    void closeCancelsQueuedOperationsAndRefusesNewOnes() {
        GatedAgent fake = new GatedAgent();
        start(ExecutorConfig.defaults().withMaxConcurrent(1), fake);
        CompletableFuture<OperationResult> running = lrm.execute(op("q", FAKE, "start"));
        CompletableFuture<OperationResult> queued = lrm.execute(op("q", FAKE, "monitor"));
        await().until(() -> fake.active.get() == 1);
        Thread closer = new Thread(lrm::close);
        closer.start();
        assertThat(queued.join().status()).isEqualTo(OperationStatus.CANCELLED);
        fake.gate.countDown();
        assertThat(running.join().status()).isEqualTo(OperationStatus.DONE);
        await().until(() -> !closer.isAlive());
        OperationResult late = lrm.execute(op("q", FAKE, "start")).join();
        assertThat(late.status()).isEqualTo(OperationStatus.CANCELLED);
        assertThat(late.exitReason()).contains("closed");
    }

    @Test
    void listenerFailuresAreContainedAndListenersCanBeRemoved() throws Exception {
        start(ExecutorConfig.defaults(), null);
        AutoCloseable bad = lrm.addListener(r -> {
            throw new IllegalStateException("listener bug");
        });
        assertThat(lrm.execute(op("l", DUMMY, "start")).join().rc()).isZero();
        await().until(() -> heard.size() == 1);
        bad.close();
        lrm.execute(op("l", DUMMY, "monitor")).join();
        await().until(() -> heard.size() == 2);
    }

    @Test
    void recurringAndOneShotAreNotConfused() {
        start(ExecutorConfig.defaults(), null);
        assertThatThrownBy(() -> lrm.execute(op("r", DUMMY, "monitor").withInterval(Duration.ofSeconds(1))))
            .hasMessageContaining("r_monitor_1000 is recurring");
        assertThatThrownBy(() -> lrm.startRecurring(op("r", DUMMY, "monitor")))
            .hasMessageContaining("has interval 0");
        assertThatThrownBy(() -> ExecutorConfig.defaults().withMaxConcurrent(0)).hasMessageContaining("maxConcurrent");
    }
}
