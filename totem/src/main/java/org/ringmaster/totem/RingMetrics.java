package org.ringmaster.totem;

import java.util.Locale;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Publishes a ring's counters to Micrometer as {@code ringmaster.totem.<counter>} (e.g.
 * {@code ringmaster.totem.token.retransmits}) tagged with the node id, plus gauges for the
 * delivered seq, the aru and the send queue.
 */
public final class RingMetrics implements MeterBinder
{
    private final TotemRing ring;

    public RingMetrics(final TotemRing ring)
    {
        this.ring = ring;
    }

    @Override
    public void bindTo(final MeterRegistry registry)
    {
        final String node = String.valueOf(ring.nodeId());
        final RingCounters counters = ring.counters();
        for (final RingCounters.Counter counter : RingCounters.Counter.values())
        {
            FunctionCounter.builder("ringmaster.totem." + counter.name().toLowerCase(Locale.ROOT).replace('_', '.'),
                counters, c -> c.get(counter)).tag("node", node).register(registry);
        }
        Gauge.builder("ringmaster.totem.delivered.seq", ring, TotemRing::highDelivered).tag("node", node).register(registry);
        Gauge.builder("ringmaster.totem.aru", ring, TotemRing::aru).tag("node", node).register(registry);
        Gauge.builder("ringmaster.totem.send.queue.bytes", ring, TotemRing::queuedBytes).tag("node", node)
            .register(registry);
    }
}
