package org.ringmaster.membership.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class LinkMetricsTest
{
    @Test
    void countersAndLinkStatesAreReadOnScrape()
    {
        final MemoryCluster c = new MemoryCluster(2, 2, PassiveModeTest.config(LinkMode.PASSIVE));
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new LinkMetrics(c.node(1)).bindTo(registry);
        assertThat(registry.get("ringmaster.membership.link.up").tag("peer", "2").tag("link", "0").gauge().value())
            .isZero();
        c.run(500);
        for (int i = 0; i < 5; i++)
        {
            c.send(1, 2);
        }
        c.net.cutLink(0, true);
        c.run(500);
        assertThat(registry.get("ringmaster.membership.link.up").tag("peer", "2").tag("link", "0").gauge().value())
            .isZero();
        assertThat(registry.get("ringmaster.membership.link.up").tag("peer", "2").tag("link", "1").gauge().value())
            .isEqualTo(1);
        assertThat(registry.get("ringmaster.membership.link.datagrams").tag("node", "1").tag("link", "0")
            .tag("direction", "sent").functionCounter().count()).isEqualTo(5);
        assertThat(registry.get("ringmaster.membership.link.transitions").tag("link", "0").tag("state", "down")
            .functionCounter().count()).isEqualTo(1);
        assertThat(registry.get("ringmaster.membership.link.heartbeats").tag("link", "1").tag("kind", "ping_sent")
            .functionCounter().count()).isGreaterThanOrEqualTo(9);
        assertThat(registry.get("ringmaster.membership.link.failovers").functionCounter().count()).isEqualTo(1);
    }
}
