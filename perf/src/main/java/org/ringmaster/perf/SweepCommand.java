package org.ringmaster.perf;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code throughput} over message sizes and node counts (and optionally both systems), one run
 * after the other: each run prints its receivers' lines, then one {@code "sweep":true} line with
 * the mean of the receivers' msgs/s and the worst receiver's p99; {@code --plot} draws both
 * against message size, one line per system and node count.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true,
    description = "throughput over message sizes and node counts; one summary JSON line per point, optional chart.")
public final class SweepCommand implements Callable<Integer>
{
    @Option(names = "--sizes", split = ",", defaultValue = "64,256,1024,4096",
        description = "message sizes in bytes, default ${DEFAULT-VALUE}")
    List<Integer> sizes;

    @Option(names = "--node-counts", split = ",", defaultValue = "3,5", description = "node counts, default ${DEFAULT-VALUE}")
    List<Integer> nodeCounts;

    @Option(names = "--systems", split = ",", defaultValue = "ringmaster",
        description = "ringmaster and/or jgroups, default ${DEFAULT-VALUE}")
    List<String> systems;

    @Option(names = "--senders", defaultValue = "all", description = "1 or all, default ${DEFAULT-VALUE}")
    String senders;

    @Option(names = "--rate", defaultValue = "0", description = "messages/s per sender, 0 = flat out (default)")
    int rate;

    @Option(names = "--duration", defaultValue = "5", description = "measured seconds of each run, default ${DEFAULT-VALUE}")
    int duration;

    @Option(names = "--warmup", defaultValue = Warmup.AUTO, description = "seconds of each run excluded, or auto"
        + " (default; as for throughput)")
    String warmup;

    @Option(names = "--transport", defaultValue = "udpu", description = "Ringmaster's transport: udpu (default) or aeron")
    String transport;

    @Option(names = "--netmtu", defaultValue = NetmtuOption.AUTO, description = "Ringmaster's totem.netmtu: auto"
        + " (default: the loopback MTU, resolved once for all runs) or a number, e.g. 1500 for Corosync's udpu framing")
    String netmtu;

    @Option(names = "--crypto", defaultValue = "aes256", description = "Ringmaster's crypto: none, sha256 or aes256 (default)")
    String crypto;

    @Option(names = "--crypto-warmup", defaultValue = "100000", description = "as for throughput, default ${DEFAULT-VALUE}")
    int cryptoWarmup;

    @Option(names = "--jgroups-stack", defaultValue = "tcp", description = "JGroups stack: tcp (default) or udp")
    String jgroupsStack;

    @Option(names = "--plot", description = "also draw the results into this PNG file")
    Path plot;

    private String problem()
    {
        for (final int s : sizes)
        {
            if (s < RingNodeCommand.HEADER)
            {
                return "--sizes: " + s + " is below " + RingNodeCommand.HEADER + " bytes";
            }
        }
        for (final int n : nodeCounts)
        {
            if (n < 2)
            {
                return "--node-counts: " + n + " is below 2";
            }
        }
        for (final String s : systems)
        {
            if (!"ringmaster".equals(s) && !"jgroups".equals(s))
            {
                return "--systems: " + s + " is neither ringmaster nor jgroups";
            }
        }
        if (!"1".equals(senders) && !"all".equals(senders))
        {
            return "--senders " + senders + ": 1 or all";
        }
        try
        {
            Warmup.seconds(warmup, rate);
        }
        catch (final IllegalArgumentException e)
        {
            return e.getMessage();
        }
        return duration < 1 || rate < 0 ? "--duration must be >= 1, --rate >= 0" : null;
    }

    @Override
    public Integer call() throws Exception
    {
        final String problem = problem();
        if (problem != null)
        {
            System.err.println("sweep: " + problem);
            return 2;
        }
        final int resolvedNetmtu;
        try
        {
            resolvedNetmtu = NetmtuOption.resolve(netmtu, 50);
        }
        catch (final IllegalArgumentException e)
        {
            System.err.println("sweep: " + e.getMessage());
            return 2;
        }
        final List<ResultChart.Point> points = new ArrayList<>();
        boolean ok = true;
        for (final String system : systems)
        {
            for (final int nodes : nodeCounts)
            {
                for (final int size : sizes)
                {
                    final List<String> args = new ArrayList<>(List.of("--system", system, "--nodes", String.valueOf(nodes),
                        "--size", String.valueOf(size), "--senders", senders, "--duration", String.valueOf(duration),
                        "--warmup", warmup, "--rate", String.valueOf(rate)));
                    args.addAll("ringmaster".equals(system)
                        ? List.of("--transport", transport, "--netmtu", String.valueOf(resolvedNetmtu), "--crypto", crypto,
                            "--crypto-warmup", String.valueOf(cryptoWarmup))
                        : List.of("--jgroups-stack", jgroupsStack));
                    final ThroughputCommand.Outcome outcome = ThroughputCommand.run(args);
                    ok &= outcome.ok();
                    final double rateOut = ResultLines.orMinusOne(ResultLines.mean(outcome.lines(), "msgs_per_s"));
                    final double p99 = ResultLines.orMinusOne(ResultLines.max(outcome.lines(), "p99_us"));
                    System.out.println(String.format(Locale.ROOT,
                        "{\"sweep\":true,\"system\":\"%s\",\"nodes\":%d,\"size\":%d,\"senders\":\"%s\",\"rate\":%d," +
                        "\"transport\":\"%s\",\"netmtu\":%d,\"crypto\":\"%s\",\"msgs_per_s\":%.0f,\"p99_us\":%.1f," +
                        "\"ok\":%s}",
                        system, nodes, size, senders, rate, "ringmaster".equals(system) ? transport : jgroupsStack,
                        "ringmaster".equals(system) ? resolvedNetmtu : 0, "ringmaster".equals(system) ? crypto : "none",
                        rateOut, p99, outcome.ok()));
                    System.out.flush();
                    points.add(new ResultChart.Point(system + ", " + nodes + " nodes", size, rateOut, p99));
                }
            }
        }
        if (plot != null)
        {
            ResultChart.sweep(plot, String.format(Locale.ROOT, "%s sending%s", senders,
                rate > 0 ? ", " + rate + " msgs/s each" : ", flat out"), points);
            System.err.println("sweep: chart written to " + plot);
        }
        return ok ? 0 : 1;
    }
}
