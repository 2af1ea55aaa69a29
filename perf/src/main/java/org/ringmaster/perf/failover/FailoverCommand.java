package org.ringmaster.perf.failover;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.ringmaster.perf.NetmtuOption;
import org.ringmaster.perf.NodeProcesses;
import org.ringmaster.totem.security.AuthKey;
import org.ringmaster.totem.security.CryptoConfig;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Failover: N {@link FailoverNodeCommand} processes form a ring on loopback and send at the given
 * load; once all share one configuration they run loaded for {@code --quiet} seconds (any
 * configuration change then is spurious), then one node is killed with SIGKILL (with
 * {@code --mode leave} sent SIGTERM so it leaves cleanly; with {@code --mode stop} sent SIGSTOP, a
 * hung node that still holds its sockets) and each survivor's time from that signal to its new
 * regular configuration is measured. A stopped victim is killed once the round is over.
 * With {@code --resource} real daemons with the CRM run instead (see {@link ResourceFailover}). Prints one JSON line per survivor per
 * round and a summary line; every node process is ended when the command ends.
 *
 * <p>Times compare the parent's {@code System.nanoTime()} before the signal with the nodes' own at
 * delivery: on Linux both read CLOCK_MONOTONIC, one clock for every process on the host.
 */
@Command(name = "failover", mixinStandardHelpOptions = true,
    description = "Kill -9 (or cleanly stop) one of N loaded nodes; time to the survivors' new configuration.")
public final class FailoverCommand implements Callable<Integer>
{
    /** Smallest message: send time, sender, counter. */
    static final int MIN_SIZE = 20;

    @Spec CommandSpec spec;

    @Option(names = "--nodes", defaultValue = "3", description = "nodes (processes), default ${DEFAULT-VALUE}")
    int nodes;

    @Option(names = "--token", defaultValue = "400", description = "totem.token in ms, default ${DEFAULT-VALUE}")
    long tokenMs;

    @Option(names = "--consensus", defaultValue = "0", description = "totem.consensus in ms, 0 = 1.2 x token (default)")
    long consensusMs;

    @Option(names = "--load", defaultValue = "max",
        description = "messages/s each node sends, or max (as fast as the ring takes them), default ${DEFAULT-VALUE}")
    String load;

    @Option(names = "--size", defaultValue = "1024", description = "message bytes (>= " + MIN_SIZE + "), default ${DEFAULT-VALUE}")
    int size;

    @Option(names = "--rounds", defaultValue = "3", description = "rounds (fresh processes each), default ${DEFAULT-VALUE}")
    int rounds;

    @Option(names = "--mode", defaultValue = "kill",
        description = "kill (SIGKILL), stop (SIGSTOP: a hung node) or leave (SIGTERM, clean leave), default ${DEFAULT-VALUE}")
    String mode;

    @Option(names = "--victim", defaultValue = "alternate",
        description = "member (not the representative), rep (the representative) or alternate (member in odd rounds), default ${DEFAULT-VALUE}")
    String victim;

    @Option(names = "--quiet", defaultValue = "5", description = "loaded seconds before the kill, spurious changes counted, default ${DEFAULT-VALUE}")
    double quietSeconds;

    @Option(names = "--settle", defaultValue = "1000", description = "ms watched after the survivors reform, default ${DEFAULT-VALUE}")
    long settleMs;

    @Option(names = "--crypto", defaultValue = "aes256", description = "none, sha256 (HMAC) or aes256 (AES-256-GCM), default ${DEFAULT-VALUE}")
    String crypto;

    @Option(names = "--netmtu", defaultValue = NetmtuOption.AUTO, description = "totem.netmtu of the ring nodes: auto"
        + " (default: the loopback MTU, chosen once here) or a number, e.g. 1500 for Corosync's udpu framing;"
        + " --resource daemons choose their own (auto)")
    String netmtuOption;

    /** The ring nodes' window_size (the ring's default), which bounds an auto netmtu. */
    static final int WINDOW_SIZE = 50;

    /** --netmtu resolved once in {@link #call()}. */
    private int netmtu;

