package org.ringmaster.membership.group;

import java.util.Locale;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Publishes a group service's counters as {@code ringmaster.membership.group.<counter>} (e.g.
 * {@code ringmaster.membership.group.syncs.aborted}) tagged with the node id, plus a gauge of live
 * local members.
 */
public final class GroupMetrics implements MeterBinder
{
    private final GroupService service;

    public GroupMetrics(final GroupService service)
    {
        this.service = service;
    }

    @Override
    public void bindTo(final MeterRegistry registry)
    {
        final String node = String.valueOf(service.nodeId());
        final GroupCounters counters = service.counters();
        for (final GroupCounters.Counter counter : GroupCounters.Counter.values())
        {
            FunctionCounter.builder("ringmaster.membership.group." +
                counter.name().toLowerCase(Locale.ROOT).replace('_', '.'), counters, c -> c.get(counter))
                .tag("node", node).register(registry);
        }
        Gauge.builder("ringmaster.membership.group.local.members", service, GroupService::localMemberCount)
            .tag("node", node).register(registry);
    }
}
