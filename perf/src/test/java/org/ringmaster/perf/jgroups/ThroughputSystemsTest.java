package org.ringmaster.perf.jgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ringmaster.perf.Bench;

import picocli.CommandLine;

/**
 * Runs {@code throughput} end to end with real child processes on loopback: JGroups (both stacks)
 * and Ringmaster over Aeron with AES-GCM. Short runs; what is checked is that every receiver
 * reports, the order hashes agree and no child process outlives the command.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ThroughputSystemsTest
{
    private static final Pattern HASH = Pattern.compile("\"order_hash\":\"([0-9a-f]+)\"");
    private static final Pattern RATE = Pattern.compile("\"msgs_per_s\":([0-9]+)");

    private record Run(int exit, List<String> lines)
    {
    }

    /** ThroughputCommand prints result lines on System.out (children's lines are relayed there). */
    private static synchronized Run run(final String... args)
    {
        final PrintStream original = System.out;
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        final int exit;
        try
        {
            exit = new CommandLine(new Bench()).execute(args);
        }
        finally
        {
            System.setOut(original);
        }
        final List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("{")).toList();
        lines.forEach(original::println);
        return new Run(exit, lines);
    }

    private static void assertAgreedAndComplete(final Run run, final int nodes, final String... contains)
    {
        assertThat(run.exit()).as(String.join("\n", run.lines())).isZero();
        assertThat(run.lines()).hasSize(nodes);
        String hash = null;
        for (final String line : run.lines())
        {
            assertThat(line).contains(contains).contains("\"complete\":true");
            final Matcher h = HASH.matcher(line);
            assertThat(h.find()).isTrue();
            hash = hash == null ? h.group(1) : hash;
            assertThat(h.group(1)).isEqualTo(hash);
            final Matcher r = RATE.matcher(line);
            assertThat(r.find()).isTrue();
            assertThat(Long.parseLong(r.group(1))).isPositive();
        }
        // Every node process has been ended by the command.
        await().atMost(Duration.ofSeconds(20)).until(() -> ProcessHandle.current().descendants()
            .filter(ProcessHandle::isAlive)
            .noneMatch(p -> p.info().arguments().map(a -> Arrays.asList(a).contains("jgroups-node")
                || Arrays.asList(a).contains("ring-node")).orElse(false)));
    }

    @Test
    void jgroupsOverTcpWithSequencerAgreesOnTheOrder()
    {
        final Run run = run("throughput", "--system", "jgroups", "--jgroups-stack", "tcp", "--nodes", "2",
            "--size", "64", "--senders", "all", "--duration", "1", "--warmup", "1");
        assertAgreedAndComplete(run, 2, "\"system\":\"jgroups\"", "\"transport\":\"tcp\"");
    }

    @Test
    void jgroupsOverUnicastUdpWithSequencerAgreesOnTheOrder()
    {
        // Two measured seconds: on a loaded host JGroups over UDP has stalled for a whole second (0 msgs/s in a 1 s window).
        final Run run = run("throughput", "--system", "jgroups", "--jgroups-stack", "udp", "--nodes", "2",
            "--size", "1024", "--senders", "1", "--duration", "2", "--warmup", "1");
        assertAgreedAndComplete(run, 2, "\"system\":\"jgroups\"", "\"transport\":\"udp\"", "\"senders\":\"1\"");
    }

    @Test
    void ringmasterOverAeronWithCryptoAgreesOnTheOrder()
    {
        final Run run = run("throughput", "--system", "ringmaster", "--transport", "aeron", "--crypto", "aes256",
            "--crypto-warmup", "2000", "--nodes", "3", "--size", "256", "--senders", "all", "--duration", "1",
            "--warmup", "1", "--accelerated", "off", "--seqno-unchanged-const", "5");
        assertAgreedAndComplete(run, 3, "\"system\":\"ringmaster\"", "\"transport\":\"aeron\"", "\"crypto\":\"aes256\"",
            "\"accelerated\":false", "\"seqno_unchanged_const\":5");
    }

    @Test
    void aBadAcceleratedValueIsRefused()
    {
        final Run run = run("throughput", "--accelerated", "maybe", "--duration", "1");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.lines()).isEmpty();
        final Run window = run("throughput", "--accelerated-window", "18", "--max-messages", "17", "--duration", "1");
        assertThat(window.exit()).isEqualTo(2);
        assertThat(window.lines()).isEmpty();
        final Run hold = run("throughput", "--seqno-unchanged-const", "-1", "--duration", "1");
        assertThat(hold.exit()).isEqualTo(2);
        assertThat(hold.lines()).isEmpty();
    }

    @Test
    void anUnknownSystemIsRefused()
    {
        final Run run = run("throughput", "--system", "corosync", "--duration", "1");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.lines()).isEmpty();
    }
}
