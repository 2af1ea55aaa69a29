package org.ringmaster.totem.security;

import java.security.GeneralSecurityException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC over header and plaintext payload; the tag is the full digest. */
final class HmacSeal implements Seal
{
    private final SealMode mode;
    private final int tagLength;
    private final Mac sendMac;
    private final Mac receiveMac;
    private final byte[] expected;

    HmacSeal(final SealMode mode, final String jceName, final byte[] key)
    {
        this.mode = mode;
        this.tagLength = mode.tagLength;
        try
        {
            final SecretKeySpec spec = new SecretKeySpec(key, jceName);
            this.sendMac = Mac.getInstance(jceName);
            this.sendMac.init(spec);
            this.receiveMac = Mac.getInstance(jceName);
            this.receiveMac.init(spec);
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException(jceName + " is not available in this JVM", ex);
        }
        if (sendMac.getMacLength() != tagLength)
        {
            throw new IllegalStateException(jceName + " tag is " + sendMac.getMacLength() + " bytes, not " + tagLength);
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
        sendMac.update(frame, 0, covered);
        try
        {
            sendMac.doFinal(frame, covered);
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("frame buffer too small for the tag", ex);
        }
        return covered + tagLength;
    }

    @Override
    public int open(final byte[] frame, final int length, final int sender, final long session, final long counter)
    {
        final int covered = length - tagLength;
        receiveMac.update(frame, 0, covered);
        try
        {
            receiveMac.doFinal(expected, 0);
        }
        catch (final GeneralSecurityException ex)
        {
            return -1;
        }
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
