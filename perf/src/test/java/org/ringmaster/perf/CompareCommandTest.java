package org.ringmaster.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/**
 * compare and sweep end to end with real node processes on loopback, with one-second windows:
 * what is checked is the JSON they print (every field there, figures from real runs), the
 * allocation/GC report on every receiver line, the chart, and that no node process is left.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class CompareCommandTest
{
    @TempDir
    Path dir;

    private record Run(int exit, List<String> lines, String err)
    {
    }

    /** The modes print on System.out (children's lines are relayed there) and complain on System.err. */
    private static synchronized Run run(final String... args)
    {
        final PrintStream out = System.out;
        final PrintStream err = System.err;
        final ByteArrayOutputStream capturedOut = new ByteArrayOutputStream();
        final ByteArrayOutputStream capturedErr = new ByteArrayOutputStream();
        System.setOut(new PrintStream(capturedOut, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(capturedErr, true, StandardCharsets.UTF_8));
        final int exit;
        try
        {
            exit = new CommandLine(new Bench()).execute(args);
        }
        finally
        {
            System.setOut(out);
            System.setErr(err);
        }
        final List<String> lines = capturedOut.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("{")).toList();
        lines.forEach(out::println);
        return new Run(exit, lines, capturedErr.toString(StandardCharsets.UTF_8));
    }

    private static void assertNoNodeProcessLeft()
    {
        await().atMost(Duration.ofSeconds(20)).until(() -> ProcessHandle.current().descendants()
            .filter(ProcessHandle::isAlive)
            .noneMatch(p -> p.info().arguments().map(a -> Arrays.asList(a).contains("jgroups-node")
                || Arrays.asList(a).contains("ring-node")).orElse(false)));
    }

    @Test
    void compareRunsBothSystemsAndPrintsOneLinePerSenderMode() throws Exception
    {
        final Path png = dir.resolve("compare.png");
        final Run run = run("compare", "--nodes", "2", "--size", "64", "--duration", "1", "--warmup", "0",
            "--latency-rate", "200", "--crypto-warmup", "2000", "--netmtu", "9000", "--plot", png.toString());

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.lines().stream().filter(l -> l.startsWith("{\"system\":\"ringmaster\"")))
            .as("the ring ran with the netmtu asked for").isNotEmpty().allMatch(l -> l.contains("\"netmtu\":9000"));
        final List<String> compare = run.lines().stream().filter(l -> l.startsWith("{\"compare\":true")).toList();
        assertThat(compare).hasSize(2);
        assertThat(compare.get(0)).contains("\"senders\":\"all\"");
        assertThat(compare.get(1)).contains("\"senders\":\"1\"");
        for (final String line : compare)
        {
            assertThat(line).contains("\"size\":64", "\"nodes\":2", "\"p99_rate\":200", "\"transport\":\"udpu\"",
                "\"crypto\":\"aes256\"", "\"netmtu\":9000", "\"jgroups_stack\":\"tcp\"", "\"warmup_s\":0",
                "\"p99_warmup_s\":0", "\"ok\":true");
            for (final String field : List.of("ringmaster_msgs_per_s", "jgroups_msgs_per_s", "ratio_msgs_per_s",
                "ringmaster_p99_us", "jgroups_p99_us", "ratio_p99"))
            {
                assertThat(ResultLines.number(line, field)).as(field + " in " + line).isPositive();
            }
            assertThat(ResultLines.number(line, "ratio_msgs_per_s")).isCloseTo(
                ResultLines.number(line, "ringmaster_msgs_per_s") / ResultLines.number(line, "jgroups_msgs_per_s"),
                org.assertj.core.data.Percentage.withPercentage(2));
        }
        // Each system's own lines come first: 3 runs x 2 receivers each, Ringmaster's before JGroups'.
        final List<String> receivers = run.lines().stream().filter(l -> l.contains("\"order_hash\"")).toList();
        assertThat(receivers).hasSize(12);
        assertThat(receivers.subList(0, 6)).allMatch(l -> l.contains("\"system\":\"ringmaster\""));
        assertThat(receivers.subList(6, 12)).allMatch(l -> l.contains("\"system\":\"jgroups\""));
        assertThat(run.lines().indexOf(compare.get(0))).isGreaterThan(run.lines().indexOf(receivers.get(11)));
        assertThat(ImageIO.read(png.toFile()).getWidth()).isEqualTo(ResultChart.WIDTH);
        assertNoNodeProcessLeft();
    }

    @Test
    void sweepPrintsOnePointPerRunWithTheAllocationReportAndDrawsIt() throws Exception
    {
        final Path png = dir.resolve("sweep.png");
        final Run run = run("sweep", "--sizes", "64,512", "--node-counts", "2", "--duration", "1", "--warmup", "0",
            "--crypto-warmup", "2000", "--plot", png.toString());

        assertThat(run.exit()).as(run.err()).isZero();
        final List<String> points = run.lines().stream().filter(l -> l.startsWith("{\"sweep\":true")).toList();
        assertThat(points).hasSize(2);
        assertThat(points.get(0)).contains("\"system\":\"ringmaster\"", "\"nodes\":2", "\"size\":64", "\"ok\":true");
        // --netmtu defaults to auto, resolved once in the parent; the nodes ran with and print that number.
        final String netmtu = "\"netmtu\":" + NetmtuOption.resolve(NetmtuOption.AUTO, 50);
        assertThat(points).allMatch(p -> p.contains(netmtu));
        assertThat(points.get(1)).contains("\"size\":512");
        for (final String point : points)
        {
            assertThat(ResultLines.number(point, "msgs_per_s")).isPositive();
            assertThat(ResultLines.number(point, "p99_us")).isPositive();
        }
        final List<String> receivers = run.lines().stream().filter(l -> l.contains("\"order_hash\"")).toList();
        assertThat(receivers).hasSize(4).allMatch(l -> l.contains(netmtu));
        for (final String line : receivers)
        {
            // The window was sampled: real figures, not the -1 of a node that never reached its end.
            assertThat(ResultLines.number(line, "alloc_bytes_per_msg")).as(line).isGreaterThanOrEqualTo(0);
            assertThat(ResultLines.number(line, "ring_alloc_bytes_per_msg")).as(line).isGreaterThanOrEqualTo(0);
            assertThat(ResultLines.number(line, "gc_count")).as(line).isGreaterThanOrEqualTo(0);
            assertThat(ResultLines.number(line, "gc_ms")).as(line).isGreaterThanOrEqualTo(0);
            assertThat(line).containsPattern("\"gc\":\"[^\"]+\"");
        }
        assertThat(Files.size(png)).isPositive();
        assertThat(ImageIO.read(png.toFile()).getHeight()).isEqualTo(ResultChart.HEIGHT);
        assertNoNodeProcessLeft();
    }

    @Test
    void badOptionsAreRefusedNamingTheOption()
    {
        final Run sweep = run("sweep", "--sizes", "64,8");
        assertThat(sweep.exit()).isEqualTo(2);
        assertThat(sweep.err()).contains("--sizes: 8");
        assertThat(run("sweep", "--systems", "corosync").err()).contains("--systems: corosync");
        assertThat(run("sweep", "--node-counts", "1").err()).contains("--node-counts: 1");
        final Run compare = run("compare", "--nodes", "1");
        assertThat(compare.exit()).isEqualTo(2);
        assertThat(compare.err()).contains("--nodes 1");
        assertThat(compare.lines()).isEmpty();
        for (final String command : List.of("compare", "sweep", "throughput"))
        {
            final Run warmup = run(command, "--warmup", "soon");
            assertThat(warmup.exit()).as(command).isEqualTo(2);
            assertThat(warmup.err()).as(command).contains("--warmup soon: seconds (0 or more) or auto");
            assertThat(warmup.lines()).as(command).isEmpty();
        }
    }
}
