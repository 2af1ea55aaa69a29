package org.ringmaster.membership.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ringmaster.totem.DeliveryListener;
import org.ringmaster.totem.Guarantee;
import org.ringmaster.totem.RingCounters;
import org.ringmaster.totem.TotemAgent;
import org.ringmaster.totem.TotemConfig;
import org.ringmaster.totem.TotemRing;

/**
 * A three-node Totem ring over {@link RedundantTransport}s with two real UDP links per node on
 * loopback. Link 0 fails everywhere (its switch dies) a third of the way into a message stream:
 * every message is still delivered, in one order, and the ring never counts a token loss.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class RedundantRingTest
{
    private static final int NODES = 3;
    private static final int MESSAGES = 20_000;

    /** One node's delivery order as (sender, counter) pairs. */
    private static final class Log implements DeliveryListener
    {
        final long[] order = new long[MESSAGES];
        final AtomicLong count = new AtomicLong();
        volatile boolean corrupt;

        @Override
        public void onMessage(final int sender, final long seq, final Guarantee guarantee,
            final DirectBuffer buffer, final int offset, final int length)
        {
            if (!intact(buffer, offset, length) || buffer.getInt(offset) != sender)
            {
                corrupt = true;
            }
            final long n = count.get();
            if (n < MESSAGES)
            {
                order[(int)n] = ((long)sender << 32) | buffer.getInt(offset + 4);
            }
            count.lazySet(n + 1);
        }
    }

    @ParameterizedTest
    @EnumSource(LinkMode.class)
    void aRingSurvivesLosingOneOfTwoLinksWithoutATokenLoss(final LinkMode mode) throws Exception
    {
        final RedundantConfig config = RedundantConfig.builder().mode(mode).pingIntervalMs(50).pingTimeoutMs(200).build();
        final LoopbackLinks net = new LoopbackLinks(NODES, 2);
        final List<AgentRunner> runners = new ArrayList<>();
        final List<TotemRing> rings = new ArrayList<>();
        final List<RedundantTransport> transports = new ArrayList<>();
        final List<CuttableTransport> link0 = new ArrayList<>();
        final List<Log> logs = new ArrayList<>();
        final List<Thread> senders = new ArrayList<>();
        try
        {
            for (int id = 1; id <= NODES; id++)
            {
                final CuttableTransport first = new CuttableTransport(net.open(0, id));
                link0.add(first);
                final RedundantTransport transport = new RedundantTransport(List.of(first, net.open(1, id)),
                    List.of(1, 2, 3), config, LinkListener.NONE, System::nanoTime);
                transports.add(transport);
                final Log log = new Log();
                final TotemRing ring = new TotemRing(
                    TotemConfig.builder().nodeId(id).members(1, 2, 3).tokenMs(3000).build(), transport, log);
                rings.add(ring);
                logs.add(log);
                runners.add(new AgentRunner(new BackoffIdleStrategy(10, 20, 1_000, 100_000),
                    Throwable::printStackTrace, null, new TotemAgent(ring, transport)));
            }
            runners.forEach(AgentRunner::startOnThread);
            await().atMost(Duration.ofSeconds(10)).until(() -> transports.stream().allMatch(t ->
                t.linkState(t.localNodeId() % NODES + 1, 0) == LinkState.UP
                    && t.linkState(t.localNodeId() % NODES + 1, 1) == LinkState.UP));

            for (int i = 0; i < NODES; i++)
            {
                final TotemRing ring = rings.get(i);
                final int sender = i + 1;
                final int count = MESSAGES / NODES + (i < MESSAGES % NODES ? 1 : 0);
                final Thread t = new Thread(() -> send(ring, sender, count), "sender-" + sender);
                senders.add(t);
                t.start();
            }
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5))
                .until(() -> logs.get(0).count.get() >= MESSAGES / 3);
            link0.forEach(l -> l.cut = true);
            final long delivered = logs.get(0).count.get();

            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
                .until(() -> logs.stream().allMatch(l -> l.count.get() >= MESSAGES));
            assertThat(delivered).as("cut mid-stream").isLessThan(MESSAGES / 2);
            for (final Log log : logs)
            {
                assertThat(log.corrupt).as("corrupt payload delivered").isFalse();
                assertThat(log.count.get()).isEqualTo(MESSAGES);
                assertThat(log.order).isEqualTo(logs.get(0).order);
            }
            for (int i = 0; i < NODES; i++)
            {
                final RingCounters counters = rings.get(i).counters();
                System.out.printf("%s node %d: ring %s, links %s%n", mode, i + 1, counters, transports.get(i).linkCounters());
                assertThat(counters.get(RingCounters.Counter.TOKEN_LOSS)).as("token loss at node %d", i + 1).isZero();
                final RedundantTransport t = transports.get(i);
                final int peer = t.localNodeId() % NODES + 1;
                // The stream may finish before the ping timeout has passed: the cut link is then reported soon after.
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                    .until(() -> t.linkState(peer, 0) == LinkState.DOWN);
                assertThat(t.linkState(peer, 1)).isEqualTo(LinkState.UP);
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
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(4096);
        for (int counter = 0; counter < count && !Thread.currentThread().isInterrupted(); counter++)
        {
            final int length = 16 + random.nextInt(roll(random));
            write(buffer, sender, counter, length);
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

    private static int roll(final Random random)
    {
        return random.nextInt(100) < 95 ? 500 : 3000;
    }

    private static void write(final MutableDirectBuffer buffer, final int sender, final int counter, final int length)
    {
        buffer.putInt(0, sender);
        buffer.putInt(4, counter);
        for (int i = 8; i < length; i++)
        {
            buffer.putByte(i, (byte)(counter * 7 + i));
        }
    }

    private static boolean intact(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < 16)
        {
            return false;
        }
        final int counter = buffer.getInt(offset + 4);
        for (int i = 8; i < length; i++)
        {
            if (buffer.getByte(offset + i) != (byte)(counter * 7 + i))
            {
                return false;
            }
        }
        return true;
    }
}
