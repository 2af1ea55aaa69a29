package org.ringmaster.membership;

import java.util.function.LongUnaryOperator;

import org.agrona.concurrent.Agent;
import org.ringmaster.totem.transport.Transport;

/**
 * Runs a {@link TotemNode} (and, optionally, more duty-cycle work of the layers above it on the same
 * thread, such as quorum or a CRM) as an Agrona {@link Agent}; the clock is read once per cycle.
 * Closing the agent announces a clean leave and closes the transport.
 */
public final class TotemNodeAgent implements Agent
{
    private final TotemNode node;
    private final Transport transport;
    private final LongUnaryOperator above;
    private final String roleName;

    public TotemNodeAgent(final TotemNode node, final Transport transport)
    {
        this(node, transport, now -> 0);
    }

    /** @param above more work per duty cycle, given the same time; returns the work done. */
    public TotemNodeAgent(final TotemNode node, final Transport transport, final LongUnaryOperator above)
    {
        this.node = node;
        this.transport = transport;
        this.above = above;
        this.roleName = "totem-node-" + node.nodeId();
    }

    public TotemNode node()
    {
        return node;
    }

    @Override
    public void onStart()
    {
        node.start(System.nanoTime());
    }

    @Override
    public int doWork()
    {
        final long now = System.nanoTime();
        return node.doWork(now) + (int)above.applyAsLong(now);
    }

    @Override
    public void onClose()
    {
        node.leave();
        transport.close();
    }

    @Override
    public String roleName()
    {
        return roleName;
    }
}
