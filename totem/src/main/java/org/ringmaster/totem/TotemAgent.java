package org.ringmaster.totem;

import org.agrona.concurrent.Agent;
import org.ringmaster.totem.transport.Transport;

/**
 * Runs a {@link TotemRing} as an Agrona {@link Agent}: the clock is read once per duty cycle and
 * passed down, so the ring itself never reads time. Use with an {@code AgentRunner} and an idle
 * strategy (a busy-spin or backoff strategy for low latency, sleeping for a quiet daemon).
 * Closing the agent closes the transport.
 */
public final class TotemAgent implements Agent
{
    private final TotemRing ring;
    private final Transport transport;
    private final String roleName;

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
    }

    @Override
    public String roleName()
    {
        return roleName;
    }
}
