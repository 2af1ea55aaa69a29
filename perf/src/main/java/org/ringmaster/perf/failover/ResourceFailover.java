package org.ringmaster.perf.failover;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.ringmaster.daemon.client.NodeStatus;
import org.ringmaster.daemon.client.RingmasterClient;
import org.ringmaster.perf.Bench;
import org.ringmaster.perf.NodeProcesses;
import org.ringmaster.totem.security.AuthKey;

/**
 * {@code failover --resource}: N real {@code bin/ringmasterd} daemons on 127.0.0.1..N, each with
 * the CRM and one {@code builtin:dummy} resource (fencing disabled, nothing else runs). Once the
 * resource runs on one node, that node is killed (SIGKILL, or SIGSTOP with {@code --mode stop});
 * the survivors are polled over their admin sockets every {@link #POLL_MS} ms for their new
 * configuration and for the resource started on one of them. The figures therefore carry up to a
 * poll interval (and an admin round trip) of delay. No message load: the daemons are idle.
 */
final class ResourceFailover
{
    static final String RESOURCE = "bench-dummy";
    private static final long POLL_MS = 10;
    /** "Started on nX" in the resource's status line, not on a lost node, not failed. */
    private static final Pattern STARTED_ON = Pattern.compile("Started on n([0-9]+)(?! \\(lost\\))(?=;|$)",
        Pattern.MULTILINE);

    private final int nodes;
    private final long tokenMs;
    private final long consensusMs;
    private final String mode;
    private final PrintWriter out;
    private final PrintWriter err;

    /** One round's figures; -1 where a step did not happen in time. */
    record Round(int victim, int movedTo, double detectMs, double resourceMs)
    {
    }

    ResourceFailover(final int nodes, final long tokenMs, final long consensusMs, final String mode,
        final PrintWriter out, final PrintWriter err)
    {
        this.nodes = nodes;
        this.tokenMs = tokenMs;
        this.consensusMs = consensusMs;
        this.mode = mode;
        this.out = out;
        this.err = err;
    }

