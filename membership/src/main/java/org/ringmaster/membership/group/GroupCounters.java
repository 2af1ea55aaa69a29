package org.ringmaster.membership.group;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What the group service did and dropped, readable from any thread. Only the channel's thread (and
 * callers of the publishing methods, for {@link Counter#BACK_PRESSURE}) write.
 */
public final class GroupCounters
{
    /** Counter names are stable: metric names are derived from them. */
    public enum Counter
    {
        /** Group messages delivered to local members (one per message, not per member). */
        MESSAGES_DELIVERED,
        /** Views delivered (one per view, not per member). */
        VIEWS_DELIVERED,
        /** Inbound messages that failed validation and were dropped. */
        MALFORMED,
        /** Well-formed messages that made no sense here (join from a node outside the configuration, leave of an unknown member, ...). */
        IGNORED,
        /** Sync messages of a configuration that had already ended. */
        SYNC_STALE,
        SYNCS_STARTED,
        SYNCS_COMPLETED,
        /** Syncs cut short by another configuration change. */
        SYNCS_ABORTED,
        /** Offers refused by the channel (retried for control messages, reported to the caller for data). */
        BACK_PRESSURE,
        /** Listener callbacks that threw. */
        LISTENER_ERRORS
    }

    private final AtomicLongArray values = new AtomicLongArray(Counter.values().length);

    void increment(final Counter counter)
    {
        values.getAndIncrement(counter.ordinal());
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
