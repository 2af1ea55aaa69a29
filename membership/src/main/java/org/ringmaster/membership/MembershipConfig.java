package org.ringmaster.membership;

import java.util.concurrent.TimeUnit;

import org.ringmaster.totem.TotemConfig;

/**
 * Membership timing (corosync.conf(5) names and defaults) on top of a {@link TotemConfig}, whose
 * node list is every node that may ever be a member. Immutable; {@link Builder#build()} names the
 * bad key.
 */
public final class MembershipConfig
{
    private final TotemConfig totem;
    private final long joinNs;
    private final long consensusNs;
    private final long mergeNs;
    private final long sendJoinNs;
    private final RingSeqStore ringSeqStore;

    private MembershipConfig(final Builder b)
    {
        totem = b.totem;
        joinNs = TimeUnit.MILLISECONDS.toNanos(b.joinMs);
        consensusNs = b.consensusMs > 0 ? TimeUnit.MILLISECONDS.toNanos(b.consensusMs) : (long)(totem.tokenNs() * 1.2);
        mergeNs = TimeUnit.MILLISECONDS.toNanos(b.mergeMs);
        sendJoinNs = TimeUnit.MILLISECONDS.toNanos(b.sendJoinMs);
        ringSeqStore = b.ringSeqStore;
    }

    public static Builder builder(final TotemConfig totem)
    {
        return new Builder(totem);
    }

    public TotemConfig totem()
    {
        return totem;
    }

    public long joinNs()
    {
        return joinNs;
    }

    public long consensusNs()
    {
        return consensusNs;
    }

    public long mergeNs()
    {
        return mergeNs;
    }

    public RingSeqStore ringSeqStore()
    {
        return ringSeqStore;
    }

    /** Upper bound of the random delay before a node's first join of a gather; 0 = none. */
    public long sendJoinNs()
    {
        return sendJoinNs;
    }

    /** Builder with corosync's defaults: join 50 ms, consensus 1.2 x token, merge 200 ms. */
    public static final class Builder
    {
        private final TotemConfig totem;
        private long joinMs = 50;
        private long consensusMs;
        private long mergeMs = 200;
        private long sendJoinMs;
        private RingSeqStore ringSeqStore = RingSeqStore.inMemory();

        private Builder(final TotemConfig totem)
        {
            this.totem = totem;
        }

        /** totem.join: how often a join is re-sent while gathering. Default 50 ms. */
        public Builder joinMs(final long ms)
        {
            joinMs = ms;
            return this;
        }

        /** totem.consensus; 0 = 1.2 x token. */
        public Builder consensusMs(final long ms)
        {
            consensusMs = ms;
            return this;
        }

        /** totem.merge: how often the representative announces its ring. Default 200 ms. */
        public Builder mergeMs(final long ms)
        {
            mergeMs = ms;
            return this;
        }

        /**
         * totem.send_join: wait a random 0..send_join ms before the first join of a gather, so that
         * large rings do not flood the network with joins at once. Default 0.
         */
        public Builder sendJoinMs(final long ms)
        {
            sendJoinMs = ms;
            return this;
        }

        /** Where the highest ring seq is kept. Default: in memory (tests only). */
        public Builder ringSeqStore(final RingSeqStore store)
        {
            ringSeqStore = store;
            return this;
        }

        public MembershipConfig build()
        {
            final long tokenMs = TimeUnit.NANOSECONDS.toMillis(totem.tokenNs());
            if (joinMs < 1)
            {
                throw new IllegalArgumentException("totem.join = " + joinMs + ": must be >= 1 ms");
            }
            if (consensusMs != 0 && consensusMs < joinMs)
            {
                throw new IllegalArgumentException("totem.consensus = " + consensusMs + ": must not be below totem.join (" +
                    joinMs + ")");
            }
            if (consensusMs != 0 && consensusMs < tokenMs)
            {
                throw new IllegalArgumentException("totem.consensus = " + consensusMs +
                    ": must not be below totem.token (" + tokenMs + "); corosync asks for 1.2 x token");
            }
            if (mergeMs < 1)
            {
                throw new IllegalArgumentException("totem.merge = " + mergeMs + ": must be >= 1 ms");
            }
            if (sendJoinMs < 0 || (sendJoinMs > 0 && sendJoinMs >= (consensusMs > 0 ? consensusMs : tokenMs * 6 / 5)))
            {
                throw new IllegalArgumentException("totem.send_join = " + sendJoinMs +
                    ": must be >= 0 and below totem.consensus");
            }
            if (ringSeqStore == null)
            {
                throw new IllegalArgumentException("ring seq store: required");
            }
            return new MembershipConfig(this);
        }
    }
}
