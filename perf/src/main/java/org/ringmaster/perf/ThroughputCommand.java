package org.ringmaster.perf;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.ringmaster.totem.security.AuthKey;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Agreed-order throughput: N nodes as separate processes on loopback, one or all sending S-byte
 * messages for D seconds after a warm-up; each receiver prints one JSON line. Exits non-zero if
 * the receivers' order hashes disagree or a node failed.
 */
@Command(name = "throughput", mixinStandardHelpOptions = true,
    description = "N-node agreed-order throughput on loopback; one JSON line per receiver.")
public final class ThroughputCommand implements Callable<Integer>
{
    private static final Pattern HASH = Pattern.compile("\"order_hash\":\"([0-9a-f]+)\"");

    @Option(names = "--system", defaultValue = "ringmaster", description = "ringmaster (default) or jgroups")
    String system;

    @Option(names = "--transport", defaultValue = "udpu", description = "ringmaster's transport: udpu (default) or aeron")
    String transport;

    @Option(names = "--aeron-mtu", defaultValue = "8192", description = "Aeron MTU with --transport aeron, default ${DEFAULT-VALUE}")
    int aeronMtu;

    @Option(names = "--aeron-threading", defaultValue = "SHARED",
        description = "Aeron media driver threading: SHARED (own thread) or INVOKER (on the ring's thread), default ${DEFAULT-VALUE}")
    String aeronThreading;

    @Option(names = "--crypto-warmup", defaultValue = "100000",
        description = "seal/open rounds each node runs before the clock starts so the JIT has compiled the crypto path, default ${DEFAULT-VALUE}")
    int cryptoWarmup;

    @Option(names = "--sender-wait", defaultValue = "park",
        description = "what a ringmaster sender does while its send queue is full: park 50 us (default) or yield"
            + " (yield keeps 3 senders runnable on 2 cores and starves the ring threads)")
    String senderWait;

    @Option(names = "--idle", defaultValue = "backoff", description = "ring thread idle strategy: backoff (spin, yield, "
        + "park 1-50 us; default: the lowest latency on a quiet host), socket (wait in epoll for a datagram, a timer or an "
        + "offer, as ringmasterd does: less CPU, better under load), socket-yield (the same after 50 yields) or spin")
    String idle;

    @Option(names = "--jgroups-stack", defaultValue = "tcp",
        description = "JGroups stack with --system jgroups: tcp (default) or udp (unicast UDP, like udpu)")
    String jgroupsStack;

    @Option(names = "--start-timeout", defaultValue = "90", description = "seconds to wait for every node to be ready")
    int startTimeout;

    @Option(names = "--nodes", defaultValue = "3", description = "nodes (processes), default ${DEFAULT-VALUE}")
    int nodes;

    @Option(names = "--size", defaultValue = "1024", description = "message bytes (>= 16), default ${DEFAULT-VALUE}")
    int size;

    @Option(names = "--senders", defaultValue = "all", description = "1 or all, default ${DEFAULT-VALUE}")
    String senders;

    @Option(names = "--duration", defaultValue = "10", description = "measured seconds, default ${DEFAULT-VALUE}")
    int duration;

    @Option(names = "--warmup", defaultValue = Warmup.AUTO, description = "seconds excluded from the figures, or auto"
        + " (default): 3 s flat out, and with --rate until each sender has sent 15,000 messages, so the JIT has"
        + " compiled every per-message path before the window (at most 30 s)")
    String warmup;

    /** --warmup resolved; set by {@link #measure()}. */
    private int warmupSeconds;

    @Option(names = "--rate", defaultValue = "0", description = "messages/s per sender, 0 = as fast as the ring takes them")
    int rate;

    @Option(names = "--netmtu", defaultValue = NetmtuOption.AUTO, description = "totem.netmtu: auto (default: the"
        + " loopback MTU, chosen once here as the daemon chooses it for nodes sharing a host) or a number, e.g. 1500"
        + " for Corosync's udpu framing")
    String netmtu;

    /** --netmtu resolved; set by {@link #measure()}. */
    private int resolvedNetmtu;

    @Option(names = "--crypto", defaultValue = "aes256", description = "none, sha256 (HMAC) or aes256 (AES-256-GCM), default ${DEFAULT-VALUE}")
    String crypto;

