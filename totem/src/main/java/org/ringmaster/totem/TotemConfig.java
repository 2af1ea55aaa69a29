package org.ringmaster.totem;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Settings of one node's ring. Immutable; built and validated once by {@link Builder#build()},
 * which names the offending key (corosync.conf spelling) and value.
 *
 * <p>Timing follows corosync.conf(5): {@code token_retransmit = token / (retransmits + 0.2)} and
 * {@code hold = token_retransmit * 0.8 - 10 ms} unless set explicitly.
 */
public final class TotemConfig
{
    /** IPv4 + UDP header bytes taken out of netmtu. */
    public static final int IP_UDP_OVERHEAD = 28;
    private static final int UNSET = Integer.MIN_VALUE;

    private final int nodeId;
    private final int[] members;
    private final long ringSeq;
    private final long tokenNs;
    private final int tokenRetransmitsBeforeLoss;
    private final long tokenRetransmitNs;
    private final long holdNs;
    private final int seqnoUnchangedConst;
    private final int missCountConst;
    private final int failRecvConst;
    private final int windowSize;
    private final int maxMessages;
    private final int netmtu;
    private final int receiveBufferSlots;
    private final int sendQueueBytes;
    private final int maxMessageSize;
    private final int maxRetransmitRequests;
    private final boolean accelerated;
    private final int acceleratedWindow;

    private TotemConfig(final Builder b)
    {
        nodeId = b.nodeId;
        members = b.members.clone();
        Arrays.sort(members);
        ringSeq = b.ringSeq;
        tokenNs = TimeUnit.MILLISECONDS.toNanos(b.tokenMs);
        tokenRetransmitsBeforeLoss = b.tokenRetransmitsBeforeLoss;
        final long derivedRetransmitUs = Math.max(30_000L, (long)(b.tokenMs * 1000.0 / (tokenRetransmitsBeforeLoss + 0.2)));
        tokenRetransmitNs = b.tokenRetransmitMs > 0
            ? TimeUnit.MILLISECONDS.toNanos(b.tokenRetransmitMs) : TimeUnit.MICROSECONDS.toNanos(derivedRetransmitUs);
        holdNs = b.holdMs > 0
            ? TimeUnit.MILLISECONDS.toNanos(b.holdMs)
            : Math.max(TimeUnit.MILLISECONDS.toNanos(1), (long)(tokenRetransmitNs * 0.8) - TimeUnit.MILLISECONDS.toNanos(10));
        seqnoUnchangedConst = b.seqnoUnchangedConst;
        missCountConst = b.missCountConst;
        failRecvConst = b.failRecvConst;
        windowSize = b.windowSize;
        maxMessages = b.maxMessages;
        netmtu = b.netmtu;
        receiveBufferSlots = b.receiveBufferSlots;
        sendQueueBytes = b.sendQueueBytes;
        maxMessageSize = b.maxMessageSize;
        maxRetransmitRequests = b.maxRetransmitRequests;
        accelerated = b.accelerated;
        acceleratedWindow = b.acceleratedWindow == UNSET ? maxMessages : b.acceleratedWindow;
    }

    public static Builder builder()
    {
        return new Builder();
    }

    /** This node's id (corosync nodelist.node.nodeid), &gt; 0. */
    public int nodeId()
    {
        return nodeId;
    }

    /** The ring's members, ascending: ring order, the representative first. */
    public int[] members()
    {
        return members.clone();
    }

    int memberCount()
    {
        return members.length;
    }

    int member(final int index)
    {
        return members[index];
    }

    public long ringSeq()
    {
        return ringSeq;
    }

    public long tokenNs()
    {
        return tokenNs;
    }

    public long tokenRetransmitNs()
    {
        return tokenRetransmitNs;
    }

    public long holdNs()
    {
        return holdNs;
    }

    public int seqnoUnchangedConst()
    {
        return seqnoUnchangedConst;
    }

    public int missCountConst()
    {
        return missCountConst;
    }

    public int failRecvConst()
    {
        return failRecvConst;
    }

    public int windowSize()
    {
        return windowSize;
    }

    public int maxMessages()
    {
        return maxMessages;
    }

    public int netmtu()
    {
        return netmtu;
    }

    public int receiveBufferSlots()
    {
        return receiveBufferSlots;
    }

    /**
     * Receive buffer slots for a ring of this netmtu and window_size: 1024 at netmtu 1500 (about
     * 1.5 MB, as each slot holds a whole datagram), fewer for larger datagrams so that the buffer
     * stays about that size (at netmtu 65535, 1024 slots would pin 64 MB, and a membership node's
     * recovery queue four times that), but never fewer than 4 &times; window_size; a power of two.
     */
    public static int receiveBufferSlotsFor(final int netmtu, final int windowSize)
    {
        final int bySize = Integer.highestOneBit(Math.max(1, 1024 * 1500 / Math.max(1, netmtu)));
        final int byWindow = Integer.highestOneBit(Math.max(1, 4 * windowSize - 1)) << 1;
        return Math.max(Math.min(1024, bySize), byWindow);
    }

