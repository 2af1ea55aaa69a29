package org.ringmaster.perf;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.ringmaster.totem.DeliveryListener;
import org.ringmaster.totem.Guarantee;
import org.ringmaster.totem.TotemAgent;
import org.ringmaster.totem.TotemConfig;
import org.ringmaster.totem.TotemRing;
import org.ringmaster.totem.security.AuthKey;
import org.ringmaster.totem.security.CryptoConfig;
import org.ringmaster.totem.security.SecureTransport;
import org.ringmaster.totem.transport.Transport;
import org.ringmaster.totem.transport.TransportCounters;
import org.ringmaster.totem.transport.UdpConfig;
import org.ringmaster.totem.transport.UdpuTransport;
import org.ringmaster.totem.transport.aeron.AeronConfig;
import org.ringmaster.totem.transport.aeron.AeronTransport;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** One benchmark node (a child process of {@link ThroughputCommand}); prints its JSON line. */
@Command(name = "ring-node", hidden = true, description = "one node of a throughput run (internal)")
public final class RingNodeCommand implements Callable<Integer>
{
    /** Payload header: send time (ns), sender, counter (-1 marks a sender's end). */
    public static final int HEADER = 16;
    /** What a child prints when it is set up; the parent then sends the start time on its stdin. */
    public static final String READY = "READY";
    private static final long SENDER_PARK_NS = TimeUnit.MICROSECONDS.toNanos(50);
    private static final long SPIN_NS = TimeUnit.MICROSECONDS.toNanos(60);
    /** One reader for the parent's lines (start time, then "exit"), so no line is lost to a second buffer. */
    private static final BufferedReader STDIN =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));

    @Option(names = "--node", required = true) int node;
    @Option(names = "--nodes", required = true) int nodes;
    @Option(names = "--base-port", required = true) int basePort;
    @Option(names = "--size", required = true) int size;
    @Option(names = "--senders", required = true) String senders;
    @Option(names = "--duration", required = true) int duration;
    @Option(names = "--warmup", required = true) int warmup;
    @Option(names = "--rate", defaultValue = "0") int rate;
    @Option(names = "--netmtu", defaultValue = NetmtuOption.AUTO, description = "auto or a number; the parent passes a number")
    String netmtuOption;
    private int netmtu;
    @Option(names = "--crypto", defaultValue = "aes256") String crypto;
    @Option(names = "--authkey") Path authkey;
    @Option(names = "--start-at", defaultValue = "0", description = "epoch ms; 0 = print READY and read it from stdin")
    long startAtMillis;
    @Option(names = "--window-size", defaultValue = "50") int windowSize;
    @Option(names = "--max-messages", defaultValue = "17") int maxMessages;
    @Option(names = "--transport", defaultValue = "udpu") String transportName;
    @Option(names = "--aeron-mtu", defaultValue = "8192") int aeronMtu;
    @Option(names = "--aeron-threading", defaultValue = "SHARED") AeronConfig.Threading aeronThreading;
    @Option(names = "--idle", defaultValue = "backoff") String idle;
    @Option(names = "--accelerated", defaultValue = "default") String accelerated;
    @Option(names = "--accelerated-window", defaultValue = "-1") int acceleratedWindow;
    @Option(names = "--seqno-unchanged-const", defaultValue = "0") int seqnoUnchangedConst;
    private Thread ringThread;
    @Option(names = "--sender-wait", defaultValue = "park",
        description = "what a sender does while the send queue is full: yield or park (50 us)") String senderWait;
    @Option(names = "--crypto-warmup", defaultValue = "100000",
        description = "seal/open rounds run on a throwaway transport pair before READY, so the JIT has compiled"
            + " the AES-GCM path before the clock starts (0 = none)")
    int cryptoWarmupRounds;

    /**
     * Counts and times deliveries in agreed order and hashes that order; read by the main thread
     * after {@link #done}. Used by every system's node, so their figures mean the same.
     */
    public static final class Receiver implements DeliveryListener
    {
        final Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        // Written once by the main thread when the common start time is known, read by the ring
        // thread; until then no delivery is inside the window, but every one is hashed and counted.
        volatile long windowStartNs = Long.MAX_VALUE;
        volatile long windowEndNs = Long.MAX_VALUE;
        final int expectedEnds;
        long hash = 0xcbf29ce484222325L;
        long delivered;
        long inWindow;
        long bytesInWindow;
        int ends;
        volatile boolean done;
        /** Diagnostic ({@code RINGMASTER_BENCH_TRACE=DIR}): send and delivery time of each measured message. */
        private final long[] trace = System.getenv("RINGMASTER_BENCH_TRACE") != null ? new long[2 * 1_000_000] : null;
        private int traced;

        public Receiver(final int expectedEnds)
        {
            this.expectedEnds = expectedEnds;
        }

        /**
         * With {@code RINGMASTER_BENCH_TRACE=DIR} set, writes DIR/trace-SYSTEM-NODE.txt: one line per
         * measured message, "send_ns delivery_ns" (System.nanoTime, one clock for all processes of a
         * host), to see when the slow deliveries of a run happened.
         */
        public void writeTrace(final String system, final int node)
        {
            final String dir = System.getenv("RINGMASTER_BENCH_TRACE");
            if (trace == null || dir == null)
            {
                return;
            }
            final StringBuilder out = new StringBuilder(traced * 12);
            for (int i = 0; i < traced; i += 2)
            {
                out.append(trace[i]).append(' ').append(trace[i + 1]).append('\n');
            }
            try
            {
                java.nio.file.Files.writeString(java.nio.file.Path.of(dir, "trace-" + system + "-" + node + ".txt"),
                    out);
            }
            catch (final java.io.IOException ex)
            {
                System.err.println("trace: " + ex.getMessage());
            }
        }

        /** Sets the measured window; deliveries before this call count in the hash, not the window. */
        public void window(final long startNs, final long endNs)
        {
            windowEndNs = endNs;
            windowStartNs = startNs;
        }

        @Override
        public void onMessage(final int sender, final long seq, final Guarantee guarantee, final DirectBuffer buffer,
            final int offset, final int length)
        {
            final long now = System.nanoTime();
            final long sentAt = buffer.getLong(offset);
            final int counter = buffer.getInt(offset + 12);
            hash = (hash ^ sender) * 0x100000001b3L;
            hash = (hash ^ counter) * 0x100000001b3L;
            delivered++;
            if (counter < 0)
            {
                if (++ends == expectedEnds)
                {
                    done = true;
                }
                return;
            }
            if (now >= windowStartNs && now < windowEndNs)
            {
                inWindow++;
                bytesInWindow += length;
                latency.recordValue(Math.min(latency.getHighestTrackableValue(), Math.max(0, now - sentAt)));
                if (trace != null && traced < trace.length)
                {
                    trace[traced++] = sentAt;
                    trace[traced++] = now;
                }
            }
        }

        public boolean done()
        {
            return done;
        }

        public long delivered()
        {
            return delivered;
        }

        /** Messages (not sender ends) delivered inside the measured window. */
        public long inWindow()
        {
            return inWindow;
        }

        public long windowStartNs()
        {
            return windowStartNs;
        }

        public long windowEndNs()
        {
            return windowEndNs;
        }

        /**
         * The result line; {@code fields} are system-specific JSON members (without braces) put after
         * "rate", {@code tail} members (with a leading comma) put last.
         */
        public String json(final String system, final int node, final int nodes, final int size, final String senders,
            final int rate, final String fields, final int durationSeconds, final String tail)
        {
            final double seconds = durationSeconds;
            return String.format(Locale.ROOT,
                "{\"system\":\"%s\",\"node\":%d,\"nodes\":%d,\"size\":%d,\"senders\":\"%s\",\"rate\":%d,%s," +
                "\"msgs_per_s\":%.0f,\"mb_per_s\":%.2f,\"p50_us\":%.1f,\"p99_us\":%.1f," +
                "\"p999_us\":%.1f,\"delivered\":%d,\"complete\":%s,\"order_hash\":\"%016x\"%s}",
                system, node, nodes, size, senders, rate, fields, inWindow / seconds,
                bytesInWindow / seconds / 1e6, latency.getValueAtPercentile(50) / 1e3,
                latency.getValueAtPercentile(99) / 1e3, latency.getValueAtPercentile(99.9) / 1e3,
                delivered, done, hash, tail);
        }
    }

    /**
     * The common start time in this JVM's nanoTime: {@code startAtMillis} if given, otherwise
     * print {@link #READY} and wait for the parent to send the epoch-ms start on stdin.
     */
    public static long startNs(final long startAtMillis) throws IOException
    {
        long at = startAtMillis;
        if (at <= 0)
        {
            System.out.println(READY);
            System.out.flush();
            final String line = STDIN.readLine();
            if (line == null)
            {
                throw new IOException("the parent closed stdin before sending the start time");
            }
            at = Long.parseLong(line.trim());
        }
        final long offsetNs = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis());
        return TimeUnit.MILLISECONDS.toNanos(at) + offsetNs;
    }

    private Transport transport(final List<Integer> ids) throws IOException
    {
        final Transport inner;
        switch (transportName)
        {
            case "udpu" ->
            {
                final UdpConfig.Builder udp = UdpConfig.builder().localNodeId(node).netmtu(netmtu);
                ids.forEach(i -> udp.node(i, new InetSocketAddress("127.0.0.1", basePort + i)));
                inner = new UdpuTransport(udp.build());
            }
            case "aeron" ->
            {
                // The ring fills netmtu - 28 bytes, as over udpu; one Aeron frame carries it on loopback.
                final AeronConfig.Builder aeron = AeronConfig.builder().localNodeId(node).mtuLength(aeronMtu)
                    .maxDatagramLength(netmtu - 28).threading(aeronThreading);
                ids.forEach(i -> aeron.node(i, new InetSocketAddress("127.0.0.1", basePort + i)));
                inner = new AeronTransport(aeron.build());
            }
            default -> throw new IllegalArgumentException("--transport " + transportName + ": udpu or aeron");
        }
        if ("none".equals(crypto))
        {
            return inner;
        }
        return SecureTransport.wrap(inner, cryptoConfig(), AuthKey.load(authkey), ids, "bench");
    }

    private CryptoConfig cryptoConfig()
    {
        return "sha256".equals(crypto) ? CryptoConfig.parse("sha256", "none") : CryptoConfig.parse("sha256", "aes256");
    }

    /**
     * After its result line a node keeps running until the parent says every node has reported
     * (or goes away): a node that left early could take messages others still need with it, e.g.
     * JGroups' sequencer or the ring's token for retransmissions.
     */
    public static void lingerUntilExit()
    {
        try
        {
            String line;
            while ((line = STDIN.readLine()) != null && !"exit".equals(line.trim()))
            {
                // Only "exit" (or end of input) ends the wait.
            }
        }
        catch (final IOException ignored)
        {
            // The parent is gone: nothing to wait for.
        }
    }

    private IdleStrategy idleStrategy(final TotemAgent agent)
    {
        if (idle.startsWith("backoff:"))
        {
            // backoff:SPINS:YIELDS:MAX_PARK_US, for trying other shapes of the default.
            final String[] p = idle.split(":");
            if (p.length != 4)
            {
                throw new IllegalArgumentException("--idle " + idle + ": backoff:SPINS:YIELDS:MAX_PARK_US");
            }
            return new BackoffIdleStrategy(Long.parseLong(p[1]), Long.parseLong(p[2]), TimeUnit.MICROSECONDS.toNanos(1),
                TimeUnit.MICROSECONDS.toNanos(Long.parseLong(p[3])));
        }
        return switch (idle)
        {
            case "socket" -> agent.socketIdleStrategy();
            case "socket-yield" -> agent.socketIdleStrategy(20, 50);
            case "spin" -> new BusySpinIdleStrategy();
            case "backoff" -> new BackoffIdleStrategy(
                20, 50, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MICROSECONDS.toNanos(50));
            default -> throw new IllegalArgumentException(
                "--idle " + idle + ": socket, socket-yield, backoff, backoff:SPINS:YIELDS:MAX_PARK_US or spin");
        };
    }

    @Override
    public Integer call() throws Exception
    {
        netmtu = NetmtuOption.resolve(netmtuOption, windowSize);
        final int[] members = new int[nodes];
        final List<Integer> ids = new ArrayList<>();
        for (int i = 1; i <= nodes; i++)
        {
            members[i - 1] = i;
            ids.add(i);
        }
        if (!"none".equals(crypto) && cryptoWarmupRounds > 0)
        {
            final long t0 = System.nanoTime();
            final long opened = CryptoWarmup.run(cryptoConfig(), AuthKey.load(authkey), ids, node, cryptoWarmupRounds,
                TimeUnit.SECONDS.toNanos(10));
            System.err.printf(Locale.ROOT, "node %d: crypto warm-up opened %d datagrams in %.1f s%n",
                node, opened, (System.nanoTime() - t0) / 1e9);
        }
        final Transport transport = transport(ids);
        final TotemConfig.Builder builder = TotemConfig.builder().nodeId(node).members(members).netmtu(netmtu)
            .windowSize(windowSize).maxMessages(maxMessages);
        switch (accelerated)
        {
            case "on" -> builder.accelerated(true);
            case "off" -> builder.accelerated(false);
            case "default" -> { }
            default -> throw new IllegalArgumentException("--accelerated " + accelerated + ": on, off or default");
        }
        if (acceleratedWindow >= 0)
        {
            builder.acceleratedWindow(acceleratedWindow);
        }
        if (seqnoUnchangedConst > 0)
        {
            builder.seqnoUnchangedConst(seqnoUnchangedConst);
        }
        final TotemConfig config = builder.build();
        final int senderCount = "all".equals(senders) ? nodes : 1;
        final boolean sending = "all".equals(senders) || node == 1;
        final AgentRunner[] runnerHolder = new AgentRunner[1];
        final Receiver receiver;
        final TotemRing ring;
        final long startNs;
        final AllocationProbe probe;
        try
        {
            // The ring starts before the common start so that its token is circulating by then. The
            // receiver exists before the ring: a peer that starts sending while this node is still
            // reading the start time (a slow process on a loaded host) must not go unhashed here.
            receiver = new Receiver(senderCount);
            ring = new TotemRing(config, transport, receiver);
            startNs = startAndWait(ring, transport, runnerHolder);
            final long windowStart = startNs + TimeUnit.SECONDS.toNanos(warmup);
            receiver.window(windowStart, windowStart + TimeUnit.SECONDS.toNanos(duration));
            probe = AllocationProbe.start(receiver.windowStartNs, receiver.windowEndNs, ringThread);
        }
        catch (final IOException | RuntimeException ex)
        {
            if (runnerHolder[0] != null)
            {
                runnerHolder[0].close();
            }
            throw ex;
        }
        try
        {
            RingNodeCommand.pace(startNs);
            if (sending)
            {
                send(ring, receiver.windowEndNs);
            }
            final long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!receiver.done && System.nanoTime() < giveUp)
            {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
            System.err.println("node " + node + " ring " + ring.counters() + " transport drops auth=" +
                transport.counters().drops(TransportCounters.Drop.AUTH_FAILED) +
                " send_failed=" + transport.counters().drops(TransportCounters.Drop.SEND_FAILED));
            receiver.writeTrace("ringmaster", node);
            System.out.println(receiver.json("ringmaster", node, nodes, size, senders, rate, String.format(Locale.ROOT,
                "\"transport\":\"%s\",\"netmtu\":%d,\"crypto\":\"%s\",\"accelerated\":%s,\"accelerated_window\":%d,"
                    + "\"seqno_unchanged_const\":%d,\"idle\":\"%s\"",
                transportName, netmtu, crypto, config.accelerated(), config.acceleratedWindow(), config.seqnoUnchangedConst(),
                idle), duration, probe.json(receiver.inWindow)));
            System.out.flush();
            lingerUntilExit();
        }
        finally
        {
            runnerHolder[0].close();
        }
        return receiver.done ? 0 : 1;
    }

    /**
     * Deliveries may start before the receiver exists only if a peer started sending early, which
     * the common start time rules out; the ring is started first so its setup is not measured.
     */
    private long startAndWait(final TotemRing ring, final Transport transport, final AgentRunner[] runnerHolder)
        throws IOException
    {
        final TotemAgent agent = new TotemAgent(ring, transport);
        runnerHolder[0] = new AgentRunner(idleStrategy(agent), Throwable::printStackTrace, null, agent);
        // The thread startOnThread returns, not runner.thread(): that is only set once the new thread
        // runs, which on a loaded host can be after the probe asks for it (ring_alloc_bytes_per_msg -1).
        ringThread = AgentRunner.startOnThread(runnerHolder[0]);
        return startNs(startAtMillis);
    }

    private void send(final TotemRing ring, final long windowEnd)
    {
        final UnsafeBuffer message = new UnsafeBuffer(new byte[size]);
        int counter = 0;
        final long interval = rate > 0 ? 1_000_000_000L / rate : 0;
        long next = System.nanoTime();
        while (System.nanoTime() < windowEnd)
        {
            if (interval > 0)
            {
                pace(next);
                next += interval;
            }
            message.putLong(0, System.nanoTime());
            message.putInt(8, node);
            message.putInt(12, counter);
            while (!ring.offer(message, 0, size, Guarantee.AGREED))
            {
                waitForRoom();
                message.putLong(0, System.nanoTime());
            }
            counter++;
        }
        message.putLong(0, counter);
        message.putInt(12, -1);
        while (!ring.offer(message, 0, HEADER, Guarantee.AGREED))
        {
            waitForRoom();
        }
    }

    /**
     * Wait until {@code next} (ns): parked while it is far, spinning only for the last stretch, so
     * a paced sender does not keep a core busy.
     */
    public static void pace(final long next)
    {
        long left;
        while ((left = next - System.nanoTime()) > 0)
        {
            if (left > SPIN_NS)
            {
                LockSupport.parkNanos(left - SPIN_NS);
            }
            else
            {
                Thread.onSpinWait();
            }
        }
    }

    /** Parking leaves the CPU to the ring threads (3 JVMs share 2 cores); yield keeps the sender runnable. */
    private void waitForRoom()
    {
        if ("park".equals(senderWait))
        {
            LockSupport.parkNanos(SENDER_PARK_NS);
        }
        else
        {
            Thread.yield();
        }
    }
}
