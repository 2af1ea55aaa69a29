package org.ringmaster.agents.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ringmaster.agents.TestHost;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProcessRunnerTest {
    @TempDir
    Path dir;

    private final ProcessRunner runner = new ProcessRunner(ProcessSettings.defaults()
        .withKillGrace(Duration.ofMillis(300)));

    @Test
    void runsWithCleanEnvironmentAndCapturesExitReasonAndOutput() throws Exception {
        Path s = TestHost.script(dir, "a", """
            echo "hello $FOO ${HOME:-nohome}"
            echo "ocf-exit-reason:first" >&2
            echo "ocf-exit-reason:disk is full" >&2
            exit 3
            """);
        ProcessOutcome out = runner.run(List.of(s.toString()), Map.of("FOO", "bar"), Duration.ofSeconds(10), true);
        assertThat(out.exitCode()).isEqualTo(3);
        assertThat(out.timedOut()).isFalse();
        assertThat(out.stdout()).isEqualTo("hello bar nohome\n");
        assertThat(out.exitReason()).isEqualTo("disk is full");
        assertThat(out.outputTail()).contains("hello bar").contains("ocf-exit-reason:disk is full");
    }

    @Test
    void runsInItsOwnProcessGroup() throws Exception {
        Path s = TestHost.script(dir, "pg", "echo $$; ps -o pgid= -p $$ | tr -d ' '; ps -o sid= -p $$ | tr -d ' '\n");
        ProcessOutcome out = runner.run(List.of(s.toString()), Map.of(), Duration.ofSeconds(10), true);
        String[] lines = out.stdout().trim().split("\n");
        assertThat(lines).hasSize(3);
        assertThat(lines[1]).as("pgid").isEqualTo(lines[0]);
        assertThat(lines[2]).as("session").isEqualTo(lines[0]);
    }

    @Test
    void hangingProcessIsKilledWithItsWholeGroupAtTheTimeout() throws Exception {
        Path pids = dir.resolve("pids");
        // The script and its child ignore SIGTERM, so only the SIGKILL of the whole group ends them.
        Path s = TestHost.script(dir, "hang", """
            trap '' TERM
            sh -c "trap '' TERM; echo \\$\\$ >> %s; while :; do sleep 1; done" &
            echo $$ >> %s
            while :; do sleep 1; done
            """.formatted(pids, pids));
        long t0 = System.nanoTime();
        ProcessOutcome out = runner.run(List.of(s.toString()), Map.of(), Duration.ofMillis(700), false);
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertThat(out.timedOut()).isTrue();
        assertThat(tookMs).isBetween(600L, 8000L);
        List<String> started = Files.readAllLines(pids);
        assertThat(started).hasSize(2);
        for (String pid : started) {
            ProcStat st = ProcStat.of(Long.parseLong(pid.trim()));
            assertThat(st == null || st.state() == 'Z').as("process %s is gone", pid).isTrue();
        }
        long pgid = Long.parseLong(started.get(1).trim());
        assertThat(ProcessRunner.groupMembers(pgid)).isEmpty();
    }

    @Test
    void megabytesOfGarbageKeepOnlyABoundedTail() throws Exception {
        // stderr first: the two pipes are read by two threads, so the last bytes of whichever stream
        // was written last may land after the other's. With 8 MB of stdout after it, stderr's last
        // buffered bytes are long read when END arrives (CI once saw stderr's tail after END).
        Path s = TestHost.script(dir, "noisy", "head -c 3000000 /dev/urandom >&2; head -c 8000000 /dev/urandom; echo END\n");
        ProcessRunner small = new ProcessRunner(ProcessSettings.defaults().withTailBytes(1024));
        ProcessOutcome out = small.run(List.of(s.toString()), Map.of(), Duration.ofSeconds(30), false);
        assertThat(out.exitCode()).isZero();
        assertThat(out.outputTail()).startsWith("[").contains("earlier bytes dropped").endsWith("END\n");
        assertThat(out.outputTail().length()).isLessThan(1200);
        assertThat(out.outputTail().chars().allMatch(c -> c == '\n' || c == '\t' || c >= ' ')).isTrue();
        assertThat(out.stdout()).isEmpty();
    }

    @Test
    void stdoutCaptureIsBounded() throws Exception {
        Path s = TestHost.script(dir, "big", "head -c 3000000 /dev/zero | tr '\\0' x\n");
        ProcessOutcome out = runner.run(List.of(s.toString()), Map.of(), Duration.ofSeconds(30), true);
        assertThat(out.stdoutOverflow()).isTrue();
        assertThat(out.stdout()).hasSize(ProcessSettings.defaults().stdoutLimitBytes());
    }

    @Test
    void missingProgramIsReportedBySetsid() throws Exception {
        ProcessOutcome out = runner.run(List.of(dir.resolve("nope").toString()), Map.of(), Duration.ofSeconds(5), false);
        assertThat(out.exitCode()).isIn(126, 127);
        assertThat(out.outputTail()).contains("failed to execute");
    }

    @Test
    void outputTailKeepsTheLastBytes() {
        OutputTail t = new OutputTail(4);
        t.write("abcdef".getBytes(), 0, 6);
        t.write("gh".getBytes(), 0, 2);
        assertThat(t.written()).isEqualTo(8);
        assertThat(t.text()).isEqualTo("[4 earlier bytes dropped]\nefgh");
        t.write(new byte[] {1, 'z'}, 0, 2);
        assertThat(t.text()).endsWith("gh?z");
    }

    @Test
    void settingsValidationNamesTheKey() {
        assertThatThrownBy(() -> ProcessSettings.defaults().withTailBytes(-1)).hasMessageContaining("tailBytes");
        assertThatThrownBy(() -> ProcessSettings.defaults().withKillGrace(Duration.ofSeconds(-1)))
            .hasMessageContaining("killGrace");
        assertThatThrownBy(() -> ProcessRunner.killGroup(1, Duration.ZERO)).hasMessageContaining("process group 1");
    }
}
