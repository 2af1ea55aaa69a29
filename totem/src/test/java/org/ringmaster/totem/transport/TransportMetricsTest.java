package org.ringmaster.totem.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class TransportMetricsTest
{
    @Test
    void countersAreReadOnScrape()
    {
        final TransportCounters counters = new TransportCounters();
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new TransportMetrics(3, counters).bindTo(registry);
        counters.sent();
        counters.received();
        counters.received();
        counters.drop(TransportCounters.Drop.REPLAYED);
        assertThat(registry.get("ringmaster.totem.transport.datagrams").tag("direction", "received")
            .functionCounter().count()).isEqualTo(2.0);
        assertThat(registry.get("ringmaster.totem.transport.datagrams").tag("direction", "sent").tag("node", "3")
            .functionCounter().count()).isEqualTo(1.0);
        assertThat(registry.get("ringmaster.totem.transport.dropped").tag("reason", "replayed")
            .functionCounter().count()).isEqualTo(1.0);
        assertThat(registry.get("ringmaster.totem.transport.dropped").functionCounters()).hasSize(5);
    }
}
