package org.ringmaster.membership.link;

import java.util.Locale;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.ringmaster.membership.link.LinkCounters.Counter;

/**
 * Publishes a {@link RedundantTransport}'s link counters and states to Micrometer, read on scrape
 * (nothing is added to the datagram path):
 * <ul>
 *   <li>{@code ringmaster.membership.link.datagrams{node, link, direction=sent|received}}</li>
 *   <li>{@code ringmaster.membership.link.duplicates{node, link}}: copies dropped</li>
 *   <li>{@code ringmaster.membership.link.heartbeats{node, link, kind=ping_sent|pong_received}}</li>
 *   <li>{@code ringmaster.membership.link.transitions{node, link, state=up|down}}</li>
 *   <li>{@code ringmaster.membership.link.malformed{node, link}}</li>
 *   <li>{@code ringmaster.membership.link.failovers{node}}: passive mode changed links to a peer</li>
 *   <li>{@code ringmaster.membership.link.up{node, peer, link}}: gauge, 1 up, 0 down</li>
 * </ul>
 */
public final class LinkMetrics implements MeterBinder
{
    private final RedundantTransport transport;

    public LinkMetrics(final RedundantTransport transport)
    {
        this.transport = transport;
    }

    @Override
    public void bindTo(final MeterRegistry registry)
    {
        final String node = Integer.toString(transport.localNodeId());
        final LinkCounters counters = transport.linkCounters();
        for (int l = 0; l < transport.linkCount(); l++)
        {
            final int link = l;
            final String linkTag = Integer.toString(link);
            counter(registry, "datagrams", counters, link, Counter.DATA_SENT, node, linkTag, "direction", "sent",
                "data datagrams a link accepted for sending");
            counter(registry, "datagrams", counters, link, Counter.DATA_RECEIVED, node, linkTag, "direction", "received",
                "data datagrams received on a link, copies included");
            counter(registry, "duplicates", counters, link, Counter.DUPLICATES, node, linkTag, null, null,
                "copies dropped (already received on some link)");
            counter(registry, "heartbeats", counters, link, Counter.PINGS_SENT, node, linkTag, "kind", "ping_sent",
                "link pings sent");
            counter(registry, "heartbeats", counters, link, Counter.PONGS_RECEIVED, node, linkTag, "kind",
                "pong_received", "link pongs received");
            counter(registry, "transitions", counters, link, Counter.UP, node, linkTag, "state", "up",
                "times a link came up for a peer");
            counter(registry, "transitions", counters, link, Counter.DOWN, node, linkTag, "state", "down",
                "times a link went down for a peer");
            counter(registry, "malformed", counters, link, Counter.MALFORMED, node, linkTag, null, null,
                "frames with a bad version, type, flags or link number");
            for (final int peer : transport.peerIds())
            {
                Gauge.builder("ringmaster.membership.link.up", transport,
                        t -> t.linkState(peer, link) == LinkState.UP ? 1 : 0)
                    .tag("node", node).tag("peer", Integer.toString(peer)).tag("link", linkTag)
                    .description("1 while the link to that peer answers pings").register(registry);
            }
        }
        FunctionCounter.builder("ringmaster.membership.link.failovers", counters, LinkCounters::failovers)
            .tag("node", node).description("times passive mode changed the link it sends on to a peer")
            .register(registry);
    }

    private static void counter(final MeterRegistry registry, final String name, final LinkCounters counters,
        final int link, final Counter counter, final String node, final String linkTag, final String tag,
        final String value, final String description)
    {
        final FunctionCounter.Builder<LinkCounters> b = FunctionCounter
            .builder("ringmaster.membership.link." + name, counters, c -> c.get(link, counter))
            .tag("node", node).tag("link", linkTag).description(description);
        if (tag != null)
        {
            b.tag(tag, value.toLowerCase(Locale.ROOT));
        }
        b.register(registry);
    }
}
