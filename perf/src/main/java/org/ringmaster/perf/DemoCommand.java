package org.ringmaster.perf;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

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

/**
 * The local demo: a 3-node ring over real UDP on 127.0.0.1-3 with AES-256-GCM, every node sending,
 * printing delivered messages per second per node until Ctrl-C, and whether the nodes agree on
 * the order (a running hash compared every 100,000 messages).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run a 3-node ring on loopback and print delivered messages per second until Ctrl-C.")
public final class DemoCommand implements Runnable
{
    private static final long CHECKPOINT = 100_000;

    @Option(names = "--nodes", defaultValue = "3", description = "nodes, default ${DEFAULT-VALUE}")
    int nodes;

    @Option(names = "--size", defaultValue = "256", description = "message bytes, default ${DEFAULT-VALUE}")
    int size;

    @Option(names = "--seconds", defaultValue = "0", description = "stop after this many seconds; 0 = until Ctrl-C")
    int seconds;

    /** Counts deliveries and hashes the order, checkpointing the hash every CHECKPOINT messages. */
    static final class Counter implements DeliveryListener
    {
        final AtomicLong delivered = new AtomicLong();
        final ConcurrentHashMap<Long, Long> checkpoints = new ConcurrentHashMap<>();
        long hash = 0xcbf29ce484222325L;

        @Override
        public void onMessage(final int sender, final long seq, final Guarantee guarantee, final DirectBuffer buffer,
            final int offset, final int length)
        {
            hash = (hash ^ sender) * 0x100000001b3L;
            hash = (hash ^ buffer.getLong(offset)) * 0x100000001b3L;
            final long n = delivered.incrementAndGet();
            if (n % CHECKPOINT == 0)
            {
                checkpoints.put(n, hash);
            }
        }
    }

    @Override
    public void run()
    {
        final int port = 40000 + ThreadLocalRandom.current().nextInt(10000);
        final AuthKey key = AuthKey.generate(new SecureRandom(), AuthKey.DEFAULT_BYTES);
        final List<Integer> ids = new ArrayList<>();
        final int[] members = new int[nodes];
        for (int i = 1; i <= nodes; i++)
        {
            ids.add(i);
            members[i - 1] = i;
        }
        final List<AgentRunner> runners = new ArrayList<>();
        final List<Counter> counters = new ArrayList<>();
        final List<Thread> senders = new ArrayList<>();
        final Runnable stop = () ->
        {
            senders.forEach(Thread::interrupt);
            runners.forEach(AgentRunner::close);
        };
        final Thread hook = new Thread(stop);
        Runtime.getRuntime().addShutdownHook(hook);
        System.out.printf("starting a %d-node ring on 127.0.0.1-%d port %d (udpu, aes256), %d-byte messages; Ctrl-C stops%n",
            nodes, nodes, port, size);
        for (final int id : ids)
        {
            final UdpConfig.Builder udp = UdpConfig.builder().localNodeId(id);
            ids.forEach(other -> udp.node(other, new InetSocketAddress("127.0.0." + other, port)));
            final Transport transport = SecureTransport.wrap(new UdpuTransport(udp.build()),
                CryptoConfig.parse("sha256", "aes256"), key, ids, "demo");
            final Counter counter = new Counter();
            final TotemRing ring = new TotemRing(TotemConfig.builder().nodeId(id).members(members).build(), transport, counter);
            runners.add(new AgentRunner(new BackoffIdleStrategy(20, 50, 1_000, 200_000),
                Throwable::printStackTrace, null, new TotemAgent(ring, transport)));
            counters.add(counter);
            final Thread sender = new Thread(() -> send(ring), "demo-sender-" + id);
            sender.setDaemon(true);
            senders.add(sender);
        }
        runners.forEach(AgentRunner::startOnThread);
        senders.forEach(Thread::start);

        final long[] last = new long[nodes];
        final long start = System.nanoTime();
        for (int second = 1; seconds == 0 || second <= seconds; second++)
        {
            LockSupport.parkNanos(start + TimeUnit.SECONDS.toNanos(second) - System.nanoTime());
            final StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%5ds", second));
            long common = Long.MAX_VALUE;
            for (int i = 0; i < nodes; i++)
            {
                final long now = counters.get(i).delivered.get();
                line.append(String.format(Locale.ROOT, "  node %d: %,9d msg/s", i + 1, now - last[i]));
                last[i] = now;
                common = Math.min(common, now);
            }
            final long checkpoint = common / CHECKPOINT * CHECKPOINT;
            if (checkpoint > 0)
            {
                final Long reference = counters.get(0).checkpoints.get(checkpoint);
                final boolean agree = counters.stream().allMatch(c -> reference.equals(c.checkpoints.get(checkpoint)));
                line.append(String.format(Locale.ROOT, "  order at %,d: %s", checkpoint, agree ? "agrees" : "DIFFERS"));
            }
            System.out.println(line);
        }
        stop.run();
        Runtime.getRuntime().removeShutdownHook(hook);
    }

    private void send(final TotemRing ring)
    {
        final UnsafeBuffer message = new UnsafeBuffer(new byte[Math.max(8, size)]);
        long counter = 0;
        while (!Thread.currentThread().isInterrupted())
        {
            message.putLong(0, counter);
            if (ring.offer(message, 0, message.capacity(), Guarantee.AGREED))
            {
                counter++;
            }
            else
            {
                Thread.yield();
            }
        }
    }
}
