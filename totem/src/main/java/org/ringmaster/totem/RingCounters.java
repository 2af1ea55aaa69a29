package org.ringmaster.totem;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What the ring did and dropped, readable from any thread (metrics, admin tools). Only the ring's
 * agent thread writes.
 */
public final class RingCounters
{
    /** Counter names are stable: metric names are derived from them. */
    public enum Counter
    {
        TOKENS_RECEIVED,
        TOKENS_DUPLICATE,
        TOKEN_RETRANSMITS,
        TOKEN_LOSS,
        TOKEN_HOLDS,
        DATAGRAMS_ORIGINATED,
        DATAGRAMS_RETRANSMITTED,
        RETRANSMIT_REQUESTS,
        DATAGRAMS_DUPLICATE,
        DATAGRAMS_OUT_OF_WINDOW,
        MESSAGES_DELIVERED,
        MALFORMED,
        FOREIGN_RING,
        UNKNOWN_SENDER,
        FAIL_TO_RECEIVE,
        SEND_FAILED,
        FRAGMENTS_ORPHANED,
        /** New datagrams multicast after the token was forwarded (Accelerated Ring). */
        DATAGRAMS_AFTER_TOKEN,
        /** Application messages this node took from its send queue onto the ring (datagrams carry several). */
        MESSAGES_ORIGINATED
    }

    private final AtomicLongArray values = new AtomicLongArray(Counter.values().length);

    void increment(final Counter counter)
    {
        add(counter, 1);
    }

    void add(final Counter counter, final long delta)
    {
        final int i = counter.ordinal();
        values.lazySet(i, values.get(i) + delta);
    }

    public long get(final Counter counter)
    {
        return values.get(counter.ordinal());
    }

    @Override
    public String toString()
    {
        final StringBuilder sb = new StringBuilder("{");
        for (final Counter c : Counter.values())
        {
            final long v = get(c);
            if (v != 0)
            {
                sb.append(sb.length() > 1 ? ", " : "").append(c.name().toLowerCase()).append('=').append(v);
            }
        }
        return sb.append('}').toString();
    }
}
