package org.ringmaster.totem.transport;

import java.util.Locale;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Publishes a transport's {@link TransportCounters} to Micrometer, read on scrape (nothing is
 * added to the datagram path):
 * {@code ringmaster.totem.transport.datagrams{node, direction=sent|received}} and
 * {@code ringmaster.totem.transport.dropped{node, reason=auth_failed|unknown_sender|bad_length|replayed|send_failed}}.
 */
public final class TransportMetrics implements MeterBinder
{
    private final int nodeId;
    private final TransportCounters counters;

    public TransportMetrics(final int nodeId, final TransportCounters counters)
    {
        this.nodeId = nodeId;
        this.counters = counters;
    }

    @Override
    public void bindTo(final MeterRegistry registry)
    {
        final String node = Integer.toString(nodeId);
        FunctionCounter.builder("ringmaster.totem.transport.datagrams", counters, TransportCounters::sentCount)
            .tag("node", node).tag("direction", "sent")
            .description("datagrams handed to the socket").register(registry);
        FunctionCounter.builder("ringmaster.totem.transport.datagrams", counters, TransportCounters::receivedCount)
            .tag("node", node).tag("direction", "received")
            .description("datagrams read from the socket, before any check").register(registry);
        for (final TransportCounters.Drop reason : TransportCounters.Drop.values())
        {
            FunctionCounter.builder("ringmaster.totem.transport.dropped", counters, c -> c.drops(reason))
                .tag("node", node).tag("reason", reason.name().toLowerCase(Locale.ROOT))
                .description("datagrams dropped below the ring").register(registry);
        }
    }
}
