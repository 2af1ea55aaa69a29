package org.ringmaster.perf;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Ringmaster and JGroups one after the other in one invocation, on the same machine: each runs
 * flat out with all nodes sending and with one, then at a fixed moderate rate from one sender for
 * its p99. Each run prints its receivers' lines as {@code throughput} does; after both systems one
 * {@code "compare":true} line per flat-out sender mode follows ({@code "senders":"all"}, then
 * {@code "1"}), carrying the mean of the receivers' msgs/s and the worst receiver's p99 from the
 * fixed-rate run (the same p99 in both lines). Ratios are Ringmaster's figure over JGroups'.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
    description = "Ringmaster against JGroups (TCP + SEQUENCER) in one run: throughput flat out, p99 at a fixed rate.")
public final class CompareCommand implements Callable<Integer>
{
    private static final List<String> SENDER_MODES = List.of("all", "1");

    @Option(names = "--nodes", defaultValue = "3", description = "nodes (processes) per system, default ${DEFAULT-VALUE}")
    int nodes;

    @Option(names = "--size", defaultValue = "1024", description = "message bytes (>= 16), default ${DEFAULT-VALUE}")
    int size;

    @Option(names = "--duration", defaultValue = "10", description = "measured seconds of each run, default ${DEFAULT-VALUE}")
    int duration;

    @Option(names = "--warmup", defaultValue = Warmup.AUTO, description = "seconds of each run excluded from the"
        + " figures, or auto (default): 3 s for the flat-out runs, 15,000 messages' worth for the p99 runs (as for throughput)")
    String warmup;

    @Option(names = "--latency-rate", defaultValue = "1000",
        description = "messages/s of the one sender in the p99 runs, default ${DEFAULT-VALUE}")
    int latencyRate;

    @Option(names = "--transport", defaultValue = "udpu", description = "Ringmaster's transport: udpu (default) or aeron")
    String transport;

    @Option(names = "--netmtu", defaultValue = NetmtuOption.AUTO, description = "Ringmaster's totem.netmtu: auto"
        + " (default: the loopback MTU, as knet's path-MTU discovery finds it and as the daemon chooses it for nodes"
        + " sharing a host; resolved once for all runs) or a number, e.g. 1500 for Corosync's udpu framing")
    String netmtu;

    /** --netmtu resolved once, so every Ringmaster run and the compare lines carry the same figure. */
    private int resolvedNetmtu;

    @Option(names = "--crypto", defaultValue = "aes256", description = "Ringmaster's crypto: none, sha256 or aes256 (default)")
    String crypto;

    @Option(names = "--crypto-warmup", defaultValue = "100000", description = "as for throughput, default ${DEFAULT-VALUE}")
    int cryptoWarmup;

    @Option(names = "--jgroups-stack", defaultValue = "tcp", description = "JGroups stack: tcp (default) or udp")
    String jgroupsStack;

    @Option(names = "--plot", description = "also draw the results into this PNG file")
    Path plot;

    private record Figures(double msgsPerS, double p99Us, boolean ok)
    {
    }