    @Option(names = "--resource",
        description = "run real bin/ringmasterd daemons with the CRM and a builtin:dummy resource instead of loaded ring"
            + " nodes, kill (or stop) the one running it and also time the resource's start on a survivor")
    boolean resource;

    private NodeProcesses children;

    /** {@code max} is Long.MAX_VALUE, a number is messages/s per node (0 = idle). */
    static long parseLoad(final String load)
    {
        if ("max".equals(load))
        {
            return Long.MAX_VALUE;
        }
        try
        {
            final long rate = Long.parseLong(load);
            if (rate < 0)
            {
                throw new IllegalArgumentException("--load " + load + ": must be >= 0 or max");
            }
            return rate;
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("--load " + load + ": not a number of messages/s or max", ex);
        }
    }

    static CryptoConfig cryptoConfig(final String crypto)
    {
        return switch (crypto)
        {
            case "none" -> CryptoConfig.parse("none", "none");
            case "sha256" -> CryptoConfig.parse("sha256", "none");
            case "aes256" -> CryptoConfig.parse("sha256", "aes256");
            default -> throw new IllegalArgumentException("--crypto " + crypto + ": expected none, sha256 or aes256");
        };
    }

    long effectiveConsensusMs()
    {
        return consensusMs > 0 ? consensusMs : (long)(tokenMs * 1.2);
    }

