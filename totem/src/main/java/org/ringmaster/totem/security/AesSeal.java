package org.ringmaster.totem.security;

import java.util.Collection;

/**
 * {@code crypto_cipher aes256}: every frame is encrypted and authenticated with AES-256, by one of
 * two seals chosen by the payload's length and named in the frame's mode byte. Short frames (up to
 * {@link #SHORT_PAYLOAD} bytes: tokens, joins, small messages) take {@link CtrHmacSeal}, longer ones
 * {@link GcmSeal}; a receiver opens both and nothing else.
 *
 * <p>Why two: the JDK's AES-GCM builds a new engine at every init, ~1 KB of garbage per sealed and
 * per opened frame whatever its size. A ring passes its token some 10,000-20,000 times a second
 * when messages trickle in, so at 1,000 messages/s the token's frames alone made ~40 MB/s of
 * garbage and a young collection every ~2 s on every node, which stopped the ring for a few ms
 * each time (the p999 and much of the p99 at that rate). Counter mode from a once-initialised
 * AES cipher plus HMAC-SHA-256 allocates nothing and, measured on this project's 2-core machine
 * (JDK 17, AES-NI, SHA-NI), seals 32-128 bytes in 0.26-0.37 µs against GCM's 0.33-0.40 µs, but
 * 1 KiB in 1.3 µs against 0.6 µs: GCM's CLMUL-intrinsic GHASH wins on long frames, so those keep
 * it. Both are AEAD constructions under keys of their own (see each seal).
 */
final class AesSeal implements Seal
{
    /** Payloads up to this many bytes are sealed with counter mode + HMAC (measured crossover ~200 bytes). */
    static final int SHORT_PAYLOAD = 192;

    private final GcmSeal gcm;
    private final CtrHmacSeal shortFrames;

    AesSeal(final GcmSeal gcm, final CtrHmacSeal shortFrames)
    {
        this.gcm = gcm;
        this.shortFrames = shortFrames;
    }

    /** Both seals from their own 32-byte master keys. */
    static AesSeal of(
        final byte[] gcmMaster, final byte[] shortMaster, final Collection<Integer> nodeIds, final int maxFrameLength)
    {
        return new AesSeal(
            new GcmSeal(gcmMaster, nodeIds, maxFrameLength), new CtrHmacSeal(shortMaster, nodeIds, SHORT_PAYLOAD));
    }

    /** The configured family; frames say which of the two sealed them. */
    @Override
    public SealMode mode()
    {
        return SealMode.AES256_GCM;
    }

    @Override
    public SealMode modeFor(final int payloadLength)
    {
        return payloadLength <= SHORT_PAYLOAD ? SealMode.AES256_CTR_HMAC_SHA256 : SealMode.AES256_GCM;
    }

    @Override
    public boolean opens(final int frameMode)
    {
        return frameMode == SealMode.AES256_GCM.code || frameMode == SealMode.AES256_CTR_HMAC_SHA256.code;
    }

    @Override
    public void startSession(final int localNodeId, final long session)
    {
        gcm.startSession(localNodeId, session);
        shortFrames.startSession(localNodeId, session);
    }

    @Override
    public int seal(final byte[] frame, final int payloadLength)
    {
        return payloadLength <= SHORT_PAYLOAD ? shortFrames.seal(frame, payloadLength) : gcm.seal(frame, payloadLength);
    }

    /**
     * By the frame's mode byte, which both seals authenticate; a short-frame mode on a long payload
     * (or the reverse) is refused, so a frame cannot be moved to the other seal.
     */
    @Override
    public int open(final byte[] frame, final int length, final int sender, final long session, final long counter)
    {
        final int frameMode = frame[Frame.MODE_OFFSET] & 0xff;
        final int payloadLength = length - Frame.HEADER_LENGTH - SealMode.AES256_GCM.tagLength;
        if (frameMode != modeFor(payloadLength).code)
        {
            return -1;
        }
        return frameMode == SealMode.AES256_GCM.code ?
            gcm.open(frame, length, sender, session, counter) : shortFrames.open(frame, length, sender, session, counter);
    }

    @Override
    public void accepted(final int sender, final long session)
    {
        gcm.accepted(sender, session);
        shortFrames.accepted(sender, session);
    }
}