    @Override
    public Integer call() throws Exception
    {
        try
        {
            Warmup.seconds(warmup, latencyRate);
        }
        catch (final IllegalArgumentException e)
        {
            System.err.println("compare: " + e.getMessage());
            return 2;
        }
        if (nodes < 2 || size < RingNodeCommand.HEADER || duration < 1 || latencyRate < 1)
        {
            System.err.println("compare: need --nodes >= 2, --size >= " + RingNodeCommand.HEADER
                + ", --duration >= 1, --latency-rate >= 1 (got --nodes " + nodes + " --size " + size
                + " --duration " + duration + " --warmup " + warmup + " --latency-rate " + latencyRate + ")");
            return 2;
        }
        try
        {
            resolvedNetmtu = NetmtuOption.resolve(netmtu, 50);
        }
        catch (final IllegalArgumentException e)
        {
            System.err.println("compare: " + e.getMessage());
            return 2;
        }
        final List<ResultChart.Bar> bars = new ArrayList<>();
        final Figures[][] flat = new Figures[2][SENDER_MODES.size()];
        final Figures[] paced = new Figures[2];
        final List<String> systems = List.of("ringmaster", "jgroups");
        boolean ok = true;
        for (int s = 0; s < systems.size(); s++)
        {
            for (int m = 0; m < SENDER_MODES.size(); m++)
            {
                flat[s][m] = measure(systems.get(s), SENDER_MODES.get(m), 0);
                ok &= flat[s][m].ok();
                bars.add(new ResultChart.Bar(label(SENDER_MODES.get(m)) + ", flat out", systems.get(s),
                    ResultLines.orMinusOne(flat[s][m].msgsPerS()), -1));
            }
            paced[s] = measure(systems.get(s), "1", latencyRate);
            ok &= paced[s].ok();
            bars.add(new ResultChart.Bar("1 sender at " + latencyRate + " msgs/s", systems.get(s), -1,
                ResultLines.orMinusOne(paced[s].p99Us())));
        }
        for (int m = 0; m < SENDER_MODES.size(); m++)
        {
            System.out.println(String.format(Locale.ROOT,
                "{\"compare\":true,\"senders\":\"%s\",\"size\":%d,\"nodes\":%d,\"ringmaster_msgs_per_s\":%.0f," +
                "\"jgroups_msgs_per_s\":%.0f,\"ratio_msgs_per_s\":%.2f,\"ringmaster_p99_us\":%.1f,\"jgroups_p99_us\":%.1f," +
                "\"ratio_p99\":%.2f,\"p99_rate\":%d,\"p99_senders\":\"1\",\"transport\":\"%s\",\"netmtu\":%d,\"crypto\":\"%s\"," +
                "\"jgroups_stack\":\"%s\",\"duration\":%d,\"warmup_s\":%d,\"p99_warmup_s\":%d,\"ok\":%s}",
                SENDER_MODES.get(m), size, nodes, ResultLines.orMinusOne(flat[0][m].msgsPerS()),
                ResultLines.orMinusOne(flat[1][m].msgsPerS()),
                ResultLines.orMinusOne(flat[0][m].msgsPerS() / flat[1][m].msgsPerS()),
                ResultLines.orMinusOne(paced[0].p99Us()), ResultLines.orMinusOne(paced[1].p99Us()),
                ResultLines.orMinusOne(paced[0].p99Us() / paced[1].p99Us()), latencyRate, transport, resolvedNetmtu, crypto, jgroupsStack,
                duration, Warmup.seconds(warmup, 0), Warmup.seconds(warmup, latencyRate), flat[0][m].ok() && flat[1][m].ok() && paced[0].ok() && paced[1].ok()));
            System.out.flush();
        }
        if (plot != null)
        {
            ResultChart.compare(plot, String.format(Locale.ROOT, "%d nodes, %d B", nodes, size), bars);
            System.err.println("compare: chart written to " + plot);
        }
        return ok ? 0 : 1;
    }

    private static String label(final String senders)
    {
        return "all".equals(senders) ? "all sending" : "1 sender";
    }

    private Figures measure(final String system, final String senders, final int rate) throws Exception
    {
        final List<String> args = new ArrayList<>(List.of("--system", system, "--nodes", String.valueOf(nodes),
            "--size", String.valueOf(size), "--senders", senders, "--duration", String.valueOf(duration),
            "--warmup", warmup, "--rate", String.valueOf(rate)));
        if ("ringmaster".equals(system))
        {
            args.addAll(List.of("--transport", transport, "--netmtu", String.valueOf(resolvedNetmtu), "--crypto", crypto, "--crypto-warmup", String.valueOf(cryptoWarmup)));
        }
        else
        {
            args.addAll(List.of("--jgroups-stack", jgroupsStack));
        }
        final ThroughputCommand.Outcome outcome = ThroughputCommand.run(args);
        return new Figures(ResultLines.mean(outcome.lines(), "msgs_per_s"), ResultLines.max(outcome.lines(), "p99_us"),
            outcome.ok());
    }
}