    /**
     * The checkout's root, where {@code bin/ringmasterd} is: the {@code ringmaster.root} system
     * property, else found above the working directory or above this class's build directory.
     */
    static Optional<Path> root()
    {
        final String property = System.getProperty("ringmaster.root");
        if (property != null)
        {
            return Optional.of(Path.of(property).toAbsolutePath().normalize());
        }
        final List<Path> starts = new ArrayList<>();
        starts.add(Path.of("").toAbsolutePath());
        try
        {
            starts.add(Path.of(Bench.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
        }
        catch (final URISyntaxException | SecurityException | NullPointerException ex)
        {
            // Only the working directory is searched then.
        }
        for (final Path start : starts)
        {
            for (Path p = start; p != null; p = p.getParent())
            {
                if (Files.isRegularFile(p.resolve("bin/ringmasterd")) && Files.isDirectory(p.resolve("daemon")))
                {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    /** One round with fresh daemons in a fresh directory; null if the cluster never settled. */
    Round round(final int round, final NodeProcesses children, final Path root) throws IOException, InterruptedException
    {
        final Path dir = Files.createTempDirectory("ringmaster-failover-resource");
        final List<Process> daemons = new ArrayList<>();
        try
        {
            final Path config = writeConfig(dir);
            for (int i = 1; i <= nodes; i++)
            {
                daemons.add(children.startCommand(List.of("bash", root.resolve("bin/ringmasterd").toString(), "-c",
                    config.toString(), "--node", "n" + i, "--socket", socket(dir, i).toString(), "--state-dir",
                    dir.resolve("state").toString()), dir.resolve("n" + i + ".log")));
            }
            final int[] all = IntStream.rangeClosed(1, nodes).toArray();
            final long settleDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            int runningOn = -1;
            while (System.nanoTime() < settleDeadline && daemons.stream().allMatch(Process::isAlive))
            {
                if (IntStream.of(all).allMatch(i -> Arrays.equals(members(dir, i), all)))
                {
                    runningOn = startedOn(dir, 1, -1);
                    if (runningOn > 0)
                    {
                        break;
                    }
                }
                TimeUnit.MILLISECONDS.sleep(50);
            }
            if (runningOn < 0)
            {
                failure(round, "the daemons did not form one cluster with the resource started within 90 s", dir);
                return null;
            }
            final int victim = runningOn;
            final int[] survivors = IntStream.of(all).filter(i -> i != victim).toArray();
            final Process target = daemons.get(victim - 1);
            final long eventNs = System.nanoTime();
            if ("stop".equals(mode))
            {
                if (!NodeProcesses.signal(target, "STOP"))
                {
                    failure(round, "could not send SIGSTOP to n" + victim, dir);
                    return null;
                }
            }
            else
            {
                target.toHandle().destroyForcibly();
            }
            final long deadline = eventNs + TimeUnit.SECONDS.toNanos(30) + 20 * TimeUnit.MILLISECONDS.toNanos(tokenMs);
            double detectMs = -1;
            double resourceMs = -1;
            int movedTo = -1;
            while (System.nanoTime() < deadline && (detectMs < 0 || resourceMs < 0))
            {
                if (detectMs < 0 && IntStream.of(survivors).allMatch(i -> Arrays.equals(members(dir, i), survivors)))
                {
                    detectMs = (System.nanoTime() - eventNs) / 1e6;
                }
                final int on = resourceMs < 0 ? startedOn(dir, survivors[0], victim) : -1;
                if (on > 0)
                {
                    resourceMs = (System.nanoTime() - eventNs) / 1e6;
                    movedTo = on;
                }
                TimeUnit.MILLISECONDS.sleep(POLL_MS);
            }
            final Round result = new Round(victim, movedTo, detectMs, resourceMs);
            out.println(String.format(Locale.ROOT,
                "{\"mode\":\"%s\",\"resource\":true,\"round\":%d,\"nodes\":%d,\"token_ms\":%d,\"consensus_ms\":%d," +
                "\"victim\":%d,\"moved_to\":%d,\"detect_ms\":%.1f,\"resource_ms\":%.1f,\"poll_ms\":%d}",
                mode, round, nodes, tokenMs, consensusMs, victim, movedTo, detectMs, resourceMs, POLL_MS));
            out.flush();
            if (detectMs < 0 || resourceMs < 0)
            {
                dumpLogs(dir);
            }
            return result;
        }
        finally
        {
            for (final Process p : daemons)
            {
                children.end(p);
            }
            deleteTree(dir);
        }
    }

    /** The summary line over all rounds, like the other failover modes' with the resource figures added. */
    String summary(final int rounds, final List<Round> results, final int failedRounds)
    {
        final List<Double> detects = results.stream().map(Round::detectMs).filter(v -> v >= 0).sorted().toList();
        final List<Double> starts = results.stream().map(Round::resourceMs).filter(v -> v >= 0)
            .sorted(Comparator.naturalOrder()).toList();
        return String.format(Locale.ROOT,
            "{\"failover\":true,\"mode\":\"%s\",\"resource\":true,\"nodes\":%d,\"token_ms\":%d,\"consensus_ms\":%d," +
            "\"load\":\"none\",\"runs\":%d,\"samples\":%d,\"detect_ms_min\":%.1f,\"detect_ms_median\":%.1f," +
            "\"detect_ms_max\":%.1f,\"resource_ms_min\":%.1f,\"resource_ms_median\":%.1f,\"resource_ms_max\":%.1f," +
            "\"failed_rounds\":%d}",
            mode, nodes, tokenMs, consensusMs, rounds, starts.size(), first(detects), FailoverCommand.median(detects),
            last(detects), first(starts), FailoverCommand.median(starts), last(starts), failedRounds);
    }

    private static double first(final List<Double> sorted)
    {
        return sorted.isEmpty() ? -1 : sorted.get(0);
    }

    private static double last(final List<Double> sorted)
    {
        return sorted.isEmpty() ? -1 : sorted.get(sorted.size() - 1);
    }

    private Path writeConfig(final Path dir) throws IOException
    {
        final Path key = dir.resolve("authkey");
        AuthKey.generate(new SecureRandom(), AuthKey.DEFAULT_BYTES).writeTo(key, false);
        final Path resources = dir.resolve("resources.conf");
        // A short monitor interval: the CRM notices nothing through it here, but a real setup has one.
        Files.writeString(resources, "resources {\n  options {\n    fencing-enabled: false\n  }\n  primitive {\n" +
            "    id: " + RESOURCE + "\n    agent: builtin:dummy\n    op: monitor interval=1s\n  }\n}\n");
        final int port = 20000 + ThreadLocalRandom.current().nextInt(20000);
        final StringBuilder s = new StringBuilder();
        s.append("totem {\n    version: 2\n    cluster_name: bench\n    transport: udpu\n    token: ").append(tokenMs)
            .append("\n    token_coefficient: 0\n    consensus: ").append(consensusMs)
            .append("\n    crypto_cipher: aes256\n    crypto_hash: sha256\n    keyfile: ").append(key)
            .append("\n    interface {\n        linknumber: 0\n        mcastport: ").append(port).append("\n    }\n}\n")
            .append("nodelist {\n");
        for (int i = 1; i <= nodes; i++)
        {
            s.append("    node {\n        name: n").append(i).append("\n        nodeid: ").append(i)
                .append("\n        ring0_addr: 127.0.0.").append(i).append("\n    }\n");
        }
        s.append("}\nquorum {\n    provider: corosync_votequorum\n}\nlogging {\n    to_syslog: no\n}\n")
            .append("crm {\n    plugin: simple\n    config: ").append(resources).append("\n}\n");
        final Path config = dir.resolve("ringmaster.conf");
        Files.writeString(config, s.toString());
        return config;
    }

    private static Path socket(final Path dir, final int i)
    {
        return dir.resolve("n" + i + ".sock");
    }

    /** Node i's current members, empty while it cannot answer. */
    private static int[] members(final Path dir, final int i)
    {
        try (RingmasterClient c = RingmasterClient.connect(socket(dir, i)))
        {
            final NodeStatus status = c.status();
            return "OPERATIONAL".equals(status.state()) ? status.members() : new int[0];
        }
        catch (final IOException | RuntimeException ex)
        {
            return new int[0];
        }
    }

    /** A node other than {@code not} where node i's CRM reports the resource started (and not lost), or -1. */
    private static int startedOn(final Path dir, final int i, final int not)
    {
        try (RingmasterClient c = RingmasterClient.connect(socket(dir, i)))
        {
            final String text = c.crm(List.of("resource", "status", RESOURCE)).text();
            for (final String line : text.split("\n"))
            {
                if (!line.startsWith(RESOURCE + "\t"))
                {
                    continue;
                }
                final Matcher m = STARTED_ON.matcher(line);
                while (m.find())
                {
                    final int on = Integer.parseInt(m.group(1));
                    if (on != not)
                    {
                        return on;
                    }
                }
            }
            return -1;
        }
        catch (final IOException | RuntimeException ex)
        {
            return -1;
        }
    }

    private void failure(final int round, final String why, final Path dir) throws IOException
    {
        out.println(String.format(Locale.ROOT,
            "{\"mode\":\"%s\",\"resource\":true,\"round\":%d,\"nodes\":%d,\"token_ms\":%d,\"error\":\"%s\"}",
            mode, round, nodes, tokenMs, why));
        out.flush();
        dumpLogs(dir);
    }

    /** The daemons' logs' last lines, so a failed round can be understood. */
    private void dumpLogs(final Path dir) throws IOException
    {
        for (int i = 1; i <= nodes; i++)
        {
            final Path log = dir.resolve("n" + i + ".log");
            if (Files.exists(log))
            {
                final List<String> lines = Files.readAllLines(log);
                err.println("---- n" + i + ".log (last 20 lines)");
                lines.subList(Math.max(0, lines.size() - 20), lines.size()).forEach(err::println);
            }
        }
        err.flush();
    }

    private static void deleteTree(final Path dir) throws IOException
    {
        try (Stream<Path> files = Files.walk(dir))
        {
            for (final Path p : files.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(p);
            }
        }
    }
}