    @Option(names = "--window-size", defaultValue = "50", description = "totem.window_size, default ${DEFAULT-VALUE}")
    int windowSize;

    @Option(names = "--max-messages", defaultValue = "17", description = "totem.max_messages, default ${DEFAULT-VALUE}")
    int maxMessages;

    /** One throughput run's result: the exit code {@link #call()} would give and the receivers' JSON lines. */
    public record Outcome(int exit, List<String> lines)
    {
        public boolean ok()
        {
            return exit == 0;
        }
    }

    /**
     * Runs {@code throughput} with {@code args} (its own options, as on the command line) from
     * another mode, relaying the lines to System.out as usual.
     */
    public static Outcome run(final List<String> args) throws Exception
    {
        final ThroughputCommand command = new ThroughputCommand();
        new picocli.CommandLine(command).parseArgs(args.toArray(String[]::new));
        return command.measure();
    }

    @Option(names = "--accelerated", defaultValue = "default",
        description = "totem.accelerated: on, off, or default (the ring's default), default ${DEFAULT-VALUE}")
    String accelerated;

    @Option(names = "--accelerated-window", defaultValue = "-1",
        description = "totem.accelerated_window (0..max_messages), -1 = the ring's default (max_messages)")
    int acceleratedWindow;

    @Option(names = "--seqno-unchanged-const", defaultValue = "0",
        description = "totem.seqno_unchanged_const (quiet rotations before the last sender rests the token),"
            + " 0 = the ring's default")
    int seqnoUnchangedConst;

    @Override
    public Integer call() throws Exception
    {
        return measure().exit();
    }

    Outcome measure() throws Exception
    {
        final List<String> lines = new ArrayList<>();
        if (!"ringmaster".equals(system) && !"jgroups".equals(system))
        {
            System.err.println("--system " + system + ": ringmaster or jgroups");
            return new Outcome(2, lines);
        }
        if (nodes < 2 || size < RingNodeCommand.HEADER || !("1".equals(senders) || "all".equals(senders)))
        {
            System.err.println("need --nodes >= 2, --size >= " + RingNodeCommand.HEADER + ", --senders 1|all");
            return new Outcome(2, lines);
        }
        if (!List.of("on", "off", "default").contains(accelerated))
        {
            System.err.println("--accelerated " + accelerated + ": on, off or default");
            return new Outcome(2, lines);
        }
        if (acceleratedWindow < -1 || acceleratedWindow > maxMessages)
        {
            System.err.println("--accelerated-window " + acceleratedWindow + ": 0..--max-messages (" + maxMessages +
                "), or -1 for the default");
            return new Outcome(2, lines);
        }
        if (seqnoUnchangedConst < 0)
        {
            System.err.println("--seqno-unchanged-const " + seqnoUnchangedConst + ": >= 1, or 0 for the default");
            return new Outcome(2, lines);
        }
        try
        {
            warmupSeconds = Warmup.seconds(warmup, rate);
        }
        catch (final IllegalArgumentException e)
        {
            System.err.println(e.getMessage());
            return new Outcome(2, lines);
        }
        if ("ringmaster".equals(system))
        {
            try
            {
                resolvedNetmtu = NetmtuOption.resolve(netmtu, windowSize);
            }
            catch (final IllegalArgumentException e)
            {
                System.err.println(e.getMessage());
                return new Outcome(2, lines);
            }
        }
        final int basePort = 20000 + ThreadLocalRandom.current().nextInt(20000);
        final Path keyDir = Files.createTempDirectory("ringmaster-bench");
        final Path authkey = keyDir.resolve("authkey");
        AuthKey.generate(new SecureRandom(), AuthKey.DEFAULT_BYTES).writeTo(authkey, false);
        final List<Process> processes = new ArrayList<>();
        try (NodeProcesses children = new NodeProcesses())
        {
            final CountDownLatch ready = new CountDownLatch(nodes);
            final CountDownLatch results = new CountDownLatch(nodes);
            for (int id = 1; id <= nodes; id++)
            {
                processes.add(startNode(children, id, basePort, authkey));
            }
            final List<Thread> readers = new ArrayList<>();
            for (final Process p : processes)
            {
                final Thread t = new Thread(() -> pump(p, lines, ready, results));
                t.start();
                readers.add(t);
            }
            // Every node is set up (ring started, or JGroups view complete) before the clock starts,
            // so JVM start-up on a busy machine does not eat into the warm-up.
            if (!ready.await(startTimeout, TimeUnit.SECONDS))
            {
                System.err.println("not every node was ready within " + startTimeout + " s; stopping all");
                return new Outcome(1, snapshot(lines));
            }
            final long startAt = System.currentTimeMillis() + 500;
            for (final Process p : processes)
            {
                p.getOutputStream().write((startAt + "\n").getBytes(StandardCharsets.US_ASCII));
                p.getOutputStream().flush();
            }
            // Every node reports, then all are told to exit together (see RingNodeCommand.lingerUntilExit).
            results.await(warmupSeconds + duration + 150L, TimeUnit.SECONDS);
            for (final Process p : processes)
            {
                try
                {
                    p.getOutputStream().write("exit\n".getBytes(StandardCharsets.US_ASCII));
                    p.getOutputStream().flush();
                }
                catch (final IOException gone)
                {
                    // That node has already ended; its exit code tells.
                }
            }
            boolean ok = true;
            for (final Process p : processes)
            {
                if (!p.waitFor(warmupSeconds + duration + 120L, TimeUnit.SECONDS))
                {
                    System.err.println("a node did not finish in time; stopping all");
                    ok = false;
                    break;
                }
                ok &= p.exitValue() == 0;
            }
            for (final Thread t : readers)
            {
                t.join(5000);
            }
            String hash = null;
            synchronized (lines)
            {
                for (final String line : lines)
                {
                    final Matcher m = HASH.matcher(line);
                    if (m.find())
                    {
                        if (hash != null && !hash.equals(m.group(1)))
                        {
                            System.err.println("ORDER HASHES DISAGREE");
                            ok = false;
                        }
                        hash = m.group(1);
                    }
                }
                if (lines.size() != nodes)
                {
                    ok = false;
                }
            }
            return new Outcome(ok ? 0 : 1, snapshot(lines));
        }
        finally
        {
            Files.deleteIfExists(authkey);
            Files.deleteIfExists(keyDir);
        }
    }

