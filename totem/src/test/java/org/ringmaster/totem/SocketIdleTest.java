package org.ringmaster.totem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ringmaster.totem.transport.DatagramHandler;
import org.ringmaster.totem.transport.LoopbackPorts;
import org.ringmaster.totem.transport.SocketIdleStrategy;
import org.ringmaster.totem.transport.Transport;
import org.ringmaster.totem.transport.TransportCounters;
import org.ringmaster.totem.transport.UdpConfig;
import org.ringmaster.totem.transport.UdpuTransport;

/**
 * The idle strategy that sleeps on a transport's sockets: a datagram, a due timer or
 * {@link SocketIdleStrategy#wake()} ends the wait, and an offer on a ring holding an idle token
 * sends at once. Waits here are long (10 s) so that only the event under test can end them early.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SocketIdleTest
{
    private static final long LONG_WAIT_NS = TimeUnit.SECONDS.toNanos(10);
    private static final long HOLD_WAIT_NS = TimeUnit.SECONDS.toNanos(5);

    private static UdpuTransport udpu(final int self, final int port, final int... ids)
    {
        final UdpConfig.Builder b = UdpConfig.builder().localNodeId(self);
        for (final int id : ids)
        {
            b.node(id, new InetSocketAddress("127.0.0." + id, port));
        }
        return new UdpuTransport(b.build());
    }

    /** Runs idle() on its own thread until {@code stop}; counts the returns from waits. */
    private static Thread idleLoop(final SocketIdleStrategy idle, final AtomicBoolean stop, final AtomicLong returns)
    {
        final Thread t = new Thread(() ->
        {
            while (!stop.get())
            {
                idle.idle(0);
                returns.incrementAndGet();
            }
        }, "idle-loop");
        t.start();
        return t;
    }

    /** An idle loop asleep in a 10 s wait returns at {@link SocketIdleStrategy#wake()}, not before. */
    private static void assertWakeEndsTheWait(final SocketIdleStrategy idle) throws InterruptedException
    {
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicLong returns = new AtomicLong();
        final Thread loop = idleLoop(idle, stop, returns);
        try
        {
            await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> returns.get() == 0);
            idle.wake();
            await().atMost(Duration.ofSeconds(3)).until(() -> returns.get() >= 1);
        }
        finally
        {
            stopLoop(stop, idle, loop);
        }
    }

    /** Ends an idle loop started by {@link #idleLoop} and checks that its thread is gone. */
    private static void stopLoop(final AtomicBoolean stop, final SocketIdleStrategy idle, final Thread loop)
        throws InterruptedException
    {
        stop.set(true);
        idle.wake();
        loop.join(15_000);
        assertThat(loop.isAlive()).isFalse();
    }

    @Test
    void aDatagramEndsTheWait() throws Exception
    {
        final int port = LoopbackPorts.samePortOn("127.0.0.1", "127.0.0.2");
        try (UdpuTransport receiver = udpu(1, port, 1, 2);
            UdpuTransport sender = udpu(2, port, 1, 2);
            SocketIdleStrategy idle = new SocketIdleStrategy(receiver, () -> Long.MAX_VALUE, 0, LONG_WAIT_NS))
        {
            assertThat(idle.waitsOnSockets()).isTrue();
            final AtomicBoolean stop = new AtomicBoolean();
            final AtomicLong returns = new AtomicLong();
            final List<Integer> received = new ArrayList<>();
            final Thread loop = new Thread(() ->
            {
                final DatagramHandler handler = (b, o, l) -> received.add(l);
                while (!stop.get())
                {
                    idle.idle(receiver.poll(handler, 10));
                    returns.incrementAndGet();
                }
            });
            loop.start();
            try
            {
                // The loop is asleep in its 10 s wait: a datagram must end it well before.
                await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> returns.get() <= 1);
                final long before = returns.get();
                assertThat(sender.unicast(1, new UnsafeBuffer(new byte[] {1, 2, 3}), 0, 3)).isTrue();
                await().atMost(Duration.ofSeconds(3)).until(() -> returns.get() > before && received.contains(3));
            }
            finally
            {
                stop.set(true);
                sender.unicast(1, new UnsafeBuffer(new byte[1]), 0, 1);
                loop.join(15_000);
            }
            assertThat(loop.isAlive()).isFalse();
        }
    }

    @Test
    void wakeEndsTheWaitFromAnotherThread() throws Exception
    {
        final int port = LoopbackPorts.samePortOn("127.0.0.1", "127.0.0.2");
        try (UdpuTransport t = udpu(1, port, 1, 2);
            SocketIdleStrategy idle = new SocketIdleStrategy(t, () -> Long.MAX_VALUE, 0, LONG_WAIT_NS))
        {
            assertWakeEndsTheWait(idle);
        }
    }

    @Test
    void aTimerBoundsTheWaitAndADueTimerIsNotWaitedFor() throws Exception
    {
        final int port = LoopbackPorts.samePortOn("127.0.0.1", "127.0.0.2");
        final AtomicLong deadline = new AtomicLong(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50));
        try (UdpuTransport t = udpu(1, port, 1, 2);
            SocketIdleStrategy idle = new SocketIdleStrategy(t, deadline::get, 0, LONG_WAIT_NS))
        {
            final AtomicBoolean stop = new AtomicBoolean();
            final AtomicLong returns = new AtomicLong();
            final Thread loop = idleLoop(idle, stop, returns);
            try
            {
                // Timer 50 ms away: the 10 s wait ends at it, then (due) the loop keeps returning.
                await().atMost(Duration.ofSeconds(3)).until(() -> returns.get() > 1000);
                deadline.set(Long.MAX_VALUE);
                final long settled = returns.get();
                await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                    .until(() -> returns.get() <= settled + 1);
            }
            finally
            {
                stopLoop(stop, idle, loop);
            }
        }
    }

    @Test
    void aTransportWithoutSocketsParksAndIsWokenToo() throws Exception
    {
        final Transport none = new Transport()
        {
            @Override
            public int localNodeId()
            {
                return 1;
            }

            @Override
            public int maxDatagramLength()
            {
                return 1000;
            }

            @Override
            public boolean unicast(final int nodeId, final DirectBuffer buffer, final int offset, final int length)
            {
                return true;
            }

            @Override
            public boolean multicast(final DirectBuffer buffer, final int offset, final int length)
            {
                return true;
            }

            @Override
            public int poll(final DatagramHandler handler, final int limit)
            {
                return 0;
            }

            @Override
            public TransportCounters counters()
            {
                return new TransportCounters();
            }

            @Override
            public void close()
            {
            }
        };
        try (SocketIdleStrategy idle = new SocketIdleStrategy(none, () -> Long.MAX_VALUE, 0, LONG_WAIT_NS))
        {
            assertThat(idle.waitsOnSockets()).isFalse();
            assertWakeEndsTheWait(idle);
        }
    }

    @Test
    void badSettingsAreRefusedByName() throws Exception
    {
        final int port = LoopbackPorts.samePortOn("127.0.0.1", "127.0.0.2");
        try (UdpuTransport t = udpu(1, port, 1, 2))
        {
            assertThatThrownBy(() -> new SocketIdleStrategy(t, () -> Long.MAX_VALUE, -1, LONG_WAIT_NS))
                .hasMessageContaining("SocketIdleStrategy.spins=-1");
            assertThatThrownBy(() -> new SocketIdleStrategy(t, () -> Long.MAX_VALUE, 0, 1000))
                .hasMessageContaining("SocketIdleStrategy.maxWaitNs=1000");
            assertThatThrownBy(() -> new SocketIdleStrategy(t, () -> Long.MAX_VALUE, 0, -2, LONG_WAIT_NS))
                .hasMessageContaining("SocketIdleStrategy.yields=-2");
        }
    }

    @Test
    void closingTheAgentReleasesThePortItsSelectorHeld() throws Exception
    {
        final int port = LoopbackPorts.samePortOn("127.0.0.1", "127.0.0.2");
        final UdpuTransport t = udpu(1, port, 1, 2);
        final TotemRing ring = new TotemRing(TotemConfig.builder().nodeId(1).members(1, 2).build(), t, noDeliveries());
        final TotemAgent agent = new TotemAgent(ring, t);
        final AgentRunner runner = new AgentRunner(agent.socketIdleStrategy(), Throwable::printStackTrace, null, agent);
        AgentRunner.startOnThread(runner);
        runner.close();
        try (DatagramChannel again = DatagramChannel.open())
        {
            again.bind(new InetSocketAddress("127.0.0.1", port));
            assertThat(again.getLocalAddress()).isEqualTo(new InetSocketAddress("127.0.0.1", port));
        }
    }

    /**
     * A two-node ring resting its idle token for 5 s (totem.hold) while both agents sleep up to
     * 5 s: an offer on either node is delivered on both within 1 s, because the offer wakes the
     * sleeping agent (the node resting the token sends at once, the other asks for it with a hold
     * cancel). The token rests with the last sender, so each offer after the first finds it once
     * with the other node and once with the sender itself.
     */
    @Test
    void anOfferWakesARingSleepingOnAHeldToken() throws Exception
    {
        final int port = LoopbackPorts.samePortOn("127.0.0.1", "127.0.0.2");
        final List<AgentRunner> runners = new ArrayList<>();
        final List<TotemRing> rings = new ArrayList<>();
        final List<SocketIdleStrategy> idles = new ArrayList<>();
        final List<List<String>> delivered = List.of(new ArrayList<>(), new ArrayList<>());
        try
        {
            for (final int id : List.of(1, 2))
            {
                final UdpuTransport t = udpu(id, port, 1, 2);
                final List<String> log = delivered.get(id - 1);
                final TotemRing ring = new TotemRing(TotemConfig.builder().nodeId(id).members(1, 2).tokenMs(6_000)
                    .holdMs(5_000).seqnoUnchangedConst(2).build(), t,
                    (sender, seq, guarantee, buffer, offset, length) ->
                    {
                        synchronized (log)
                        {
                            log.add(buffer.getStringWithoutLengthAscii(offset, length));
                        }
                    });
                final SocketIdleStrategy idle = new SocketIdleStrategy(t, ring::nextDeadlineNs, 0, HOLD_WAIT_NS);
                ring.wakeOnOffer(idle::wake);
                idles.add(idle);
                runners.add(new AgentRunner(idle, Throwable::printStackTrace, null, new TotemAgent(ring, t)));
                rings.add(ring);
            }
            runners.forEach(AgentRunner::startOnThread);
            int expected = 0;
            long holdsBefore = 0;
            for (final int from : List.of(1, 2, 2, 1))
            {
                final TotemRing ring = rings.get(from - 1);
                // A rest after the last offer: up to 5 s of resting token and sleeping agents ahead.
                final long seen = holdsBefore;
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(1))
                    .until(() -> holds(rings) > seen);
                holdsBefore = holds(rings);
                final String text = "from " + from + " #" + expected;
                assertThat(ring.offer(new UnsafeBuffer(text.getBytes()), 0, text.length(), Guarantee.AGREED)).isTrue();
                expected++;
                final int count = expected;
                await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(1))
                    .until(() -> size(delivered.get(0)) == count && size(delivered.get(1)) == count);
            }
            assertThat(delivered.get(0)).containsExactly("from 1 #0", "from 2 #1", "from 2 #2", "from 1 #3");
            assertThat(delivered.get(1)).isEqualTo(delivered.get(0));
        }
        finally
        {
            runners.forEach(AgentRunner::close);
            idles.forEach(SocketIdleStrategy::close);
        }
    }

    private static long holds(final List<TotemRing> rings)
    {
        return rings.stream().mapToLong(r -> r.counters().get(RingCounters.Counter.TOKEN_HOLDS)).sum();
    }

    private static int size(final List<String> log)
    {
        synchronized (log)
        {
            return log.size();
        }
    }

    private static DeliveryListener noDeliveries()
    {
        return (sender, seq, guarantee, buffer, offset, length) -> { };
    }
}
