package org.ringmaster.agents.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
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
import org.ringmaster.agents.TestHost;
import org.ringmaster.agents.exec.ExecutorConfig;
import org.ringmaster.agents.exec.ResourceExecutor;
import org.ringmaster.agents.exec.ThreadScheduler;
import org.ringmaster.crm.api.resource.OperationResult;
import org.ringmaster.crm.api.resource.OperationStatus;
import org.ringmaster.crm.api.resource.ResourceAgentId;
import org.ringmaster.crm.api.resource.ResourceOperation;

/** LSB init scripts and heartbeat resource.d scripts: fixtures written here, run through the whole LRM. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ScriptAgentsTest {
    @TempDir
    Path dir;
    ResourceExecutor lrm;
    AgentCatalog catalog;

    @BeforeEach
    void setUp() {
        catalog = new AgentCatalog(AgentsConfig.defaults().withLsbDirectory(dir.resolve("init.d"))
            .withHeartbeatDirectories(List.of(dir.resolve("resource.d"), dir.resolve("init.d")))
            .withStateDirectory(dir.resolve("state")));
        lrm = new ResourceExecutor(ExecutorConfig.defaults(), catalog, new ThreadScheduler(), Clock.systemUTC(),
            new SimpleMeterRegistry());
    }

    @AfterEach
    void tearDown() {
        lrm.close();
    }

    private OperationResult run(String rsc, String agent, String action, Map<String, String> params) {
        return lrm.execute(ResourceOperation.of(rsc, ResourceAgentId.parse(agent), action, params))
            .join();
    }

    /** A well-behaved LSB script keeping its "daemon" as a flag file. */
    private void lsbFixture(String name) {
        Path flag = dir.resolve(name + ".running");
        TestHost.script(dir.resolve("init.d"), name, """
            ### BEGIN INIT INFO
            # Provides: %1$s
            ### END INIT INFO
            case "$1" in
              start) touch %2$s; echo "Starting %1$s"; exit 0;;
              stop) rm -f %2$s; echo "Stopping %1$s"; exit 0;;
              status) if [ -e %2$s ]; then echo "%1$s is running"; exit 0; else echo "%1$s is stopped"; exit 3; fi;;
              restart|force-reload) exit 0;;
              *) echo "Usage: $0 {start|stop|status|restart}"; exit 2;;
            esac
            """.formatted(name, flag));
    }

    @Test
    void lsbScriptCycle() {
        lsbFixture("webd");
        String a = "lsb:webd";
        assertThat(run("web", a, "monitor", Map.of()).rc()).isEqualTo(7);
        OperationResult start = run("web", a, "start", Map.of());
        assertThat(start.rc()).isZero();
        assertThat(start.outputTail()).contains("Starting webd");
        assertThat(run("web", a, "monitor", Map.of()).rc()).isZero();
        assertThat(run("web", a, "start", Map.of()).rc()).as("start is idempotent").isZero();
        assertThat(run("web", a, "stop", Map.of()).rc()).isZero();
        assertThat(run("web", a, "monitor", Map.of()).rc()).isEqualTo(7);
        assertThat(run("web", a, "stop", Map.of()).rc()).as("stop is idempotent").isZero();
        OperationResult promote = run("web", a, "promote", Map.of());
        assertThat(promote.status()).isEqualTo(OperationStatus.INVALID);
        assertThat(promote.rc()).isEqualTo(3);
        assertThat(promote.exitReason()).isEqualTo("lsb:webd does not support action 'promote'");
        assertThat(run("web", a, "meta-data", Map.of()).outputTail()).contains("<resource-agent name=\"webd\"");
        assertThat(lrm.history("web")).hasSize(9);
    }

    @Test
    void lsbStatusCodesOtherThanZeroAndThreeAreFailures() {
        for (int code : new int[] {1, 2, 4, 150}) {
            TestHost.script(dir.resolve("init.d"), "odd" + code, "exit " + code + "\n");
            OperationResult r = run("odd", "lsb:odd" + code, "monitor", Map.of());
            assertThat(r.rc()).as("status %d", code).isEqualTo(1);
            assertThat(r.exitReason()).startsWith("lsb:odd" + code + " monitor: LSB status " + code);
        }
        TestHost.script(dir.resolve("init.d"), "weird", "exit 99\n");
        assertThat(run("w", "lsb:weird", "start", Map.of()).exitReason())
            .isEqualTo("lsb:weird start exited with unknown code 99");
        OperationResult missing = run("m", "lsb:absent", "start", Map.of());
        assertThat(missing.status()).isEqualTo(OperationStatus.NOT_INSTALLED);
        assertThat(missing.exitReason()).contains("lsb:absent is not installed");
    }

    @Test
    void heartbeatResourceScriptCycleWithPositionalArguments() {
        Path log = dir.resolve("calls");
        Path flag = dir.resolve("hb.flag");
        // Like heartbeat's resource.d scripts: args first, the verb last, status always exits 0 and prints.
        TestHost.script(dir.resolve("resource.d"), "Thing", """
            eval "verb=\\${$#}"
            echo "$*" >> %1$s
            case "$verb" in
              start) echo "$1" > %2$s;;
              stop) rm -f %2$s;;
              status) if [ -e %2$s ]; then echo "running"; else echo "stopped"; fi;;
            esac
            exit 0
            """.formatted(log, flag));
        HeartbeatResource spec = HeartbeatResource.parse("Thing::10.0.0.8/24/eth0::extra");
        assertThat(spec.agent().toString()).isEqualTo("heartbeat:Thing");
        String a = spec.agent().toString();
        assertThat(run("hb", a, "monitor", spec.parameters()).rc()).isEqualTo(7);
        assertThat(run("hb", a, "start", spec.parameters()).rc()).isZero();
        assertThat(run("hb", a, "monitor", spec.parameters()).rc()).isZero();
        assertThat(run("hb", a, "stop", spec.parameters()).rc()).isZero();
        assertThat(run("hb", a, "status", spec.parameters()).rc()).isEqualTo(7);
        assertThat(TestHost.lines(log)).containsExactly("10.0.0.8/24/eth0 extra status", "10.0.0.8/24/eth0 extra start",
            "10.0.0.8/24/eth0 extra status", "10.0.0.8/24/eth0 extra stop", "10.0.0.8/24/eth0 extra status");
        OperationResult gap = run("hb", a, "start", Map.of("1", "x", "3", "y"));
        assertThat(gap.status()).isEqualTo(OperationStatus.INVALID);
        assertThat(gap.exitReason()).contains("parameters must be named 1, 2, 3");
    }

    @Test
    void heartbeatScriptsFallBackToInitD() {
        lsbFixture("legacyd");
        assertThat(run("lg", "heartbeat:legacyd", "start", Map.of()).rc()).isZero();
        assertThat(run("lg", "heartbeat:legacyd", "monitor", Map.of()).rc()).isZero();
        assertThat(run("lg", "heartbeat:legacyd", "stop", Map.of()).rc()).isZero();
        assertThat(run("lg", "heartbeat:legacyd", "monitor", Map.of()).rc()).isEqualTo(7);
        OperationResult fail = lrm.execute(ResourceOperation.of("lg", ResourceAgentId.parse("heartbeat:legacyd"),
            "promote", Map.of())).join();
        assertThat(fail.exitReason()).isEqualTo("heartbeat:legacyd does not support action 'promote'");
    }

    @Test
    void haresourcesSpecs() {
        HeartbeatResource bare = HeartbeatResource.parse("192.168.1.222/24/eth0");
        assertThat(bare.agent().toString()).isEqualTo("heartbeat:IPaddr");
        assertThat(bare.parameters()).containsExactly(Map.entry("1", "192.168.1.222/24/eth0"));
        HeartbeatResource fs = HeartbeatResource.parse("Filesystem::/dev/drbd0::/local/groups::ext3");
        assertThat(fs.parameters()).containsOnly(Map.entry("1", "/dev/drbd0"), Map.entry("2", "/local/groups"),
            Map.entry("3", "ext3"));
        assertThat(HeartbeatResource.parse("httpd").parameters()).isEmpty();
        assertThatThrownBy(() -> HeartbeatResource.parse("::x")).hasMessageContaining("'::x' has no script name");
        assertThatThrownBy(() -> HeartbeatResource.parse("IPaddr::::x")).hasMessageContaining("empty argument 1");
        assertThat(HeartbeatAgent.isRunning(new org.ringmaster.agents.process.ProcessOutcome(0, false, Duration.ZERO,
            "", false, "OK\n", ""))).isTrue();
        assertThat(HeartbeatAgent.isRunning(new org.ringmaster.agents.process.ProcessOutcome(0, false, Duration.ZERO,
            "", false, "foo is not running\n", ""))).isFalse();
    }
}
