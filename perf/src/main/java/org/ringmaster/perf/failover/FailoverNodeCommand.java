package org.ringmaster.perf.failover;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.ringmaster.membership.ConfigurationChange;
import org.ringmaster.membership.EvsListener;
import org.ringmaster.membership.MembershipConfig;
import org.ringmaster.membership.RingSeqStore;
import org.ringmaster.membership.TotemNode;
import org.ringmaster.perf.NetmtuOption;
import org.ringmaster.totem.Guarantee;
import org.ringmaster.totem.TotemConfig;
import org.ringmaster.totem.security.AuthKey;
import org.ringmaster.totem.security.CryptoConfig;
import org.ringmaster.totem.security.SecureTransport;
import org.ringmaster.totem.transport.Transport;
import org.ringmaster.totem.transport.UdpConfig;
import org.ringmaster.totem.transport.UdpuTransport;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * One node of a failover round (a child process of {@link FailoverCommand}): a {@link TotemNode}
 * over UDPU on 127.0.0.1, sending at the requested load once it first sees every node in its
 * configuration, and reporting configuration changes and delivery counts as {@link RoundLog} lines.
 * SIGTERM leaves the ring cleanly; end of stdin (the parent died) halts the process at once.
 */
@Command(name = "failover-node", hidden = true, description = "one node of a failover run (internal)")
public final class FailoverNodeCommand implements Callable<Integer>
{
    private static final long RATE_PERIOD_NS = TimeUnit.MILLISECONDS.toNanos(250);

    @Option(names = "--node", required = true) int node;
    @Option(names = "--nodes", required = true) int nodes;
    @Option(names = "--base-port", required = true) int basePort;
    @Option(names = "--token", required = true) long tokenMs;
    @Option(names = "--consensus", defaultValue = "0") long consensusMs;
    @Option(names = "--load", defaultValue = "max") String load;
    @Option(names = "--size", defaultValue = "1024") int size;
    @Option(names = "--netmtu", defaultValue = NetmtuOption.AUTO, description = "auto or a number; the parent passes a number")
    String netmtuOption;
    @Option(names = "--crypto", defaultValue = "aes256") String crypto;
    @Option(names = "--authkey") Path authkey;
    @Option(names = "--ring-seq-file", required = true) Path ringSeqFile;

    private final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean leaveRequested;
    private volatile boolean loaded;
    private volatile long delivered;
    private volatile long sent;

