package org.ringmaster.totem.sim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.ringmaster.totem.Guarantee;

/**
 * The ordering invariants of a static ring, checked after a simulation (TOTEM-NOTES §4, the
 * static-ring subset): the same sequence everywhere, no gaps, no duplicates, per-sender FIFO,
 * intact payloads, seqs never going down, safe messages held by every member before any member
 * delivers them, and nothing lost once the run is quiet.
 */
public final class RingInvariants
{
    private RingInvariants()
    {
    }

    /** @return the violations found, empty if none. */
    public static List<String> check(final SimRing ring)
    {
        final List<String> violations = new ArrayList<>();
        final int[] members = ring.members();
        final List<Delivery> reference = ring.delivered(members[0]);
        final Map<Integer, Long> sent = ring.sentBySender();

        for (final int id : members)
        {
            final List<Delivery> log = ring.delivered(id);
            final Set<Long> seen = new HashSet<>();
            final Map<Integer, Long> expectedCounter = new HashMap<>();
            long lastSeq = 0;
            for (int i = 0; i < log.size(); i++)
            {
                final Delivery d = log.get(i);
                if (!d.intact())
                {
                    violations.add("node " + id + " delivered a corrupt payload at index " + i + ": " + d);
                }
                if (!seen.add(((long)d.sender() << 40) ^ d.counter()))
                {
                    violations.add("node " + id + " delivered a duplicate at index " + i + ": " + d);
                }
                final long expected = expectedCounter.getOrDefault(d.sender(), 0L);
                if (d.counter() != expected)
                {
                    violations.add("node " + id + " broke FIFO/gap-free delivery of sender " + d.sender() +
                        ": expected counter " + expected + " got " + d.counter() + " at index " + i);
                }
                expectedCounter.put(d.sender(), d.counter() + 1);
                if (d.seq() < lastSeq)
                {
                    violations.add("node " + id + " delivered seq " + d.seq() + " after " + lastSeq);
                }
                lastSeq = d.seq();
                if (d.guarantee() == Guarantee.SAFE)
                {
                    for (final int other : members)
                    {
                        final Long held = ring.firstReceipt(other, d.seq());
                        if (held == null || held > d.atNs())
                        {
                            violations.add("node " + id + " delivered SAFE seq " + d.seq() + " at " + d.atNs() +
                                "ns before node " + other + " held it (" + held + ")");
                        }
                    }
                }
                if (i < reference.size())
                {
                    final Delivery r = reference.get(i);
                    if (r.sender() != d.sender() || r.counter() != d.counter() || r.seq() != d.seq())
                    {
                        violations.add("total order differs at index " + i + ": node " + members[0] + " " + r +
                            " vs node " + id + " " + d);
                    }
                }
                if (violations.size() > 20)
                {
                    return violations;
                }
            }
            for (final Map.Entry<Integer, Long> e : sent.entrySet())
            {
                final long got = expectedCounter.getOrDefault(e.getKey(), 0L);
                if (got != e.getValue())
                {
                    violations.add("node " + id + " delivered " + got + " of " + e.getValue() + " messages from sender " +
                        e.getKey() + " (lost messages)");
                }
            }
        }
        return violations;
    }
}
