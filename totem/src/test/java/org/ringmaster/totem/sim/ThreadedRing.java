package org.ringmaster.totem.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.function.ToIntFunction;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.IdleStrategy;
import org.ringmaster.totem.Guarantee;
import org.ringmaster.totem.TotemAgent;
import org.ringmaster.totem.TotemConfig;
import org.ringmaster.totem.TotemRing;
import org.ringmaster.totem.transport.Transport;
import org.ringmaster.totem.transport.TransportCounters;

/**
 * A ring over real transports, each node on its own agent thread with one sender thread beside it:
 * the nodes share {@code messages} {@link Payloads} between them (every tenth one SAFE), and
 * {@link #awaitOneIntactOrder} checks that every node delivered all of them intact and in one
 * order. {@link #close} stops the senders, then the agents (which close the transports).
 */
public final class ThreadedRing implements AutoCloseable
{
    private final int messages;
    private final List<Integer> ids = new ArrayList<>();
    private final List<TotemRing> rings = new ArrayList<>();
    private final List<Transport> transports = new ArrayList<>();
    private final List<DeliveryOrderLog> logs = new ArrayList<>();
    private final List<AgentRunner> runners = new ArrayList<>();
    private final List<Thread> senders = new ArrayList<>();

    public ThreadedRing(final int messages)
    {
        this.messages = messages;
    }

    /** Adds a node that delivers into a fresh {@link DeliveryOrderLog}; its agent idles as {@code idle} says. */
    public TotemRing node(final TotemConfig config, final Transport transport,
        final Function<TotemAgent, IdleStrategy> idle)
    {
        final DeliveryOrderLog log = new DeliveryOrderLog(messages);
        final TotemRing ring = new TotemRing(config, transport, log);
        final TotemAgent agent = new TotemAgent(ring, transport);
        ids.add(config.nodeId());
        transports.add(transport);
        rings.add(ring);
        logs.add(log);
        runners.add(new AgentRunner(idle.apply(agent), Throwable::printStackTrace, null, agent));
        return ring;
    }

    /**
     * Starts every agent, then one sender per node (named {@code threadPrefix + nodeId}) offering its
     * share of the messages, each as long as {@code length} draws from a Random seeded with the
     * node id; between refused offers a sender runs {@code pause}.
     */
    public void start(final ToIntFunction<Random> length, final Runnable pause, final String threadPrefix)
    {
        runners.forEach(AgentRunner::startOnThread);
        final int nodes = rings.size();
        for (int i = 0; i < nodes; i++)
        {
            final TotemRing ring = rings.get(i);
            final int sender = ids.get(i);
            final int count = messages / nodes + (i < messages % nodes ? 1 : 0);
            final Thread t = new Thread(() -> send(ring, sender, count, length, pause), threadPrefix + sender);
            senders.add(t);
            t.start();
        }
    }

    /**
     * Waits until every node delivered all messages, then asserts that none was damaged, every
     * node delivered them in the first node's order, and no transport refused a datagram's
     * authentication.
     */
    public void awaitOneIntactOrder(final Duration atMost, final Duration pollInterval)
    {
        await().atMost(atMost).pollInterval(pollInterval)
            .until(() -> logs.stream().allMatch(l -> l.count.get() >= messages));
        for (final DeliveryOrderLog log : logs)
        {
            assertThat(log.corrupt).as("corrupt payload delivered").isFalse();
            assertThat(log.count.get()).isEqualTo(messages);
            assertThat(log.order).isEqualTo(logs.get(0).order);
        }
        for (final Transport transport : transports)
        {
            assertThat(transport.counters().drops(TransportCounters.Drop.AUTH_FAILED)).isZero();
        }
    }

    public List<TotemRing> rings()
    {
        return rings;
    }

    public List<Transport> transports()
    {
        return transports;
    }

    @Override
    public void close() throws InterruptedException
    {
        for (final Thread t : senders)
        {
            t.interrupt();
            t.join(10_000);
        }
        runners.forEach(AgentRunner::close);
    }

    private static void send(final TotemRing ring, final int sender, final int count,
        final ToIntFunction<Random> lengths, final Runnable pause)
    {
        final Random random = new Random(sender);
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64 * 1024);
        for (int counter = 0; counter < count && !Thread.currentThread().isInterrupted(); counter++)
        {
            final int length = lengths.applyAsInt(random);
            Payloads.write(buffer, sender, counter, length);
            while (!ring.offer(buffer, 0, length, counter % 10 == 0 ? Guarantee.SAFE : Guarantee.AGREED))
            {
                if (Thread.currentThread().isInterrupted())
                {
                    return;
                }
                pause.run();
            }
        }
    }
}
