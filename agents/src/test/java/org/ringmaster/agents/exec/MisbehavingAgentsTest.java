package org.ringmaster.agents.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
import org.ringmaster.agents.process.ProcessRunner;
import org.ringmaster.agents.process.ProcessSettings;
import org.ringmaster.crm.api.resource.OperationResult;
import org.ringmaster.crm.api.resource.OperationStatus;
import org.ringmaster.crm.api.resource.ResourceAgentId;
import org.ringmaster.crm.api.resource.ResourceOperation;

/**
 * Every kind of misbehaving agent, through the whole LRM: each gives a clear error in the resource's history
 * naming agent and action, and the LRM goes on serving other resources.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MisbehavingAgentsTest {
    static final int TAIL = 2048;

    @TempDir
    Path root;
    ResourceExecutor lrm;

    @BeforeEach
    void setUp() {
        lrm = new ResourceExecutor(ExecutorConfig.defaults().withMaxConcurrent(2), new AgentCatalog(AgentsConfig.defaults()
            .withOcfRoot(root).withStateDirectory(root.resolve("state"))
            .withProcess(ProcessSettings.defaults().withTailBytes(TAIL).withKillGrace(Duration.ofMillis(200)))),
            new ThreadScheduler(), Clock.systemUTC(), new SimpleMeterRegistry());
    }

    @AfterEach
    void tearDown() {
        lrm.close();
    }

    private Path agent(String type, String body) {
        return TestHost.script(root.resolve("resource.d/bad"), type, """
            [ "$1" = meta-data ] && { echo '<resource-agent name="x"/>'; exit 0; }
            """ + body);
    }

    private OperationResult run(String rsc, String type, String action) {
        return lrm.execute(ResourceOperation.of(rsc, ResourceAgentId.parse("ocf:bad:" + type), action, Map.of())
            .withTimeout(Duration.ofMillis(800))).join();
    }

    private void lrmStillServes(String rsc) {
        OperationResult ok = lrm.execute(ResourceOperation.of(rsc + "-ok", ResourceAgentId.parse("builtin:dummy"),
            "start", Map.of())).join();
        assertThat(ok.is(org.ringmaster.crm.api.resource.OcfExitCode.SUCCESS)).isTrue();
    }

    @Test
    void hangingAgentIsKilledWithItsChildren() throws Exception {
        Path pids = root.resolve("pids");
        agent("Hang", "sleep 600 & echo $! > " + pids + "; echo started; wait\n");
        OperationResult r = run("h", "Hang", "start");
        assertThat(r.status()).isEqualTo(OperationStatus.TIMED_OUT);
        assertThat(r.exitReason()).isEqualTo("ocf:bad:Hang start timed out after 800 ms; its process group was killed");
        assertThat(r.outputTail()).contains("started");
        assertThat(lrm.history("h")).containsExactly(r);
        long child = Long.parseLong(Files.readString(pids).trim());
        var st = org.ringmaster.agents.process.ProcStat.of(child);
        assertThat(st == null || st.state() == 'Z').as("child sleep %d is gone", child).isTrue();
        lrmStillServes("h");
    }

    @Test
    void megabytesOfOutputAreCutToTheTail() {
        agent("Noisy", "head -c 20000000 /dev/urandom; echo; echo the-end; exit 0\n");
        OperationResult r = run("n", "Noisy", "monitor");
        assertThat(r.is(org.ringmaster.crm.api.resource.OcfExitCode.SUCCESS)).as(r.toString()).isTrue();
        assertThat(r.outputTail()).endsWith("the-end\n").contains("earlier bytes dropped");
        assertThat(r.outputTail().length()).isLessThanOrEqualTo(TAIL + 64);
        lrmStillServes("n");
    }

    @Test
    void unknownExitCode() {
        agent("Odd", "exit 77\n");
        OperationResult r = run("o", "Odd", "monitor");
        assertThat(r.status()).isEqualTo(OperationStatus.DONE);
        assertThat(r.rc()).isEqualTo(77);
        assertThat(r.exitReason()).isEqualTo("ocf:bad:Odd monitor exited with unknown code 77");
        assertThat(r.toString()).contains("rc=77 (unknown)");
        lrmStillServes("o");
    }

    @Test
    void missingAndNotExecutableAgents() throws Exception {
        OperationResult missing = run("m", "Nowhere", "start");
        assertThat(missing.status()).isEqualTo(OperationStatus.NOT_INSTALLED);
        assertThat(missing.rc()).isEqualTo(5);
        assertThat(missing.exitReason()).startsWith("ocf:bad:Nowhere is not installed: ")
            .endsWith("resource.d/bad/Nowhere does not exist");
        Path p = agent("Plain", "exit 0\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
        OperationResult plain = run("m", "Plain", "start");
        assertThat(plain.status()).isEqualTo(OperationStatus.NOT_INSTALLED);
        assertThat(plain.exitReason()).endsWith("is not executable");
        assertThat(lrm.history("m")).containsExactly(missing, plain);
        lrmStillServes("m");
    }

    @Test
    void metaDataThatIsNotXml() {
        TestHost.script(root.resolve("resource.d/bad"), "Garbled", "echo '<resource-agent name=\"x\"><parameters>'\n");
        OperationResult r = run("g", "Garbled", "meta-data");
        assertThat(r.status()).isEqualTo(OperationStatus.ERROR);
        assertThat(r.exitReason()).startsWith("ocf:bad:Garbled meta-data: meta-data of ocf:bad:Garbled is not XML");
        lrmStillServes("g");
    }

    @Test
    void timedOutAgentLeavesNoProcessBehind() throws Exception {
        Path pids = root.resolve("forked");
        agent("Forker", "for i in 1 2 3; do sleep 700 & echo $! >> " + pids + "; done; echo $$ >> " + pids
            + "; exec sleep 700\n");
        OperationResult r = run("f", "Forker", "start");
        assertThat(r.status()).isEqualTo(OperationStatus.TIMED_OUT);
        List<String> forked = Files.readAllLines(pids);
        assertThat(forked).hasSize(4);
        assertThat(ProcessRunner.groupMembers(Long.parseLong(forked.get(3).trim()))).isEmpty();
        assertThat(TestHost.processesMatching("sleep 700")).isEmpty();
    }
}
