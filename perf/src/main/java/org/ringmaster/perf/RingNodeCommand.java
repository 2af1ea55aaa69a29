package org.ringmaster.perf;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
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
import org.ringmaster.totem.transport.UdpConfig;
import org.ringmaster.totem.transport.UdpuTransport;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** One benchmark node (a child process of {@link ThroughputCommand}); prints its JSON line. */
@Command(name = "ring-node", hidden = true, description = "one node of a throughput run (internal)")
public final class RingNodeCommand implements Callable<Integer>
{
    /** Payload header: send time (ns), sender, counter (-1 marks a sender's end). */
    static final int HEADER = 16;

    @Option(names = "--node", required = true) int node;
    @Option(names = "--nodes", required = true) int nodes;
    @Option(names = "--base-port", required = true) int basePort;
    @Option(names = "--size", required = true) int size;
    @Option(names = "--senders", required = true) String senders;
    @Option(names = "--duration", required = true) int duration;
    @Option(names = "--warmup", required = true) int warmup;
    @Option(names = "--rate", defaultValue = "0") int rate;
    @Option(names = "--netmtu", defaultValue = "1500") int netmtu;
    @Option(names = "--crypto", defaultValue = "aes256") String crypto;
    @Option(names = "--authkey") Path authkey;
    @Option(names = "--start-at", required = true) long startAtMillis;
    @Option(names = "--window-size", defaultValue = "50") int windowSize;
    @Option(names = "--max-messages", defaultValue = "17") int maxMessages;

    /** Counts and times deliveries on the ring's thread; read by main after {@link #done}. */
    static final class Receiver implements DeliveryListener
    {
        final Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        final long windowStartNs;
        final long windowEndNs;
        final int expectedEnds;
        long hash = 0xcbf29ce484222325L;
        long delivered;
        long inWindow;
        long bytesInWindow;
        int ends;
        volatile boolean done;

        Receiver(final long windowStartNs, final long windowEndNs, final int expectedEnds)
        {
            this.windowStartNs = windowStartNs;
            this.windowEndNs = windowEndNs;
            this.expectedEnds = expectedEnds;
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
            }
        }
    }

    @Override
    public Integer call() throws Exception
    {
        final int[] members = new int[nodes];
        final UdpConfig.Builder udp = UdpConfig.builder().localNodeId(node).netmtu(netmtu);
        final List<Integer> ids = new ArrayList<>();
        for (int i = 1; i <= nodes; i++)
        {
            members[i - 1] = i;
            ids.add(i);
            udp.node(i, new InetSocketAddress("127.0.0.1", basePort + i));
        }
        Transport transport = new UdpuTransport(udp.build());
        if (!"none".equals(crypto))
        {
            final CryptoConfig cryptoConfig = "sha256".equals(crypto)
                ? CryptoConfig.parse("sha256", "none") : CryptoConfig.parse("sha256", "aes256");
            transport = SecureTransport.wrap(transport, cryptoConfig, AuthKey.load(authkey), ids, "bench");
        }
        final TotemConfig config = TotemConfig.builder().nodeId(node).members(members).netmtu(netmtu)
            .windowSize(windowSize).maxMessages(maxMessages).build();

        final long offsetNs = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis());
        final long startNs = TimeUnit.MILLISECONDS.toNanos(startAtMillis) + offsetNs;
        final long windowStart = startNs + TimeUnit.SECONDS.toNanos(warmup);
        final long windowEnd = windowStart + TimeUnit.SECONDS.toNanos(duration);
        final int senderCount = "all".equals(senders) ? nodes : 1;
        final boolean sending = "all".equals(senders) || node == 1;
        final Receiver receiver = new Receiver(windowStart, windowEnd, senderCount);
        final TotemRing ring = new TotemRing(config, transport, receiver);
        final AgentRunner runner = new AgentRunner(
            new BackoffIdleStrategy(20, 50, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MICROSECONDS.toNanos(50)),
            Throwable::printStackTrace, null, new TotemAgent(ring, transport));
        AgentRunner.startOnThread(runner);
        try
        {
            while (System.nanoTime() < startNs)
            {
                Thread.onSpinWait();
            }
            final UnsafeBuffer message = new UnsafeBuffer(new byte[size]);
            int counter = 0;
            if (sending)
            {
                final long interval = rate > 0 ? 1_000_000_000L / rate : 0;
                long next = System.nanoTime();
                while (System.nanoTime() < windowEnd)
                {
                    if (interval > 0)
                    {
                        while (System.nanoTime() < next)
                        {
                            Thread.onSpinWait();
                        }
                        next += interval;
                    }
                    message.putLong(0, System.nanoTime());
                    message.putInt(8, node);
                    message.putInt(12, counter);
                    while (!ring.offer(message, 0, size, Guarantee.AGREED))
                    {
                        Thread.yield();
                        message.putLong(0, System.nanoTime());
                    }
                    counter++;
                }
                message.putLong(0, counter);
                message.putInt(12, -1);
                while (!ring.offer(message, 0, HEADER, Guarantee.AGREED))
                {
                    Thread.yield();
                }
            }
            final long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!receiver.done && System.nanoTime() < giveUp)
            {
                Thread.onSpinWait();
                Thread.yield();
            }
        }
        finally
        {
            runner.close();
        }
        System.err.println("node " + node + " ring " + ring.counters() + " transport drops auth=" +
            transport.counters().drops(org.ringmaster.totem.transport.TransportCounters.Drop.AUTH_FAILED) +
            " send_failed=" + transport.counters().drops(org.ringmaster.totem.transport.TransportCounters.Drop.SEND_FAILED));
        final double seconds = duration;
        System.out.println(String.format(Locale.ROOT,
            "{\"system\":\"ringmaster\",\"node\":%d,\"nodes\":%d,\"size\":%d,\"senders\":\"%s\",\"rate\":%d," +
            "\"netmtu\":%d,\"crypto\":\"%s\",\"msgs_per_s\":%.0f,\"mb_per_s\":%.2f,\"p50_us\":%.1f,\"p99_us\":%.1f," +
            "\"p999_us\":%.1f,\"delivered\":%d,\"complete\":%s,\"order_hash\":\"%016x\"}",
            node, nodes, size, senders, rate, netmtu, crypto, receiver.inWindow / seconds,
            receiver.bytesInWindow / seconds / 1e6, receiver.latency.getValueAtPercentile(50) / 1e3,
            receiver.latency.getValueAtPercentile(99) / 1e3, receiver.latency.getValueAtPercentile(99.9) / 1e3,
            receiver.delivered, receiver.done, receiver.hash));
        return receiver.done ? 0 : 1;
    }
}