    @Override
    public Integer call() throws Exception
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final String problem = validate();
        if (problem != null)
        {
            err.println("failover: " + problem);
            err.flush();
            return 2;
        }
        if (resource)
        {
            return resourceRounds(out, err);
        }
        try
        {
            netmtu = NetmtuOption.resolve(netmtuOption, WINDOW_SIZE);
        }
        catch (final IllegalArgumentException e)
        {
            err.println("failover: " + e.getMessage());
            err.flush();
            return 2;
        }
        children = new NodeProcesses();
        final List<Double> detects = new ArrayList<>();
        int spurious = 0;
        int spuriousMembers = 0;
        long maxStallNs = 0;
        int failedRounds = 0;
        try
        {
            for (int round = 1; round <= rounds; round++)
            {
                final List<RoundLog.Survivor> result = round(round, out, err);
                if (result == null)
                {
                    failedRounds++;
                    continue;
                }
                boolean reformed = true;
                for (final RoundLog.Survivor s : result)
                {
                    spurious += s.spurious();
                    spuriousMembers += s.spuriousMemberChanges();
                    maxStallNs = Math.max(maxStallNs, s.maxStallNs());
                    if (s.detectNs() >= 0)
                    {
                        detects.add(s.detectNs() / 1e6);
                    }
                    else
                    {
                        reformed = false;
                    }
                }
                failedRounds += reformed ? 0 : 1;
            }
        }
        finally
        {
            children.close();
        }
        detects.sort(Comparator.naturalOrder());
        out.println(String.format(Locale.ROOT,
            "{\"failover\":true,\"mode\":\"%s\",\"nodes\":%d,\"token_ms\":%d,\"consensus_ms\":%d,\"load\":\"%s\"," +
            "\"size\":%d,\"netmtu\":%d,\"crypto\":\"%s\",\"runs\":%d,\"samples\":%d,\"detect_ms_min\":%.1f," +
            "\"detect_ms_median\":%.1f," +
            "\"detect_ms_max\":%.1f,\"spurious_changes\":%d,\"spurious_member_changes\":%d,\"max_stall_ms\":%.1f," +
            "\"failed_rounds\":%d}",
            mode, nodes, tokenMs, effectiveConsensusMs(), load, size, netmtu, crypto, rounds, detects.size(),
            detects.isEmpty() ? -1.0 : detects.get(0), median(detects),
            detects.isEmpty() ? -1.0 : detects.get(detects.size() - 1), spurious, spuriousMembers, maxStallNs / 1e6, failedRounds));
        out.flush();
        return failedRounds == 0 ? 0 : 1;
    }

    private int resourceRounds(final PrintWriter out, final PrintWriter err) throws Exception
    {
        if ("leave".equals(mode))
        {
            err.println("failover: --mode leave is not supported with --resource (kill or stop)");
            err.flush();
            return 2;
        }
        final java.util.Optional<Path> root = ResourceFailover.root();
        if (root.isEmpty())
        {
            err.println("failover: --resource needs bin/ringmasterd of a built checkout (set -Dringmaster.root=DIR)");
            err.flush();
            return 2;
        }
        final ResourceFailover rounds = new ResourceFailover(nodes, tokenMs, effectiveConsensusMs(), mode, out, err);
        final List<ResourceFailover.Round> results = new ArrayList<>();
        int failed = 0;
        children = new NodeProcesses();
        try
        {
            for (int round = 1; round <= this.rounds; round++)
            {
                final ResourceFailover.Round r = rounds.round(round, children, root.get());
                if (r == null || r.detectMs() < 0 || r.resourceMs() < 0)
                {
                    failed++;
                }
                if (r != null)
                {
                    results.add(r);
                }
            }
        }
        finally
        {
            children.close();
        }
        out.println(rounds.summary(this.rounds, results, failed));
        out.flush();
        return failed == 0 ? 0 : 1;
    }

    private String validate()
    {
        if (nodes < 2)
        {
            return "--nodes " + nodes + ": need at least 2";
        }
        if (size < MIN_SIZE)
        {
            return "--size " + size + ": need at least " + MIN_SIZE;
        }
        if (rounds < 1)
        {
            return "--rounds " + rounds + ": need at least 1";
        }
        if (!List.of("kill", "stop", "leave").contains(mode))
        {
            return "--mode " + mode + ": expected kill, stop or leave";
        }
        if (!List.of("member", "rep", "alternate").contains(victim))
        {
            return "--victim " + victim + ": expected member, rep or alternate";
        }
        if (tokenMs < 10)
        {
            return "--token " + tokenMs + ": must be >= 10 ms";
        }
        if (consensusMs != 0 && consensusMs < tokenMs)
        {
            return "--consensus " + consensusMs + ": must not be below --token " + tokenMs;
        }
        if (quietSeconds < 0 || settleMs < 0)
        {
            return "--quiet and --settle must be >= 0";
        }
        try
        {
            parseLoad(load);
            cryptoConfig(crypto);
        }
        catch (final IllegalArgumentException ex)
        {
            return ex.getMessage();
        }
        return null;
    }

    /** One round with fresh processes; null if the ring never formed. */
    private List<RoundLog.Survivor> round(final int round, final PrintWriter out, final PrintWriter err)
        throws IOException, InterruptedException
    {
        final int[] all = IntStream.rangeClosed(1, nodes).toArray();
        final int basePort = 20000 + ThreadLocalRandom.current().nextInt(20000);
        final Path dir = Files.createTempDirectory("ringmaster-failover");
        final RoundLog log = new RoundLog();
        final List<Thread> readers = new ArrayList<>();
        final List<Process> mine = new ArrayList<>();
        try
        {
            final Path authkey = dir.resolve("authkey");
            AuthKey.generate(new SecureRandom(), AuthKey.DEFAULT_BYTES).writeTo(authkey, false);
            for (final int id : all)
            {
                final Process p = startNode(id, basePort, authkey, dir.resolve("ringseq-" + id));
                mine.add(p);
                final Thread reader = new Thread(() -> pump(id, p, log, err), "failover-reader-" + id);
                reader.setDaemon(true);
                reader.start();
                readers.add(reader);
            }
            final long formTimeout = TimeUnit.SECONDS.toNanos(60) + 10 * TimeUnit.MILLISECONDS.toNanos(tokenMs);
            if (!await(() -> log.converged(all) != null || mine.stream().anyMatch(p -> !p.isAlive()), formTimeout) ||
                log.converged(all) == null)
            {
                reportFailure(out, round, "the " + nodes + " nodes did not form one ring");
                return null;
            }
            final RoundLog.Converged converged = log.converged(all);
            final long dropsBefore = udpReceiveBufferErrors();
            final SchedulingProbe probe = SchedulingProbe.start();
            TimeUnit.NANOSECONDS.sleep((long)(quietSeconds * 1e9));
            final long probeLateNs = probe.stop();
            final long dropsAfter = udpReceiveBufferErrors();
            final long quietDrops = dropsBefore < 0 || dropsAfter < 0 ? -1 : dropsAfter - dropsBefore;
            final int victimId = victimFor(round, converged);
            final int[] survivors = IntStream.of(all).filter(n -> n != victimId).toArray();
            final Process target = mine.get(victimId - 1);
            final long eventNs = System.nanoTime();
            // Through the handle: Process.destroy() would also close the pipes, losing the node's last lines
            // and (closing its stdin) making it halt instead of leaving.
            switch (mode)
            {
                case "kill" -> target.toHandle().destroyForcibly();
                case "stop" ->
                {
                    if (!NodeProcesses.signal(target, "STOP"))
                    {
                        reportFailure(out, round, "could not send SIGSTOP to node " + victimId);
                        return null;
                    }
                }
                default -> target.toHandle().destroy();
            }
            final long reformTimeout = TimeUnit.SECONDS.toNanos(10) +
                10 * TimeUnit.MILLISECONDS.toNanos(tokenMs + effectiveConsensusMs());
            final boolean reformed = await(() -> log.reformed(survivors, eventNs), reformTimeout);
            if (reformed)
            {
                TimeUnit.MILLISECONDS.sleep(settleMs);
            }
            final List<RoundLog.Survivor> survivorsFigures = log.survivors(converged, survivors, eventNs, victimId);
            final int spuriousAll = IntStream.of(all).map(n -> log.spurious(n, converged, eventNs)).sum();
            final long stallAllNs = IntStream.of(all).mapToLong(n -> log.maxStall(n, converged.atNs(), eventNs)).max()
                .orElse(0);
            for (final RoundLog.Survivor s : survivorsFigures)
            {
                out.println(json(round, victimId, victimId == converged.rep() ? "rep" : "member", s, spuriousAll, quietDrops,
                    probeLateNs, stallAllNs, eventNs));
            }
            out.flush();
            return survivorsFigures;
        }
        finally
        {
            // A stopped victim dies of SIGKILL as well; end() also sends SIGCONT should it linger.
            for (final Process p : mine)
            {
                children.end(p);
            }
            for (final Thread t : readers)
            {
                t.join(2000);
            }
            try (Stream<Path> files = Files.list(dir))
            {
                for (final Path f : files.toList())
                {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    private int victimFor(final int round, final RoundLog.Converged converged)
    {
        final int[] members = converged.members();
        final int rep = converged.rep();
        final int member = members[members.length - 1] == rep ? members[0] : members[members.length - 1];
        return switch (victim)
        {
            case "rep" -> rep;
            case "member" -> member;
            default -> round % 2 == 1 ? member : rep;
        };
    }

    private String json(final int round, final int victimId, final String role, final RoundLog.Survivor s,
        final int spuriousAll, final long quietDrops, final long probeLateNs, final long stallAllNs, final long eventNs)
    {
        final StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
            "{\"mode\":\"%s\",\"round\":%d,\"nodes\":%d,\"token_ms\":%d,\"consensus_ms\":%d,\"load\":\"%s\"," +
            "\"size\":%d,\"netmtu\":%d,\"crypto\":\"%s\",\"victim\":%d,\"victim_role\":\"%s\",\"node\":%d,\"detect_ms\":%.1f," +
            "\"transitional_ms\":%.1f,\"bound_ms\":%d,\"spurious_changes\":%d,\"spurious_member_changes\":%d," +
            "\"spurious_changes_all\":%d,\"spurious\":\"%s\",\"quiet_s\":%.1f,\"msgs_per_s\":%.0f," +
            "\"max_stall_ms\":%.1f,\"max_stall_ms_all\":%.1f,\"udp_rcvbuf_errors\":%d,\"probe_late_ms\":%.1f," +
            "\"changes_after\":%d,\"after\":\"%s\",\"reason\":\"%s\",\"members\":%s",
            mode, round, nodes, tokenMs, effectiveConsensusMs(), load, size, netmtu, crypto, victimId, role, s.node(),
            s.detectNs() < 0 ? -1.0 : s.detectNs() / 1e6, s.transitionalNs() < 0 ? -1.0 : s.transitionalNs() / 1e6,
            tokenMs + effectiveConsensusMs() + 250, s.spurious(), s.spuriousMemberChanges(), spuriousAll,
            s.spuriousDetail(), quietSeconds, s.msgsPerSecond(), s.maxStallNs() / 1e6, stallAllNs / 1e6, quietDrops,
            probeLateNs / 1e6,
            s.changesAfter(), s.afterDetail(), s.reason(), Arrays.toString(s.members()).replace(" ", "")));
        if ("leave".equals(mode))
        {
            final double signalMs = s.leaveCalledNs() < 0 ? -1.0 : (s.leaveCalledNs() - eventNs) / 1e6;
            b.append(String.format(Locale.ROOT, ",\"leave_called_ms\":%.1f,\"reform_after_leave_ms\":%.1f", signalMs,
                s.detectNs() < 0 || s.leaveCalledNs() < 0 ? -1.0 : (s.detectNs() + eventNs - s.leaveCalledNs()) / 1e6));
        }
        return b.append('}').toString();
    }

    private void reportFailure(final PrintWriter out, final int round, final String why)
    {
        out.println(String.format(Locale.ROOT,
            "{\"mode\":\"%s\",\"round\":%d,\"nodes\":%d,\"token_ms\":%d,\"consensus_ms\":%d,\"load\":\"%s\",\"error\":\"%s\"}",
            mode, round, nodes, tokenMs, effectiveConsensusMs(), load, why));
        out.flush();
    }

    private Process startNode(final int id, final int basePort, final Path authkey, final Path ringSeq)
        throws IOException
    {
        return children.start(List.of(), "failover-node", List.of("--node", String.valueOf(id),
            "--nodes", String.valueOf(nodes), "--base-port", String.valueOf(basePort), "--token", String.valueOf(tokenMs),
            "--consensus", String.valueOf(consensusMs), "--load", load, "--size", String.valueOf(size),
            "--netmtu", String.valueOf(netmtu), "--crypto", crypto, "--authkey", authkey.toString(),
            "--ring-seq-file", ringSeq.toString()));
    }

    private static void pump(final int id, final Process p, final RoundLog log, final PrintWriter err)
    {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)))
        {
            String line;
            while ((line = in.readLine()) != null)
            {
                boolean known;
                try
                {
                    known = log.accept(id, line);
                }
                catch (final IllegalArgumentException ex)
                {
                    known = false;
                }
                if (!known)
                {
                    synchronized (err)
                    {
                        err.println("node " + id + ": " + line);
                        err.flush();
                    }
                }
            }
        }
        catch (final IOException ignored)
        {
            // The process went away; the round's figures tell.
        }
    }

    private static boolean await(final BooleanSupplier condition, final long timeoutNs) throws InterruptedException
    {
        final long deadline = System.nanoTime() + timeoutNs;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() >= deadline)
            {
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(5);
        }
        return true;
    }

    /**
     * The host's UDP receive-buffer overflows so far (RcvbufErrors in /proc/net/snmp; counts every
     * process in this network namespace), or -1 where that file is not there.
     */
    static long udpReceiveBufferErrors()
    {
        try
        {
            final List<String> udp = Files.readAllLines(Path.of("/proc/net/snmp")).stream()
                .filter(l -> l.startsWith("Udp: ")).toList();
            if (udp.size() < 2)
            {
                return -1;
            }
            final List<String> names = Arrays.asList(udp.get(0).split(" "));
            final String[] values = udp.get(1).split(" ");
            final int index = names.indexOf("RcvbufErrors");
            return index < 0 || index >= values.length ? -1 : Long.parseLong(values[index]);
        }
        catch (final IOException | NumberFormatException ex)
        {
            return -1;
        }
    }

    static double median(final List<Double> sorted)
    {
        if (sorted.isEmpty())
        {
            return -1;
        }
        final int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
