package org.ringmaster.totem.transport.aeron;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ringmaster.totem.Guarantee;
import org.ringmaster.totem.RingCounters;
import org.ringmaster.totem.TotemAgent;
import org.ringmaster.totem.TotemConfig;
import org.ringmaster.totem.TotemRing;
import org.ringmaster.totem.security.AuthKey;
import org.ringmaster.totem.security.CryptoConfig;
import org.ringmaster.totem.security.SecureTransport;
import org.ringmaster.totem.sim.DeliveryOrderLog;
import org.ringmaster.totem.sim.Payloads;
import org.ringmaster.totem.transport.LoopbackPorts;
import org.ringmaster.totem.transport.Transport;
import org.ringmaster.totem.transport.TransportCounters;

/**
 * A 3-node Totem ring over AeronTransport (AES-256-GCM on top), each node on its own agent thread
 * and embedded media driver: 20,000 messages of 16 B to 16 KiB arrive intact and in one order.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class AeronRingTest
{
    private static final int NODES = 3;
    private static final int MESSAGES = 20_000;

    /** One node's delivery order as (sender, counter) pairs. */
    @ParameterizedTest
    @EnumSource(AeronConfig.Threading.class)
    void threeNodesAgreeOnTheOrderOverAeron(final AeronConfig.Threading threading) throws Exception
    {
        final AuthKey key = AuthKey.generate(new SecureRandom(), AuthKey.DEFAULT_BYTES);
        final List<Integer> ids = List.of(1, 2, 3);
        final AeronConfig.Builder template = AeronConfig.builder().threading(threading).mtuLength(8192);
        for (final int id : ids)
        {
            template.node(id, new InetSocketAddress("127.0.0.1", LoopbackPorts.samePortOn("127.0.0.1")));
        }
        final List<AgentRunner> runners = new ArrayList<>();
        final List<Transport> transports = new ArrayList<>();
        final List<DeliveryOrderLog> logs = new ArrayList<>();
        final List<Thread> senders = new ArrayList<>();
        final List<TotemRing> rings = new ArrayList<>();
        try
        {
            for (final int id : ids)
            {
                final Transport transport = SecureTransport.wrap(new AeronTransport(template.localNodeId(id).build()),
                    CryptoConfig.parse("sha256", "aes256"), key, ids, "aeron-ring-test");
                transports.add(transport);
                final DeliveryOrderLog log = new DeliveryOrderLog(MESSAGES);
                final TotemRing ring = new TotemRing(
                    TotemConfig.builder().nodeId(id).members(1, 2, 3).accelerated(true).build(), transport, log);
                rings.add(ring);
                logs.add(log);
                runners.add(new AgentRunner(new BackoffIdleStrategy(10, 20, 1_000, 100_000),
                    Throwable::printStackTrace, null, new TotemAgent(ring, transport)));
            }
            runners.forEach(AgentRunner::startOnThread);
            for (int i = 0; i < NODES; i++)
            {
                final TotemRing ring = rings.get(i);
                final int sender = ids.get(i);
                final int count = MESSAGES / NODES + (i < MESSAGES % NODES ? 1 : 0);
                final Thread t = new Thread(() -> send(ring, sender, count), "aeron-sender-" + sender);
                senders.add(t);
                t.start();
            }
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50))
                .until(() -> logs.stream().allMatch(l -> l.count.get() >= MESSAGES));
            for (final DeliveryOrderLog log : logs)
            {
                assertThat(log.corrupt).as("corrupt payload delivered").isFalse();
                assertThat(log.count.get()).isEqualTo(MESSAGES);
                assertThat(log.order).isEqualTo(logs.get(0).order);
            }
            for (final Transport transport : transports)
            {
                assertThat(transport.counters().drops(TransportCounters.Drop.AUTH_FAILED)).isZero();
                assertThat(transport.counters().receivedCount()).isPositive();
            }
            assertThat(rings.stream().mapToLong(r -> r.counters().get(RingCounters.Counter.DATAGRAMS_AFTER_TOKEN)).sum())
                .as("datagrams multicast after the token (accelerated ring)").isPositive();
        }
        finally
        {
            for (final Thread t : senders)
            {
                t.interrupt();
                t.join(10_000);
            }
            runners.forEach(AgentRunner::close);
        }
    }

    private static void send(final TotemRing ring, final int sender, final int count)
    {
        final Random random = new Random(sender);
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(16 * 1024);
        for (int counter = 0; counter < count && !Thread.currentThread().isInterrupted(); counter++)
        {
            final int length = random.nextInt(100) < 95 ? 16 + random.nextInt(1009) : 1024 + random.nextInt(15 * 1024);
            Payloads.write(buffer, sender, counter, length);
            while (!ring.offer(buffer, 0, length, counter % 10 == 0 ? Guarantee.SAFE : Guarantee.AGREED))
            {
                if (Thread.currentThread().isInterrupted())
                {
                    return;
                }
                LockSupport.parkNanos(50_000);
            }
        }
    }
}