    public int sendQueueBytes()
    {
        return sendQueueBytes;
    }

    public int maxMessageSize()
    {
        return maxMessageSize;
    }

    public int maxRetransmitRequests()
    {
        return maxRetransmitRequests;
    }

    /**
     * totem.accelerated: whether the Accelerated Ring (Babay &amp; Amir, ICDCS 2016) is on, so that
     * a node forwards the token before multicasting the last {@link #acceleratedWindow()} new
     * datagrams of its visit.
     */
    public boolean accelerated()
    {
        return accelerated;
    }

    /** totem.accelerated_window: new datagrams per visit multicast after the token is forwarded. */
    public int acceleratedWindow()
    {
        return acceleratedWindow;
    }

    @Override
    public String toString()
    {
        return "TotemConfig{nodeid=" + nodeId + ", members=" + Arrays.toString(members) +
            ", token=" + TimeUnit.NANOSECONDS.toMillis(tokenNs) + "ms, token_retransmit=" +
            TimeUnit.NANOSECONDS.toMicros(tokenRetransmitNs) + "us, hold=" + TimeUnit.NANOSECONDS.toMicros(holdNs) +
            "us, window_size=" + windowSize + ", max_messages=" + maxMessages + ", netmtu=" + netmtu +
            ", accelerated=" + (accelerated ? "yes, window " + acceleratedWindow : "no") + '}';
    }

    /** Mutable builder; every setter names the corosync.conf key it mirrors where there is one. */
    public static final class Builder
    {
        private int nodeId;
        private int[] members = new int[0];
        private long ringSeq = 4;
        private long tokenMs = 400;
        private int tokenRetransmitsBeforeLoss = 4;
        private long tokenRetransmitMs;
        private long holdMs;
        private int seqnoUnchangedConst = 30;
        private int missCountConst = 5;
        private int failRecvConst = 2500;
        private int windowSize = 50;
        private int maxMessages = 17;
        private int netmtu = 1500;
        private int receiveBufferSlots = 1024;
        private int sendQueueBytes = 8 * 1024 * 1024;
        private int maxMessageSize = 1024 * 1024;
        private int maxRetransmitRequests = 64;
        private boolean accelerated = true;
        private int acceleratedWindow = UNSET;

        /** nodelist.node.nodeid of this node. Required. */
        public Builder nodeId(final int nodeId)
        {
            this.nodeId = nodeId;
            return this;
        }

        /** Node ids of every ring member, this node included. Required. */
        public Builder members(final int... members)
        {
            this.members = members.clone();
            return this;
        }

        /** Sequence of the static ring's id. Default 4. */
        public Builder ringSeq(final long ringSeq)
        {
            this.ringSeq = ringSeq;
            return this;
        }

        /** totem.token in ms: token loss is declared after this long without a token. Default 400
         * (Corosync: 3000): a 10-minute full-load run showed no spurious change at 400, see perf/RESULTS-failover.md. */
        public Builder tokenMs(final long tokenMs)
        {
            this.tokenMs = tokenMs;
            return this;
        }

        /** totem.token_retransmits_before_loss_const. Default 4. */
        public Builder tokenRetransmitsBeforeLoss(final int count)
        {
            this.tokenRetransmitsBeforeLoss = count;
            return this;
        }

        /** totem.token_retransmit in ms; 0 derives it from token. */
        public Builder tokenRetransmitMs(final long ms)
        {
            this.tokenRetransmitMs = ms;
            return this;
        }

        /** totem.hold in ms; 0 derives it from token_retransmit. */
        public Builder holdMs(final long ms)
        {
            this.holdMs = ms;
            return this;
        }

        /**
         * totem.seqno_unchanged_const: quiet rotations (nothing originated, every member holding
         * everything) before the node that sent last rests the token for up to totem.hold; at least 2
         * are used. Default 30.
         */
        public Builder seqnoUnchangedConst(final int value)
        {
            this.seqnoUnchangedConst = value;
            return this;
        }

        /** totem.miss_count_const: visits a seq must be seen missing before it is requested. Default 5. */
        public Builder missCountConst(final int value)
        {
            this.missCountConst = value;
            return this;
        }

        /** totem.fail_recv_const. Default 2500. */
        public Builder failRecvConst(final int value)
        {
            this.failRecvConst = value;
            return this;
        }

        /** totem.window_size: messages per rotation, whole ring. Default 50. */
        public Builder windowSize(final int value)
        {
            this.windowSize = value;
            return this;
        }

        /** totem.max_messages: messages per token visit, one node. Default 17. */
        public Builder maxMessages(final int value)
        {
            this.maxMessages = value;
            return this;
        }

        /** totem.netmtu: bytes of a link frame; datagrams are netmtu - 28. Default 1500. */
        public Builder netmtu(final int value)
        {
            this.netmtu = value;
            return this;
        }

        /** Receive buffer slots (power of two, at least 4 &times; window_size). Default 1024. */
        public Builder receiveBufferSlots(final int value)
        {
            this.receiveBufferSlots = value;
            return this;
        }

