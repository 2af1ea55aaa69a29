package org.ringmaster.totem;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ringmaster.totem.sim.ThreadedRing;
import org.ringmaster.totem.security.AuthKey;
import org.ringmaster.totem.security.CryptoConfig;
import org.ringmaster.totem.security.SecureTransport;
import org.ringmaster.totem.transport.Transport;
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
    private static final int MESSAGES = 100_000;

    @ParameterizedTest(name = "accelerated {0}, idle {1}")
    @CsvSource({"true, socket", "false, backoff"})
    void threeNodesDeliverAHundredThousandMixedMessagesInOneOrderWithCrypto(final boolean accelerated, final String idle)
        throws Exception
    {
        final int port = 30000 + ThreadLocalRandom.current().nextInt(20000);
        final AuthKey key = AuthKey.generate(new SecureRandom(), AuthKey.DEFAULT_BYTES);
        final List<Integer> ids = List.of(1, 2, 3);
        try (ThreadedRing run = new ThreadedRing(MESSAGES))
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
                run.node(TotemConfig.builder().nodeId(id).members(1, 2, 3).tokenMs(1000).accelerated(accelerated).build(),
                    transport, agent -> "socket".equals(idle) ? agent.socketIdleStrategy() :
                        new BackoffIdleStrategy(10, 20, 1_000, 100_000));
            }
            run.start(UdpRingTest::length, Thread::yield, "sender-");

            run.awaitOneIntactOrder(Duration.ofMinutes(4), Duration.ofMillis(100));
            final long afterToken = run.rings().stream()
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
    }

    /** 90 % up to 1 KiB, 9 % up to 8 KiB, 1 % up to 64 KiB. */
    private static int length(final Random random)
    {
        final int roll = random.nextInt(100);
        return roll < 90 ? 16 + random.nextInt(1009)
            : roll < 99 ? 1024 + random.nextInt(7 * 1024) : 8 * 1024 + random.nextInt(56 * 1024 + 1);
    }
}
