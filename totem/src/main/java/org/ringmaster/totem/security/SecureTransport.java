package org.ringmaster.totem.security;

import java.nio.channels.SelectableChannel;
import java.security.SecureRandom;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.agrona.DirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;
import org.ringmaster.totem.transport.DatagramHandler;
import org.ringmaster.totem.transport.Transport;
import org.ringmaster.totem.transport.TransportCounters;
import org.ringmaster.totem.transport.TransportCounters.Drop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seals every outgoing datagram and opens every incoming one, over any {@link Transport}.
 *
 * <p>Incoming frames that fail are dropped and counted in the inner transport's counters (one
 * set of counters for the whole stack): shorter than header and tag {@link Drop#BAD_LENGTH};
 * wrong version or mode, or a bad tag, {@link Drop#AUTH_FAILED}; a sender id outside the node list
 * {@link Drop#UNKNOWN_SENDER}; seen before, too old for the window, or an older session of a live
 * sender {@link Drop#REPLAYED}. Nothing a peer sends makes this throw. The frame layout, replay
 * window and key derivation are described in the package documentation.
 *
 * <p>Not thread-safe, like every transport. The handler may send from inside {@code onDatagram}:
 * sending and receiving use separate buffers and crypto objects.
 */
public final class SecureTransport implements Transport
{
    /** How long a sender's session must be silent before an older-looking session may replace it. */
    static final long DEFAULT_SESSION_TAKEOVER_NS = TimeUnit.SECONDS.toNanos(2);
    private static final Logger LOG = LoggerFactory.getLogger(SecureTransport.class);
    private static final int LOG_EVERY = 10_000;
    private static final int MIN_PAYLOAD = 64;

    private final Transport inner;
    private final Seal seal;
    private final SealMode mode;
    private final int localNodeId;
    private final int maxPayload;
    private final TransportCounters counters;
    private final LongSupplier nanoClock;
    private final SecureRandom random;
    private final Int2ObjectHashMap<ReplayWindow> windows = new Int2ObjectHashMap<>();
    private final byte[] sendFrame;
    private final UnsafeBuffer sendView;
    private final byte[] receiveFrame;
    private final UnsafeBuffer receiveView;
    private final DatagramHandler opener = this::open;
    private long session;
    private long counter;
    private DatagramHandler handler;
    private int delivered;
    private long modeMismatches;
    private long ownIdClashes;
    private long providerErrors;

    /**
     * Wrap {@code inner} as {@code config} says: the inner transport itself for an explicit
     * {@code none}/{@code none}, otherwise a SecureTransport keyed from {@code authKey}.
     *
     * @param nodeIds    the node list (including this node); frames naming another sender are dropped.
     * @param clusterName mixed into the keys, so two clusters that copied one authkey cannot talk.
     */
    public static Transport wrap(
        final Transport inner,
        final CryptoConfig config,
        final AuthKey authKey,
        final Collection<Integer> nodeIds,
        final String clusterName)
    {
        if (!config.secure())
        {
            LOG.warn("node {}: datagram security is OFF ({}): anyone on the network can inject traffic",
                inner.localNodeId(), config);
            return inner;
        }
        if (authKey == null)
        {
            throw new IllegalArgumentException(config + " needs an authkey (make one with ringmaster-keygen)");
        }
        return new SecureTransport(inner, config.mode(), authKey, nodeIds, clusterName,
            new SecureRandom(), System::nanoTime, DEFAULT_SESSION_TAKEOVER_NS, newSessionId(new SecureRandom()));
    }

    SecureTransport(
        final Transport inner,
        final SealMode mode,
        final AuthKey authKey,
        final Collection<Integer> nodeIds,
        final String clusterName,
        final SecureRandom random,
        final LongSupplier nanoClock,
        final long sessionTakeoverNs,
        final long firstSession)
    {
        this.inner = Objects.requireNonNull(inner, "inner");
        this.mode = mode;
        this.localNodeId = inner.localNodeId();
        this.counters = inner.counters();
        this.nanoClock = nanoClock;
        this.random = random;
        final Set<Integer> ids = new LinkedHashSet<>(nodeIds);
        if (!ids.contains(localNodeId))
        {
            throw new IllegalArgumentException(
                "SecureTransport: local node " + localNodeId + " is not in the node list " + ids);
        }
        final int overhead = Frame.HEADER_LENGTH + mode.tagLength;
        this.maxPayload = inner.maxDatagramLength() - overhead;
        if (maxPayload < MIN_PAYLOAD)
        {
            throw new IllegalArgumentException("SecureTransport: inner maxDatagramLength "
                + inner.maxDatagramLength() + " leaves less than " + MIN_PAYLOAD + " bytes after "
                + overhead + " bytes of header and tag");
        }
        final byte[] prk = Hkdf.extract(authKey.material());
        final String name = clusterName == null ? "" : clusterName;
        switch (mode)
        {
            case HMAC_SHA256 -> seal = new HmacSeal(mode, CryptoHash.SHA256,
                Hkdf.expand(prk, Hkdf.label("hmac-sha256", name), CryptoHash.SHA256.tagLength()));
            case HMAC_SHA384 -> seal = new HmacSeal(mode, CryptoHash.SHA384,
                Hkdf.expand(prk, Hkdf.label("hmac-sha384", name), CryptoHash.SHA384.tagLength()));
            case HMAC_SHA512 -> seal = new HmacSeal(mode, CryptoHash.SHA512,
                Hkdf.expand(prk, Hkdf.label("hmac-sha512", name), CryptoHash.SHA512.tagLength()));
            case AES256_GCM -> seal = AesSeal.of(
                Hkdf.expand(prk, Hkdf.label("aes256-gcm master", name), 32),
                Hkdf.expand(prk, Hkdf.label("aes256-ctr-hmac-sha256 master", name), 32), ids, inner.maxDatagramLength());
            default -> throw new IllegalArgumentException("SecureTransport needs a sealing mode, not " + mode);
        }
        java.util.Arrays.fill(prk, (byte)0);
        for (final int id : ids)
        {
            if (id != localNodeId)
            {
                windows.put(id, new ReplayWindow(sessionTakeoverNs));
            }
        }
        this.sendFrame = new byte[inner.maxDatagramLength()];
        this.sendView = new UnsafeBuffer(sendFrame);
        this.receiveFrame = new byte[inner.maxDatagramLength()];
        this.receiveView = new UnsafeBuffer(receiveFrame);
        startSession(firstSession);
        LOG.info("node {}: datagrams sealed with {} ({} bytes of overhead){}", localNodeId, mode, overhead,
            mode == SealMode.AES256_GCM ? "; payloads up to " + AesSeal.SHORT_PAYLOAD + " bytes with "
                + SealMode.AES256_CTR_HMAC_SHA256 : "");
    }

    /** Session id: start time in unix seconds (high half, so later sessions compare greater) and 32 random bits. */
    static long newSessionId(final SecureRandom random)
    {
        return (System.currentTimeMillis() / 1000) << 32 | (random.nextInt() & 0xffff_ffffL);
    }

    private void startSession(final long newSession)
    {
        session = newSession;
        counter = 0;
        seal.startSession(localNodeId, newSession);
    }

    @Override
    public int localNodeId()
    {
        return localNodeId;
    }

    /** The inner transport's limit minus this frame's header and tag. */
    @Override
    public int maxDatagramLength()
    {
        return maxPayload;
    }

    @Override
    public boolean unicast(final int nodeId, final DirectBuffer buffer, final int offset, final int length)
    {
        return inner.unicast(nodeId, sendView, 0, sealFrame(buffer, offset, length));
    }

    /** Sealed once: every member receives the same frame, with one counter value. */
    @Override
    public boolean multicast(final DirectBuffer buffer, final int offset, final int length)
    {
        return inner.multicast(sendView, 0, sealFrame(buffer, offset, length));
    }

    private int sealFrame(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < 0 || length > maxPayload)
        {
            throw new IllegalArgumentException("node " + localNodeId + ": datagram of " + length
                + " bytes exceeds maxDatagramLength " + maxPayload);
        }
        if (counter == Long.MAX_VALUE)
        {
            // 2^63 datagrams: unreachable in practice, but a counter must never wrap under one key.
            startSession(newSessionId(random));
        }
        counter++;
        sendView.putByte(Frame.VERSION_OFFSET, (byte)Frame.VERSION);
        sendView.putByte(Frame.MODE_OFFSET, (byte)seal.modeFor(length).code);
        sendView.putShort(Frame.RESERVED_OFFSET, (short)0, Frame.ORDER);
        sendView.putInt(Frame.SENDER_OFFSET, localNodeId, Frame.ORDER);
        sendView.putLong(Frame.SESSION_OFFSET, session, Frame.ORDER);
        sendView.putLong(Frame.COUNTER_OFFSET, counter, Frame.ORDER);
        buffer.getBytes(offset, sendFrame, Frame.HEADER_LENGTH, length);
        return seal.seal(sendFrame, length);
    }

    @Override
    public int poll(final DatagramHandler handler, final int limit)
    {
        this.handler = handler;
        this.delivered = 0;
        try
        {
            inner.poll(opener, limit);
            return delivered;
        }
        finally
        {
            this.handler = null;
        }
    }

    private void open(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < Frame.HEADER_LENGTH + mode.tagLength || length > receiveFrame.length)
        {
            counters.drop(Drop.BAD_LENGTH);
            return;
        }
        buffer.getBytes(offset, receiveFrame, 0, length);
        final int version = receiveView.getByte(Frame.VERSION_OFFSET) & 0xff;
        final int frameMode = receiveView.getByte(Frame.MODE_OFFSET) & 0xff;
        final long sentSession = receiveView.getLong(Frame.SESSION_OFFSET, Frame.ORDER);
        final long sentCounter = receiveView.getLong(Frame.COUNTER_OFFSET, Frame.ORDER);
        if (version != Frame.VERSION || !seal.opens(frameMode)
            || receiveView.getShort(Frame.RESERVED_OFFSET, Frame.ORDER) != 0 || sentCounter <= 0)
        {
            if (!seal.opens(frameMode) && modeMismatches++ % LOG_EVERY == 0)
            {
                final SealMode other = SealMode.of(frameMode);
                LOG.warn("node {}: dropped a datagram sealed as {} (version {}); this node uses {}:"
                    + " check crypto_hash/crypto_cipher on every node ({} such so far)",
                    localNodeId, other == null ? "mode " + frameMode : other, version, mode, modeMismatches);
            }
            counters.drop(Drop.AUTH_FAILED);
            return;
        }
        final int sender = receiveView.getInt(Frame.SENDER_OFFSET, Frame.ORDER);
        final ReplayWindow window = windows.get(sender);
        if (window == null && sender != localNodeId)
        {
            counters.drop(Drop.UNKNOWN_SENDER);
            return;
        }
        int payloadLength;
        try
        {
            payloadLength = seal.open(receiveFrame, length, sender, sentSession, sentCounter);
        }
        catch (final RuntimeException ex)
        {
            // A provider quirk must not take the node down because of one bad datagram.
            if (providerErrors++ % LOG_EVERY == 0)
            {
                LOG.error("node {}: crypto provider failed on an incoming datagram", localNodeId, ex);
            }
            payloadLength = -1;
        }
        if (payloadLength < 0)
        {
            counters.drop(Drop.AUTH_FAILED);
            return;
        }
        if (sender == localNodeId)
        {
            if (sentSession == session)
            {
                counters.drop(Drop.REPLAYED); // our own frame reflected back at us
            }
            else
            {
                if (ownIdClashes++ % LOG_EVERY == 0)
                {
                    LOG.warn("node {}: an authentic datagram claims our node id from another session:"
                        + " is a second process configured with node id {}?", localNodeId, localNodeId);
                }
                counters.drop(Drop.UNKNOWN_SENDER);
            }
            return;
        }
        if (!window.accept(sentSession, sentCounter, nanoClock.getAsLong()))
        {
            counters.drop(Drop.REPLAYED);
            return;
        }
        seal.accepted(sender, sentSession);
        delivered++;
        handler.onDatagram(receiveView, Frame.HEADER_LENGTH, payloadLength);
    }

    @Override
    public TransportCounters counters()
    {
        return counters;
    }

    @Override
    public List<SelectableChannel> readableChannels()
    {
        return inner.readableChannels();
    }

    @Override
    public void close()
    {
        inner.close();
    }

    /** This process's current session id (for tests and diagnostics; not secret). */
    long session()
    {
        return session;
    }
}
