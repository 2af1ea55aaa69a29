package org.ringmaster.totem;

import org.agrona.concurrent.Agent;
import org.ringmaster.totem.transport.SocketIdleStrategy;
import org.ringmaster.totem.transport.Transport;

/**
 * Runs a {@link TotemRing} as an Agrona {@link Agent}: the clock is read once per duty cycle and
 * passed down, so the ring itself never reads time. Use with an {@code AgentRunner} and an idle
 * strategy: {@link #socketIdleStrategy()} (sleeps on the sockets, wakes on a datagram, a timer or an
 * offer; the default choice), or a busy-spin or backoff strategy. Closing the agent closes the
 * transport and that idle strategy.
 */
public final class TotemAgent implements Agent
{
    private final TotemRing ring;
    private final Transport transport;
    private final String roleName;
    private SocketIdleStrategy idle;

    public TotemAgent(final TotemRing ring, final Transport transport)
    {
        this.ring = ring;
        this.transport = transport;
        this.roleName = "totem-" + ring.nodeId();
    }

    public TotemRing ring()
    {
        return ring;
    }

    /**
     * The idle strategy that waits on this ring's sockets until a datagram arrives, the ring's next
     * timer is due or the application offers a message (the ring wakes it). Made once, before the
     * agent starts; closed with the agent.
     */
    public SocketIdleStrategy socketIdleStrategy()
    {
        return socketIdleStrategy(SocketIdleStrategy.DEFAULT_SPINS, 0);
    }

    /** The same with {@code spins} spins and {@code yields} yields before each wait; made once. */
    public SocketIdleStrategy socketIdleStrategy(final int spins, final int yields)
    {
        if (idle == null)
        {
            idle = new SocketIdleStrategy(transport, ring::nextDeadlineNs, spins, yields,
                SocketIdleStrategy.DEFAULT_MAX_WAIT_NS);
            ring.wakeOnOffer(idle::wake);
        }
        return idle;
    }

    @Override
    public void onStart()
    {
        ring.start(System.nanoTime());
    }

    @Override
    public int doWork()
    {
        return ring.doWork(System.nanoTime());
    }

    @Override
    public void onClose()
    {
        ring.close();
        transport.close();
        // After the transport: a socket still registered with an open selector keeps its port bound.
        if (idle != null)
        {
            idle.close();
        }
    }

    @Override
    public String roleName()
    {
        return roleName;
    }
}