        /** Send queue bytes (power of two; at least 8 &times; max message size). Default 8 MiB. */
        public Builder sendQueueBytes(final int value)
        {
            this.sendQueueBytes = value;
            return this;
        }

        /** Largest application message, fragmented on the wire. Default 1 MiB. */
        public Builder maxMessageSize(final int value)
        {
            this.maxMessageSize = value;
            return this;
        }

        /** Retransmit requests carried on the token at most. Default 64. */
        public Builder maxRetransmitRequests(final int value)
        {
            this.maxRetransmitRequests = value;
            return this;
        }

        /**
         * totem.accelerated: forward the token before the last new datagrams of a visit are
         * multicast (Accelerated Ring). Default on: faster at 1 KiB and at 64 B with all sending, no
         * clear difference at 64 B with one sender (perf/RESULTS-throughput.md).
         */
        public Builder accelerated(final boolean on)
        {
            this.accelerated = on;
            return this;
        }

        /**
         * totem.accelerated_window: how many of a visit's new datagrams, at most, are multicast after
         * the token (the rest go before it); within 0..max_messages. Default: max_messages.
         */
        public Builder acceleratedWindow(final int value)
        {
            this.acceleratedWindow = value;
            return this;
        }

        public TotemConfig build()
        {
            require(nodeId > 0, "nodeid", nodeId, "must be > 0");
            require(members.length > 0, "nodelist", Arrays.toString(members), "must name at least one node");
            final int[] sorted = members.clone();
            Arrays.sort(sorted);
            boolean self = false;
            for (int i = 0; i < sorted.length; i++)
            {
                require(sorted[i] > 0, "nodelist.node.nodeid", sorted[i], "must be > 0");
                require(i == 0 || sorted[i] != sorted[i - 1], "nodelist.node.nodeid", sorted[i], "appears twice");
                self |= sorted[i] == nodeId;
            }
            require(self, "nodeid", nodeId, "is not in the node list " + Arrays.toString(sorted));
            require(ringSeq >= 0, "ring_seq", ringSeq, "must be >= 0");
            require(tokenMs >= 10, "totem.token", tokenMs, "must be >= 10 ms");
            require(tokenRetransmitsBeforeLoss >= 1, "totem.token_retransmits_before_loss_const",
                tokenRetransmitsBeforeLoss, "must be >= 1");
            require(tokenRetransmitMs >= 0, "totem.token_retransmit", tokenRetransmitMs, "must be >= 0");
            require(tokenRetransmitMs == 0 || tokenRetransmitMs < tokenMs, "totem.token_retransmit", tokenRetransmitMs,
                "must be below totem.token (" + tokenMs + ")");
            require(holdMs >= 0, "totem.hold", holdMs, "must be >= 0");
            require(holdMs == 0 || holdMs < tokenMs, "totem.hold", holdMs, "must be below totem.token (" + tokenMs + ")");
            require(seqnoUnchangedConst >= 1, "totem.seqno_unchanged_const", seqnoUnchangedConst, "must be >= 1");
            require(missCountConst >= 1, "totem.miss_count_const", missCountConst, "must be >= 1");
            require(failRecvConst >= 1, "totem.fail_recv_const", failRecvConst, "must be >= 1");
            require(windowSize >= 1, "totem.window_size", windowSize, "must be >= 1");
            require(maxMessages >= 1, "totem.max_messages", maxMessages, "must be >= 1");
            require(maxMessages <= windowSize, "totem.max_messages", maxMessages,
                "must not exceed totem.window_size (" + windowSize + ")");
            require(netmtu >= 576 && netmtu <= 65535, "totem.netmtu", netmtu, "must be within 576..65535");
            require(Integer.bitCount(receiveBufferSlots) == 1, "receive_buffer_slots", receiveBufferSlots,
                "must be a power of two");
            require(receiveBufferSlots >= 4 * windowSize, "receive_buffer_slots", receiveBufferSlots,
                "must be at least 4 x totem.window_size (" + windowSize + ")");
            require(maxMessageSize >= 1 && maxMessageSize <= 64 * 1024 * 1024, "max_message_size", maxMessageSize,
                "must be within 1..64 MiB");
            require(Integer.bitCount(sendQueueBytes) == 1, "send_queue_bytes", sendQueueBytes, "must be a power of two");
            require(sendQueueBytes / 8 >= maxMessageSize, "send_queue_bytes", sendQueueBytes,
                "must be at least 8 x max_message_size (" + maxMessageSize + ")");
            require(maxRetransmitRequests >= 1 && maxRetransmitRequests <= 1024, "max_retransmit_requests",
                maxRetransmitRequests, "must be within 1..1024");
            require(acceleratedWindow == UNSET || (acceleratedWindow >= 0 && acceleratedWindow <= maxMessages),
                "totem.accelerated_window", acceleratedWindow,
                "must be within 0..totem.max_messages (" + maxMessages + ")");
            return new TotemConfig(this);
        }

        private static void require(final boolean ok, final String key, final Object value, final String rule)
        {
            if (!ok)
            {
                throw new IllegalArgumentException(key + " = " + value + ": " + rule);
            }
        }
    }
}