    @Override
    public Integer call() throws Exception
    {
        final long rate = FailoverCommand.parseLoad(load);
        final int netmtu = NetmtuOption.resolve(netmtuOption, FailoverCommand.WINDOW_SIZE);
        final List<Integer> ids = new ArrayList<>();
        final UdpConfig.Builder udp = UdpConfig.builder().localNodeId(node).netmtu(netmtu);
        final int[] members = IntStream.rangeClosed(1, nodes).toArray();
        for (final int id : members)
        {
            ids.add(id);
            udp.node(id, new InetSocketAddress("127.0.0.1", basePort + id));
        }
        Transport transport = new UdpuTransport(udp.build());
        transport = SecureTransport.wrap(transport, FailoverCommand.cryptoConfig(crypto),
            authkey == null ? null : AuthKey.load(authkey), ids, "failover-bench");
        // As the daemon does: a membership node keeps a receive buffer and a recovery queue of whole datagrams,
        // 1024 slots of them would pin ~330 MB of direct memory at the loopback MTU.
        final TotemConfig totem = TotemConfig.builder().nodeId(node).members(members).netmtu(netmtu)
            .windowSize(FailoverCommand.WINDOW_SIZE)
            .receiveBufferSlots(TotemConfig.receiveBufferSlotsFor(netmtu, FailoverCommand.WINDOW_SIZE))
            .tokenMs(tokenMs).build();
        final TotemNode totemNode = new TotemNode(MembershipConfig.builder(totem).consensusMs(consensusMs)
            .ringSeqStore(RingSeqStore.file(ringSeqFile)).build(), transport);
        totemNode.listener(new Listener());

        final PrintStream out = System.out;
        final Thread printer = new Thread(() -> print(out), "failover-printer");
        printer.setDaemon(true);
        printer.start();
        watchParent();
        final Transport owned = transport;
        final Thread agent = new Thread(() -> runNode(totemNode, owned), "failover-agent-" + node);
        agent.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            leaveRequested = true;
            try
            {
                stopped.await(2, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            flush(out);
        }, "failover-leave"));
        send(totemNode, rate);
        agent.join();
        flush(out);
        return 0;
    }

    private final class Listener implements EvsListener
    {
        @Override
        public void onMessage(final int sender, final Guarantee guarantee, final DirectBuffer buffer, final int offset,
            final int length)
        {
            delivered++;
        }

        @Override
        public void onConfigurationChange(final ConfigurationChange change)
        {
            final long now = System.nanoTime();
            final int[] m = change.members();
            lines.add("CONF " + now + " " + (change.isRegular() ? "R" : "T") + " " + change.ringSeq() + " " +
                change.rep() + " " + change.reason() + " " +
                IntStream.of(m).mapToObj(Integer::toString).collect(Collectors.joining(",")));
            if (change.isRegular() && m.length == nodes)
            {
                loaded = true;
            }
        }
    }

    /** The agent loop: one thread owns the node and its transport, as TotemNode requires. */
    private void runNode(final TotemNode totemNode, final Transport transport)
    {
        final IdleStrategy idle = new BackoffIdleStrategy(20, 50, TimeUnit.MICROSECONDS.toNanos(1),
            TimeUnit.MICROSECONDS.toNanos(50));
        try
        {
            totemNode.start(System.nanoTime());
            long nextRate = System.nanoTime();
            long last = nextRate;
            long maxGap = 0;
            while (true)
            {
                final long now = System.nanoTime();
                // A long gap between duty cycles means this thread was not scheduled (or the JVM was
                // paused): a token loss then says more about the machine than about the protocol.
                maxGap = Math.max(maxGap, now - last);
                last = now;
                if (leaveRequested)
                {
                    lines.add("LEAVE " + now);
                    totemNode.leave();
                    break;
                }
                if (now >= nextRate)
                {
                    lines.add("RATE " + now + " " + delivered + " " + sent + " " + maxGap);
                    maxGap = 0;
                    nextRate = now + RATE_PERIOD_NS;
                }
                idle.idle(totemNode.doWork(now));
            }
        }
        catch (final RuntimeException ex)
        {
            ex.printStackTrace();
        }
        finally
        {
            transport.close();
            stopped.countDown();
        }
    }

    /** Offer messages at {@code rate} per second (0 = none, MAX_VALUE = as fast as the node takes them). */
    private void send(final TotemNode totemNode, final long rate) throws InterruptedException
    {
        while (!loaded && stopped.getCount() > 0)
        {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        if (rate == 0)
        {
            stopped.await();
            return;
        }
        final UnsafeBuffer message = new UnsafeBuffer(new byte[size]);
        final long interval = rate == Long.MAX_VALUE ? 0 : 1_000_000_000L / rate;
        long next = System.nanoTime();
        long counter = 0;
        while (stopped.getCount() > 0 && !leaveRequested)
        {
            if (interval > 0)
            {
                final long wait = next - System.nanoTime();
                if (wait > 0)
                {
                    LockSupport.parkNanos(Math.min(wait, TimeUnit.MILLISECONDS.toNanos(1)));
                    continue;
                }
                next += interval;
            }
            message.putLong(0, System.nanoTime());
            message.putInt(8, node);
            message.putLong(12, counter);
            while (!totemNode.offer(message, 0, size, Guarantee.AGREED))
            {
                if (stopped.getCount() == 0 || leaveRequested)
                {
                    return;
                }
                Thread.yield();
            }
            counter++;
            sent = counter;
        }
    }

    private void print(final PrintStream out)
    {
        while (true)
        {
            flush(out);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    private synchronized void flush(final PrintStream out)
    {
        String line;
        boolean any = false;
        while ((line = lines.poll()) != null)
        {
            out.println(line);
            any = true;
        }
        if (any)
        {
            out.flush();
        }
    }

    /** If the parent goes away (its end of our stdin closes), nothing is left to end us: halt. */
    private static void watchParent()
    {
        final Thread watcher = new Thread(() ->
        {
            final InputStream in = System.in;
            final byte[] sink = new byte[64];
            try
            {
                while (in.read(sink) >= 0)
                {
                    // The parent never writes; reading only waits for end of stream.
                }
            }
            catch (final IOException ignored)
            {
                // Same as end of stream.
            }
            System.err.println("failover-node: parent gone, halting");
            Runtime.getRuntime().halt(3);
        }, "failover-parent-watch");
        watcher.setDaemon(true);
        watcher.start();
    }
}
