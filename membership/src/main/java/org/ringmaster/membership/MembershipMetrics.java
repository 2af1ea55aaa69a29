package org.ringmaster.membership;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Publishes a node's membership to Micrometer: {@code ringmaster.membership.state} (0 operational,
 * 1 gather, 2 commit, 3 recovery), {@code ringmaster.membership.members},
 * {@code ringmaster.membership.ring.seq}, and counters of installs, state changes and recovered
 * datagrams, tagged with the node id.
 */
public final class MembershipMetrics implements MeterBinder
{
    private final TotemNode node;

    public MembershipMetrics(final TotemNode node)
    {
        this.node = node;
    }

    @Override
    public void bindTo(final MeterRegistry registry)
    {
        final String id = String.valueOf(node.nodeId());
        Gauge.builder("ringmaster.membership.state", node, n -> n.state().ordinal()).tag("node", id).register(registry);
        Gauge.builder("ringmaster.membership.members", node, n -> n.members().length).tag("node", id).register(registry);
        Gauge.builder("ringmaster.membership.ring.seq", node, n -> n.ringId() == null ? 0 : n.ringId().seq())
            .tag("node", id).register(registry);
        FunctionCounter.builder("ringmaster.membership.installs", node, TotemNode::installs).tag("node", id)
            .register(registry);
        FunctionCounter.builder("ringmaster.membership.state.changes", node, TotemNode::stateChanges).tag("node", id)
            .register(registry);
        FunctionCounter.builder("ringmaster.membership.recovered", node, TotemNode::recoveredSent).tag("node", id)
            .register(registry);
    }
}
