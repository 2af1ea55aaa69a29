package org.ringmaster.membership.link;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What each link carried and how often it changed state, readable from any thread (metrics,
 * ringctl). Only the transport's agent thread writes.
 */
public final class LinkCounters
{
    /** Counter names are stable: metric names are derived from them. */
    public enum Counter
    {
        /** Data datagrams this link accepted for sending (one per peer for a unicast, one per multicast). */
        DATA_SENT,
        /** Data datagrams received on this link, copies included. */
        DATA_RECEIVED,
        /** Copies dropped: already received on this or another link, or too old to tell. */
        DUPLICATES,
        PINGS_SENT,
        PONGS_RECEIVED,
        /** Times this link went down for some peer. */
        DOWN,
        /** Times this link came up for some peer. */
        UP,
        /** Frames with a wrong version, type, flags or link number. */
        MALFORMED
    }

    private static final int COUNTERS = Counter.values().length;

    private final int links;
    private final AtomicLongArray values;
    private final AtomicLongArray failovers = new AtomicLongArray(1);

    LinkCounters(final int links)
    {
        this.links = links;
        this.values = new AtomicLongArray(links * COUNTERS);
    }

    void increment(final int link, final Counter counter)
    {
        final int i = link * COUNTERS + counter.ordinal();
        values.lazySet(i, values.get(i) + 1);
    }

    void failover()
    {
        failovers.lazySet(0, failovers.get(0) + 1);
    }

    /** Number of links counted. */
    public int links()
    {
        return links;
    }

    public long get(final int link, final Counter counter)
    {
        if (link < 0 || link >= links)
        {
            throw new IllegalArgumentException("link " + link + " is out of range 0.." + (links - 1));
        }
        return values.get(link * COUNTERS + counter.ordinal());
    }

    /** Sum over all links. */
    public long total(final Counter counter)
    {
        long sum = 0;
        for (int link = 0; link < links; link++)
        {
            sum += values.get(link * COUNTERS + counter.ordinal());
        }
        return sum;
    }

    /** Times passive mode changed the link it sends on to some peer (fail over or fail back). */
    public long failovers()
    {
        return failovers.get(0);
    }

    @Override
    public String toString()
    {
        final StringBuilder sb = new StringBuilder("{failovers=").append(failovers());
        for (int link = 0; link < links; link++)
        {
            sb.append(", link").append(link).append("={");
            boolean first = true;
            for (final Counter c : Counter.values())
            {
                final long v = get(link, c);
                if (v != 0)
                {
                    sb.append(first ? "" : ", ").append(c.name().toLowerCase()).append('=').append(v);
                    first = false;
                }
            }
            sb.append('}');
        }
        return sb.append('}').toString();
    }
}