    private static List<String> snapshot(final List<String> lines)
    {
        synchronized (lines)
        {
            return List.copyOf(lines);
        }
    }

    private Process startNode(final NodeProcesses children, final int id, final int basePort, final Path authkey)
        throws IOException
    {
        final List<String> common = List.of("--node", String.valueOf(id), "--nodes", String.valueOf(nodes),
            "--base-port", String.valueOf(basePort), "--size", String.valueOf(size), "--senders", senders,
            "--duration", String.valueOf(duration), "--warmup", String.valueOf(warmupSeconds), "--rate", String.valueOf(rate));
        final List<String> args = new ArrayList<>(common);
        if ("jgroups".equals(system))
        {
            args.addAll(List.of("--stack", jgroupsStack));
            return children.start(List.of("-Djava.net.preferIPv4Stack=true"), "jgroups-node", args);
        }
        args.addAll(List.of("--netmtu", String.valueOf(resolvedNetmtu), "--crypto", crypto, "--authkey", authkey.toString(),
            "--window-size", String.valueOf(windowSize), "--max-messages", String.valueOf(maxMessages),
            "--transport", transport, "--aeron-mtu", String.valueOf(aeronMtu), "--aeron-threading", aeronThreading,
            "--idle", idle, "--sender-wait", senderWait, "--crypto-warmup", String.valueOf(cryptoWarmup),
            "--accelerated", accelerated, "--accelerated-window", String.valueOf(acceleratedWindow),
            "--seqno-unchanged-const", String.valueOf(seqnoUnchangedConst)));
        return children.start(List.of(), "ring-node", args);
    }

    private static void pump(final Process p, final List<String> lines, final CountDownLatch ready,
        final CountDownLatch results)
    {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)))
        {
            String line;
            while ((line = in.readLine()) != null)
            {
                if (RingNodeCommand.READY.equals(line))
                {
                    ready.countDown();
                    continue;
                }
                synchronized (lines)
                {
                    System.out.println(line);
                    System.out.flush();
                    lines.add(line);
                }
                if (HASH.matcher(line).find())
                {
                    results.countDown();
                }
            }
        }
        catch (final IOException ignored)
        {
            // The process went away; its exit code tells.
        }
    }
}
