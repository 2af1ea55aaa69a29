package org.ringmaster.fencing.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class FenceAgentExecutorTest {

    private static final String SECRET = "s3cr3t-Pa55";

    @TempDir
    Path dir;

    private final FenceAgentExecutor executor = FenceAgentExecutor.withDefaults();

    private static AgentParams ipmiParams() {
        return AgentParams.of(Map.of("ip", "10.0.0.5", "username", "admin", "password", SECRET))
            .with("plug", "node2");
    }

    @Test
    void sendsParametersOnStdinAndNeverOnTheCommandLineOrEnvironment() throws Exception {
        Path agent = FakeAgents.echo(dir);
        AgentOutcome o = executor.run(AgentCall.once(agent.toString(), AgentAction.OFF, ipmiParams(),
            Duration.ofSeconds(10)));

        assertThat(o.succeeded()).isTrue();
        assertThat(o.exitCode()).isZero();
        List<String> stdin = Files.readAllLines(dir.resolve("stdin.txt"));
        assertThat(stdin.get(0)).isEqualTo("action=off");
        assertThat(stdin).containsExactlyInAnyOrder("action=off", "ip=10.0.0.5", "username=admin",
            "password=" + SECRET, "plug=node2");
        assertThat(Files.readString(dir.resolve("argc.txt")).strip()).isEqualTo("0");
        assertThat(Files.readString(dir.resolve("cmdline.txt"))).doesNotContain(SECRET).contains("fence_echo");
        assertThat(Files.readString(dir.resolve("ps.txt"))).doesNotContain(SECRET);
        String env = Files.readString(dir.resolve("env.txt"));
        assertThat(env).doesNotContain(SECRET).contains("LC_ALL=C");
    }

    @Test
    void statusExitTwoMeansOffAndIsAnAnswerNotAFailure() throws Exception {
        AgentOutcome o = executor.run(AgentCall.once(FakeAgents.echo(dir).toString(), AgentAction.STATUS,
            ipmiParams(), Duration.ofSeconds(10)));
        assertThat(o.succeeded()).isTrue();
        assertThat(o.powerState()).isEqualTo(AgentOutcome.PowerState.OFF);
    }

    @Test
    void listIsParsedIntoPortsAndAliases() throws Exception {
        List<HostListEntry> hosts = executor.list(FakeAgents.echo(dir).toString(), ipmiParams(),
            Duration.ofSeconds(10), 0);
        assertThat(hosts).containsExactly(new HostListEntry("node1", "n1"), new HostListEntry("node2", "n2"),
            new HostListEntry("node3", ""));
        assertThat(hosts.get(1).matches("n2")).isTrue();
    }

    @Test
    void hangingAgentIsKilledWithItsWholeProcessGroupAtTheTimeout() throws Exception {
        Path agent = FakeAgents.hang(dir);
        long start = System.nanoTime();
        AgentOutcome o = executor.run(AgentCall.once(agent.toString(), AgentAction.REBOOT, ipmiParams(),
            Duration.ofMillis(500)));
        long tookMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(o.timedOut()).isTrue();
        assertThat(o.succeeded()).isFalse();
        assertThat(o.exitCode()).isEqualTo(-1);
        assertThat(o.describe()).contains("fence_hang reboot: timed out");
        assertThat(tookMs).isLessThan(5_000);
        long child = Long.parseLong(Files.readString(dir.resolve("child.pid")).strip());
        await().atMost(Duration.ofSeconds(5)).until(() -> ProcessHandle.of(child).map(h -> !h.isAlive()).orElse(true));
    }

    @Test
    void failuresAreRetriedAndSecretsRedactedFromTheOutput() throws Exception {
        Path agent = FakeAgents.failing(dir);
        AgentOutcome o = executor.run(new AgentCall(agent.toString(), AgentAction.OFF, ipmiParams(),
            Duration.ofSeconds(10), 2));

        assertThat(o.succeeded()).isFalse();
        assertThat(o.exitCode()).isEqualTo(1);
        assertThat(o.attempts()).isEqualTo(3);
        assertThat(Files.readAllLines(dir.resolve("attempts.txt"))).hasSize(3);
        assertThat(o.stderr()).doesNotContain(SECRET).contains("password " + AgentParams.MASK + " denied");
        assertThat(o.describe()).doesNotContain(SECRET).contains("exit 1 after 3 attempts")
            .contains("denied by 10.0.0.9");
    }

    @Test
    void aRetryThatSucceedsEndsTheCall() throws Exception {
        AgentOutcome o = executor.run(new AgentCall(FakeAgents.flaky(dir).toString(), AgentAction.ON,
            AgentParams.empty(), Duration.ofSeconds(10), 3));
        assertThat(o.succeeded()).isTrue();
        assertThat(o.attempts()).isEqualTo(2);
    }

    @Test
    void garbageOutputIsBoundedAndRejectedWithAClearError() throws Exception {
        Path agent = FakeAgents.garbage(dir);
        FenceAgentExecutor small = new FenceAgentExecutor(FenceAgentExecutor.Config.defaults().withMaxOutputBytes(4096));
        AgentOutcome o = small.run(AgentCall.once(agent.toString(), AgentAction.LIST, AgentParams.empty(),
            Duration.ofSeconds(10)));
        assertThat(o.stdout().length()).isLessThan(4200);
        assertThat(o.stdout()).contains("more bytes dropped");

        assertThatThrownBy(() -> small.list(agent.toString(), AgentParams.empty(), Duration.ofSeconds(10), 0))
            .isInstanceOf(FenceAgentException.class)
            .hasMessageContaining("fence_garbage list: line 1 is not 'port,alias'");
        assertThatThrownBy(() -> small.metadata(agent.toString()))
            .isInstanceOf(FenceAgentException.class)
            .hasMessageContaining("fence agent " + agent + " metadata is not valid XML at line 1");
    }

    @Test
    void missingOrNonExecutableAgentsAreNamed() throws Exception {
        FenceAgentExecutor ex = new FenceAgentExecutor(FenceAgentExecutor.Config.defaults().withAgentDirs(List.of(dir)));
        assertThatThrownBy(() -> ex.resolve("fence_nothere"))
            .hasMessageContaining("fence agent 'fence_nothere' not found in [" + dir + "]");
        Path notExec = Files.writeString(dir.resolve("fence_plain"), "#!/bin/sh\n");
        assertThatThrownBy(() -> ex.resolve("fence_plain")).hasMessageContaining("is not executable");
        assertThatThrownBy(() -> ex.resolve("../etc/passwd")).hasMessageContaining("bad fence agent name");
        FakeAgents.echo(dir);
        assertThat(ex.resolve("fence_echo")).isEqualTo(dir.resolve("fence_echo"));
        assertThat(notExec).exists();
    }

    @Test
    void configAndCallValidationNameTheSetting() {
        assertThatThrownBy(() -> AgentCall.once("fence_x", AgentAction.OFF, AgentParams.empty(), Duration.ZERO))
            .hasMessageContaining("fence agent fence_x off: timeout must be positive");
        assertThatThrownBy(() -> new AgentCall("fence_x", AgentAction.OFF, AgentParams.empty(), Duration.ofSeconds(1), -1))
            .hasMessageContaining("retries must be >= 0");
        assertThatThrownBy(() -> FenceAgentExecutor.Config.defaults().withMaxOutputBytes(10))
            .hasMessageContaining("maxOutputBytes");
    }
}
