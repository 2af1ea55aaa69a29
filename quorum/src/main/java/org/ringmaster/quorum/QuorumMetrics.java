package org.ringmaster.quorum;

import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * {@code ringmaster.quorum.*} meters of one node. Gauges read plain fields updated on the duty-cycle
 * thread; a scrape may see a value one cycle old, which is fine for monitoring.
 */
final class QuorumMetrics
{
    private final AtomicInteger quorate = new AtomicInteger();
    private final AtomicInteger totalVotes = new AtomicInteger();
    private final AtomicInteger expectedVotes = new AtomicInteger();
    private final AtomicInteger quorum = new AtomicInteger();
    private final AtomicInteger deviceCasting = new AtomicInteger();
    private final AtomicInteger deviceScore = new AtomicInteger();
    private final Counter gained;
    private final Counter lost;
    private final Counter configChanges;
    private final Counter syncs;
    private final Counter malformed;
    private final Counter stale;

    QuorumMetrics(final MeterRegistry registryOrNull, final int nodeId)
    {
        final MeterRegistry r = registryOrNull != null ? registryOrNull : new SimpleMeterRegistry();
        final String node = Integer.toString(nodeId);
        Gauge.builder("ringmaster.quorum.quorate", quorate, AtomicInteger::get).tag("node", node)
            .description("1 when this node's partition is quorate").register(r);
        Gauge.builder("ringmaster.quorum.total_votes", totalVotes, AtomicInteger::get).tag("node", node).register(r);
        Gauge.builder("ringmaster.quorum.expected_votes", expectedVotes, AtomicInteger::get).tag("node", node).register(r);
        Gauge.builder("ringmaster.quorum.quorum", quorum, AtomicInteger::get).tag("node", node).register(r);
        Gauge.builder("ringmaster.quorum.device.casting", deviceCasting, AtomicInteger::get).tag("node", node)
            .description("1 while this node's quorum device claims its votes").register(r);
        Gauge.builder("ringmaster.quorum.device.score", deviceScore, AtomicInteger::get).tag("node", node)
            .description("heuristics / ping score of this node's quorum device").register(r);
        gained = Counter.builder("ringmaster.quorum.transitions").tag("node", node).tag("to", "quorate").register(r);
        lost = Counter.builder("ringmaster.quorum.transitions").tag("node", node).tag("to", "inquorate").register(r);
        configChanges = Counter.builder("ringmaster.quorum.configuration_changes").tag("node", node).register(r);
        syncs = Counter.builder("ringmaster.quorum.syncs").tag("node", node)
            .description("vote exchanges completed").register(r);
        malformed = Counter.builder("ringmaster.quorum.messages.dropped").tag("node", node).tag("reason", "malformed").register(r);
        stale = Counter.builder("ringmaster.quorum.messages.dropped").tag("node", node).tag("reason", "stale").register(r);
    }

    void published(final QuorumState s, final boolean wasQuorate)
    {
        quorate.set(s.quorate() ? 1 : 0);
        totalVotes.set(s.totalVotes());
        expectedVotes.set(s.expectedVotes());
        quorum.set(s.quorum());
        if (s.quorate() && !wasQuorate)
        {
            gained.increment();
        }
        else if (!s.quorate() && wasQuorate)
        {
            lost.increment();
        }
    }

    void device(final boolean casting, final int score)
    {
        deviceCasting.set(casting ? 1 : 0);
        deviceScore.set(score);
    }

    void configurationChange()
    {
        configChanges.increment();
    }

    void synced()
    {
        syncs.increment();
    }

    void malformed()
    {
        malformed.increment();
    }

    void stale()
    {
        stale.increment();
    }
}
