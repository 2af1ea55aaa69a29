package org.ringmaster.perf.failover;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ringmaster.perf.Bench;
import org.ringmaster.perf.NetmtuOption;

import picocli.CommandLine;

/** Runs the real failover bench on loopback: three node processes, one round, kill -9 of one. */
@Timeout(90)
class FailoverCommandTest
{
    private static final Pattern DETECT = Pattern.compile("\"detect_ms\":(-?[0-9.]+)");

    private record Run(int exit, String out, String err)
    {
    }

    private static Run run(final String... args)
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int exit = new CommandLine(new Bench()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
            .execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static List<ProcessHandle> nodeProcesses()
    {
        return ProcessHandle.current().descendants()
            .filter(ProcessHandle::isAlive)
            .filter(p -> p.info().arguments().map(a -> Arrays.asList(a).contains("failover-node")).orElse(true))
            .toList();
    }

    @Test
    void killOfOneOfThreeLoadedNodesIsDetectedAndEveryNodeProcessEnds()
    {
        final Run run = run("failover", "--nodes", "3", "--token", "200", "--rounds", "1", "--quiet", "1",
            "--settle", "200", "--load", "2000", "--size", "256", "--crypto", "aes256");

        assertThat(run.exit()).as(run.err()).isZero();
        final List<String> lines = run.out().lines().toList();
        final List<String> survivors = lines.stream().filter(l -> l.startsWith("{\"mode\":\"kill\"")).toList();
        assertThat(survivors).as(run.out()).hasSize(2);
        for (final String line : survivors)
        {
            assertThat(line).contains("\"nodes\":3", "\"token_ms\":200", "\"consensus_ms\":240", "\"load\":\"2000\"",
                "\"victim\":3", "\"victim_role\":\"member\"", "\"members\":[1,2]", "\"spurious_changes\":",
                "\"spurious_member_changes\":", "\"max_stall_ms\":",
                "\"udp_rcvbuf_errors\":", "\"probe_late_ms\":");
            final Matcher m = DETECT.matcher(line);
            assertThat(m.find()).isTrue();
            // Token loss can not be noticed before the token timeout has run.
            assertThat(Double.parseDouble(m.group(1))).isGreaterThan(200.0).isLessThan(30_000.0);
        }
        assertThat(lines.get(lines.size() - 1)).startsWith("{\"failover\":true,\"mode\":\"kill\"")
            .contains("\"runs\":1", "\"samples\":2", "\"spurious_member_changes\":", "\"max_stall_ms\":",
                "\"failed_rounds\":0")
            .as("--netmtu auto, resolved once in the parent").contains("\"netmtu\":" + NetmtuOption.resolve("auto", 50));
        assertThat(nodeProcesses()).isEmpty();
    }

    @Test
    void aStoppedNodeIsDetectedLikeAKilledOneAndIsReapedAfterwards()
    {
        final Run run = run("failover", "--nodes", "3", "--token", "200", "--rounds", "1", "--quiet", "1",
            "--settle", "200", "--load", "2000", "--size", "256", "--crypto", "aes256", "--mode", "stop");

        assertThat(run.exit()).as(run.err()).isZero();
        final List<String> lines = run.out().lines().toList();
        final List<String> survivors = lines.stream().filter(l -> l.startsWith("{\"mode\":\"stop\"")).toList();
        assertThat(survivors).as(run.out()).hasSize(2);
        for (final String line : survivors)
        {
            assertThat(line).contains("\"victim\":3", "\"members\":[1,2]");
            final Matcher m = DETECT.matcher(line);
            assertThat(m.find()).isTrue();
            // A hung node holds its sockets but passes no token: noticed by the token timeout, not before.
            assertThat(Double.parseDouble(m.group(1))).isGreaterThan(200.0).isLessThan(30_000.0);
        }
        assertThat(lines.get(lines.size() - 1)).startsWith("{\"failover\":true,\"mode\":\"stop\"")
            .contains("\"runs\":1", "\"samples\":2", "\"failed_rounds\":0");
        // The stopped victim too has been killed and reaped.
        assertThat(nodeProcesses()).isEmpty();
    }

    @Test
    @Timeout(180)
    void theResourceOfAKilledDaemonStartsOnASurvivorAndEveryDaemonEnds()
    {
        final Run run = run("failover", "--resource", "--nodes", "3", "--token", "300", "--rounds", "1");

        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        final List<String> lines = run.out().lines().toList();
        assertThat(lines).as(run.out()).hasSize(2);
        final String round = lines.get(0);
        assertThat(round).startsWith("{\"mode\":\"kill\",\"resource\":true,\"round\":1").contains("\"token_ms\":300");
        final int victim = (int)number(round, "victim");
        final int movedTo = (int)number(round, "moved_to");
        assertThat(victim).isBetween(1, 3);
        assertThat(movedTo).isBetween(1, 3).isNotEqualTo(victim);
        // The new configuration needs the token timeout to run out; the resource starts after it.
        assertThat(number(round, "detect_ms")).isGreaterThan(300.0).isLessThan(30_000.0);
        assertThat(number(round, "resource_ms")).isGreaterThan(300.0).isLessThan(60_000.0);
        final String summary = lines.get(1);
        assertThat(summary).startsWith("{\"failover\":true,\"mode\":\"kill\",\"resource\":true")
            .contains("\"runs\":1", "\"samples\":1", "\"failed_rounds\":0");
        assertThat(number(summary, "resource_ms_min")).isEqualTo(number(round, "resource_ms"));
        assertThat(number(summary, "resource_ms_median")).isEqualTo(number(round, "resource_ms"));
        assertThat(number(summary, "resource_ms_max")).isEqualTo(number(round, "resource_ms"));
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
            .filter(p -> p.info().arguments().map(x -> String.join(" ", x).contains("org.ringmaster.daemon.Ringmasterd"))
                .orElse(false))
            .toList()).isEmpty();
        assertThat(run("failover", "--resource", "--mode", "leave").err()).contains("--mode leave");
    }

    private static double number(final String line, final String field)
    {
        final Matcher m = Pattern.compile("\"" + field + "\":(-?[0-9.]+)").matcher(line);
        assertThat(m.find()).as(field + " in " + line).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void badOptionsAreRefusedNamingTheOption()
    {
        assertThat(run("failover", "--mode", "explode")).satisfies(r ->
        {
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains("--mode explode");
        });
        assertThat(run("failover", "--load", "fast").err()).contains("--load fast");
        assertThat(run("failover", "--token", "1000", "--consensus", "500").err()).contains("--consensus 500");
        assertThat(run("failover", "--crypto", "rot13").err()).contains("--crypto rot13");
        assertThat(run("failover", "--netmtu", "jumbo").err()).contains("--netmtu jumbo: expected auto or a number");
        assertThat(run("failover", "--nodes", "1").err()).contains("--nodes 1");
        assertThat(nodeProcesses()).isEmpty();
    }
}
