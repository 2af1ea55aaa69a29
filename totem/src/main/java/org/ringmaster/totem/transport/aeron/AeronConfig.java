package org.ringmaster.totem.transport.aeron;

import java.net.InetSocketAddress;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Immutable settings of an {@link AeronTransport} ({@code transport: aeron}).
 *
 * <p>The node list maps each node id to the UDP endpoint its Aeron subscription listens on, like
 * the {@code udpu} node list. Defaults:
 * <ul>
 *   <li>{@code streamId} {@value #DEFAULT_STREAM_ID};</li>
 *   <li>{@code maxDatagramLength} {@value #DEFAULT_MAX_DATAGRAM_LENGTH} (what udpu carries at
 *       netmtu 1500, so the ring packs the same);</li>
 *   <li>{@code mtuLength} {@value #DEFAULT_MTU_LENGTH} (Aeron's own default: an Aeron frame fits a
 *       1500-byte Ethernet frame; datagrams longer than a frame are fragmented and reassembled by
 *       Aeron). On loopback a larger MTU such as 8192 saves the fragmenting;</li>
 *   <li>{@code termLength} {@value #DEFAULT_TERM_LENGTH} per publication (three terms each, in
 *       shared memory; the flow-control window is bounded by it);</li>
 *   <li>{@code threading} {@link Threading#SHARED}: one media-driver thread per node;</li>
 *   <li>{@code aeronDirectory} null: a fresh directory under /dev/shm (or java.io.tmpdir), deleted
 *       when the transport closes.</li>
 * </ul>
 */
public final class AeronConfig
{
    public static final int DEFAULT_STREAM_ID = 5405;
    public static final int DEFAULT_MAX_DATAGRAM_LENGTH = 1472;
    public static final int DEFAULT_MTU_LENGTH = 1408;
    public static final int DEFAULT_TERM_LENGTH = 1024 * 1024;
    /** Aeron's limits: MTU a multiple of 32 in [128, 65504]; a term a power of two in [64 KiB, 1 GiB]. */
    static final int MIN_MTU = 128;
    static final int MAX_MTU = 65504;
    static final int MIN_TERM = 64 * 1024;
    static final int MAX_TERM = 1024 * 1024 * 1024;
    static final int MIN_DATAGRAM = 64;

    /** Who runs the embedded media driver's work. */
    public enum Threading
    {
        /** The driver's conductor, sender and receiver share one thread of their own (backoff idle). */
        SHARED,
        /**
         * No driver or client threads: the driver and the client conductor run inside
         * {@link AeronTransport#poll}, i.e. on the ring's own thread. Fewest threads (good on small
         * machines); the driver only works while the ring polls.
         */
        INVOKER
    }

    private final int localNodeId;
    private final Map<Integer, InetSocketAddress> nodes;
    private final int streamId;
    private final int maxDatagramLength;
    private final int mtuLength;
    private final int termLength;
    private final Threading threading;
    private final String aeronDirectory;

    private AeronConfig(final Builder b)
    {
        if (b.nodes.isEmpty())
        {
            throw new IllegalArgumentException("AeronConfig.nodes is empty: the node list needs at least this node");
        }
        for (final Map.Entry<Integer, InetSocketAddress> e : b.nodes.entrySet())
        {
            final InetSocketAddress address = e.getValue();
            if (e.getKey() <= 0)
            {
                throw new IllegalArgumentException("AeronConfig.nodes: node id " + e.getKey() + " must be > 0");
            }
            if (address.isUnresolved() || address.getPort() == 0 || address.getAddress().isAnyLocalAddress()
                || address.getAddress().isMulticastAddress())
            {
                throw new IllegalArgumentException("AeronConfig.nodes[" + e.getKey() + "]=" + address
                    + " must be a resolved unicast address with a port");
            }
        }
        if (!b.nodes.containsKey(b.localNodeId))
        {
            throw new IllegalArgumentException("AeronConfig.localNodeId=" + b.localNodeId
                + " is not in the node list " + b.nodes.keySet());
        }
        if (b.mtuLength < MIN_MTU || b.mtuLength > MAX_MTU || b.mtuLength % 32 != 0)
        {
            throw new IllegalArgumentException("AeronConfig.mtuLength=" + b.mtuLength
                + " must be a multiple of 32 in " + MIN_MTU + ".." + MAX_MTU);
        }
        if (b.termLength < MIN_TERM || b.termLength > MAX_TERM || Integer.bitCount(b.termLength) != 1)
        {
            throw new IllegalArgumentException("AeronConfig.termLength=" + b.termLength
                + " must be a power of two in " + MIN_TERM + ".." + MAX_TERM);
        }
        // Aeron refuses a message longer than an eighth of the term; the transport adds its own header.
        final int maxByTerm = b.termLength / 8 - AeronTransport.HEADER_LENGTH;
        if (b.maxDatagramLength < MIN_DATAGRAM || b.maxDatagramLength > maxByTerm)
        {
            throw new IllegalArgumentException("AeronConfig.maxDatagramLength=" + b.maxDatagramLength
                + " must be in " + MIN_DATAGRAM + ".." + maxByTerm + " (termLength / 8 - "
                + AeronTransport.HEADER_LENGTH + ")");
        }
        if (b.threading == null)
        {
            throw new IllegalArgumentException("AeronConfig.threading must be set");
        }
        this.localNodeId = b.localNodeId;
        this.nodes = Collections.unmodifiableMap(new TreeMap<>(b.nodes));
        this.streamId = b.streamId;
        this.maxDatagramLength = b.maxDatagramLength;
        this.mtuLength = b.mtuLength;
        this.termLength = b.termLength;
        this.threading = b.threading;
        this.aeronDirectory = b.aeronDirectory;
    }

    public static Builder builder()
    {
        return new Builder();
    }

    public int localNodeId()
    {
        return localNodeId;
    }

    /** Node id to the endpoint its subscription listens on, ascending by id. */
    public Map<Integer, InetSocketAddress> nodes()
    {
        return nodes;
    }

    public int streamId()
    {
        return streamId;
    }

    public int maxDatagramLength()
    {
        return maxDatagramLength;
    }

    public int mtuLength()
    {
        return mtuLength;
    }

    public int termLength()
    {
        return termLength;
    }

    public Threading threading()
    {
        return threading;
    }

    /** The embedded driver's directory, or null for a fresh one per transport. */
    public String aeronDirectory()
    {
        return aeronDirectory;
    }

    @Override
    public String toString()
    {
        return "AeronConfig{node=" + localNodeId + ", nodes=" + nodes + ", stream=" + streamId
            + ", maxDatagram=" + maxDatagramLength + ", mtu=" + mtuLength + ", term=" + termLength
            + ", threading=" + threading + "}";
    }

    public static final class Builder
    {
        private int localNodeId;
        private final Map<Integer, InetSocketAddress> nodes = new TreeMap<>();
        private int streamId = DEFAULT_STREAM_ID;
        private int maxDatagramLength = DEFAULT_MAX_DATAGRAM_LENGTH;
        private int mtuLength = DEFAULT_MTU_LENGTH;
        private int termLength = DEFAULT_TERM_LENGTH;
        private Threading threading = Threading.SHARED;
        private String aeronDirectory;

        private Builder()
        {
        }

        public Builder localNodeId(final int id)
        {
            this.localNodeId = id;
            return this;
        }

        /** Add one node: its id and the (ip, port) its subscription listens on. */
        public Builder node(final int id, final InetSocketAddress endpoint)
        {
            nodes.put(id, endpoint);
            return this;
        }

        public Builder nodes(final Map<Integer, InetSocketAddress> all)
        {
            nodes.putAll(all);
            return this;
        }

        public Builder streamId(final int streamId)
        {
            this.streamId = streamId;
            return this;
        }

        public Builder maxDatagramLength(final int length)
        {
            this.maxDatagramLength = length;
            return this;
        }

        public Builder mtuLength(final int length)
        {
            this.mtuLength = length;
            return this;
        }

        public Builder termLength(final int length)
        {
            this.termLength = length;
            return this;
        }

        public Builder threading(final Threading threading)
        {
            this.threading = threading;
            return this;
        }

        public Builder aeronDirectory(final String directory)
        {
            this.aeronDirectory = directory;
            return this;
        }

        public AeronConfig build()
        {
            return new AeronConfig(this);
        }
    }
}
