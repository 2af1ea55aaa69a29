package org.ringmaster.totem.transport.aeron;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ringmaster.totem.RingCounters;
import org.ringmaster.totem.TotemConfig;
import org.ringmaster.totem.security.AuthKey;
import org.ringmaster.totem.security.CryptoConfig;
import org.ringmaster.totem.security.SecureTransport;
import org.ringmaster.totem.sim.ThreadedRing;
import org.ringmaster.totem.transport.LoopbackPorts;
import org.ringmaster.totem.transport.Transport;

/**
 * A 3-node Totem ring over AeronTransport (AES-256-GCM on top), each node on its own agent thread
 * and embedded media driver: 20,000 messages of 16 B to 16 KiB arrive intact and in one order.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class AeronRingTest
{
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
        try (ThreadedRing run = new ThreadedRing(MESSAGES))
        {
            for (final int id : ids)
            {
                final Transport transport = SecureTransport.wrap(new AeronTransport(template.localNodeId(id).build()),
                    CryptoConfig.parse("sha256", "aes256"), key, ids, "aeron-ring-test");
                run.node(TotemConfig.builder().nodeId(id).members(1, 2, 3).accelerated(true).build(), transport,
                    agent -> new BackoffIdleStrategy(10, 20, 1_000, 100_000));
            }
            run.start(random -> random.nextInt(100) < 95 ? 16 + random.nextInt(1009) : 1024 + random.nextInt(15 * 1024),
                () -> LockSupport.parkNanos(50_000), "aeron-sender-");
            run.awaitOneIntactOrder(Duration.ofMinutes(2), Duration.ofMillis(50));
            for (final Transport transport : run.transports())
            {
                assertThat(transport.counters().receivedCount()).isPositive();
            }
            assertThat(run.rings().stream().mapToLong(r -> r.counters().get(RingCounters.Counter.DATAGRAMS_AFTER_TOKEN)).sum())
                .as("datagrams multicast after the token (accelerated ring)").isPositive();
        }
    }
}
