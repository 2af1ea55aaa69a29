package org.ringmaster.totem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ringmaster.totem.sim.DeliveryOrderLog;
import org.ringmaster.totem.sim.Payloads;
import org.ringmaster.totem.security.AuthKey;
import org.ringmaster.totem.security.CryptoConfig;
import org.ringmaster.totem.security.SecureTransport;
import org.ringmaster.totem.transport.Transport;
import org.ringmaster.totem.transport.TransportCounters;
import org.ringmaster.totem.transport.UdpConfig;
import org.ringmaster.totem.transport.UdpuTransport;

/**
 * Three nodes over real UDP sockets on 127.0.0.1-3 (one port, as a corosync.conf node list has
 * them), AES-256-GCM on: 100,000 messages of 16 B to 64 KiB delivered intact and in the same order,
 * with the Accelerated Ring on (agents sleeping on their sockets) and off (agents backing off).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class UdpRingTest
{
    private static final int NODES = 3;
    private static final int MESSAGES = 100_000;

    @ParameterizedTest(name = "accelerated {0}, idle {1}")
    @CsvSource({"true, socket", "false, backoff"})
    void threeNodesDeliverAHundredThousandMixedMessagesInOneOrderWithCrypto(final boolean accelerated, final String idle)
        throws Exception
    {
        final int port = 30000 + ThreadLocalRandom.current().nextInt(20000);
        final AuthKey key = AuthKey.generate(new SecureRandom(), AuthKey.DEFAULT_BYTES);
        final List<Integer> ids = List.of(1, 2, 3);
        final List<AgentRunner> runners = new ArrayList<>();
        final List<TotemRing> rings = new ArrayList<>();
        final List<Transport> transports = new ArrayList<>();
        final List<DeliveryOrderLog> logs = new ArrayList<>();
        final List<Thread> senders = new ArrayList<>();
        try
        {
            for (final int id : ids)
            {
                final UdpConfig.Builder udp = UdpConfig.builder().localNodeId(id);
                for (final int other : ids)
                {
                    udp.node(other, new InetSocketAddress("127.0.0." + other, port));
                }
                final Transport transport = SecureTransport.wrap(new UdpuTransport(udp.build()),
                    CryptoConfig.parse("sha256", "aes256"), key, ids, "udp-ring-test");
                final DeliveryOrderLog log = new DeliveryOrderLog(MESSAGES);
                final TotemRing ring = new TotemRing(
                    TotemConfig.builder().nodeId(id).members(1, 2, 3).tokenMs(1000).accelerated(accelerated).build(),
                    transport, log);
                final TotemAgent agent = new TotemAgent(ring, transport);
                final AgentRunner runner = new AgentRunner("socket".equals(idle) ? agent.socketIdleStrategy() :
                    new BackoffIdleStrategy(10, 20, 1_000, 100_000), Throwable::printStackTrace, null, agent);
                transports.add(transport);
                rings.add(ring);
                logs.add(log);
                runners.add(runner);
            }
            runners.forEach(AgentRunner::startOnThread);

            for (int i = 0; i < NODES; i++)
            {
                final TotemRing ring = rings.get(i);
                final int sender = ids.get(i);
                final int count = MESSAGES / NODES + (i < MESSAGES % NODES ? 1 : 0);
                final Thread t = new Thread(() -> send(ring, sender, count), "sender-" + sender);
                senders.add(t);
                t.start();
            }

            await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(100))
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
            }
            final long afterToken = rings.stream()
                .mapToLong(r -> r.counters().get(RingCounters.Counter.DATAGRAMS_AFTER_TOKEN)).sum();
            if (accelerated)
            {
                assertThat(afterToken).as("datagrams multicast after the token").isPositive();
            }
            else
            {
                assertThat(afterToken).isZero();
            }
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
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64 * 1024);
        for (int counter = 0; counter < count && !Thread.currentThread().isInterrupted(); counter++)
        {
            final int roll = random.nextInt(100);
            final int length = roll < 90 ? 16 + random.nextInt(1009)
                : roll < 99 ? 1024 + random.nextInt(7 * 1024) : 8 * 1024 + random.nextInt(56 * 1024 + 1);
            Payloads.write(buffer, sender, counter, length);
            while (!ring.offer(buffer, 0, length, counter % 10 == 0 ? Guarantee.SAFE : Guarantee.AGREED))
            {
                if (Thread.currentThread().isInterrupted())
                {
                    return;
                }
                Thread.yield();
            }
        }
    }
}
