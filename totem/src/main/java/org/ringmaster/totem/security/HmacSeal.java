package org.ringmaster.totem.security;

import java.security.GeneralSecurityException;

/**
 * HMAC over header and plaintext payload; the tag is the full digest. Sealing and opening allocate
 * nothing ({@link HmacDigest}).
 */
final class HmacSeal implements Seal
{
    private final SealMode mode;
    private final int tagLength;
    private final HmacDigest sendMac;
    private final HmacDigest receiveMac;
    private final byte[] expected;

    HmacSeal(final SealMode mode, final CryptoHash hash, final byte[] key)
    {
        this.mode = mode;
        this.tagLength = mode.tagLength;
        try
        {
            this.sendMac = new HmacDigest(hash.digestName(), hash.blockLength(), key);
            this.receiveMac = new HmacDigest(hash.digestName(), hash.blockLength(), key);
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException(hash.digestName() + " is not available in this JVM", ex);
        }
        if (sendMac.length() != tagLength)
        {
            throw new IllegalStateException(hash.digestName() + " digest is " + sendMac.length() + " bytes, not " + tagLength);
        }
        this.expected = new byte[tagLength];
    }

    @Override
    public SealMode mode()
    {
        return mode;
    }

    @Override
    public void startSession(final int localNodeId, final long session)
    {
        // One key for all sessions: the session id and counter are inside the MAC.
    }

    @Override
    public int seal(final byte[] frame, final int payloadLength)
    {
        final int covered = Frame.HEADER_LENGTH + payloadLength;
        sendMac.compute(frame, 0, covered, frame, covered);
        return covered + tagLength;
    }

    @Override
    public int open(final byte[] frame, final int length, final int sender, final long session, final long counter)
    {
        final int covered = length - tagLength;
        receiveMac.compute(frame, 0, covered, expected, 0);
        return constantTimeEquals(expected, frame, covered, tagLength) ? covered - Frame.HEADER_LENGTH : -1;
    }

    @Override
    public void accepted(final int sender, final long session)
    {
        // Nothing cached per session.
    }

    /** Compares every byte whatever the first difference, so timing does not reveal how much of a forged tag was right. */
    static boolean constantTimeEquals(final byte[] a, final byte[] b, final int bOffset, final int length)
    {
        int diff = 0;
        for (int i = 0; i < length; i++)
        {
            diff |= a[i] ^ b[bOffset + i];
        }
        return diff == 0;
    }
}
