package org.ringmaster.totem.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HKDF with HMAC-SHA-256 (RFC 5869). The authkey is the input keying material; every purpose
 * (HMAC key, AES-GCM master key, per-session AES key) gets its own label, so no two uses share a key.
 */
final class Hkdf
{
    static final String ALGORITHM = "HmacSHA256";
    static final int HASH_LENGTH = 32;
    /** Fixed, public salt: it separates our keys from any other use of the same file. */
    private static final byte[] SALT = "ringmaster-totem-authkey-v1".getBytes(StandardCharsets.US_ASCII);

    private Hkdf()
    {
    }

    /** HKDF-Extract(salt, authkey): the pseudo-random key all datagram keys are expanded from. */
    static byte[] extract(final byte[] inputKeyMaterial)
    {
        try
        {
            final Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(SALT, ALGORITHM));
            return mac.doFinal(inputKeyMaterial);
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", ex);
        }
    }

    /** HKDF-Expand(prk, info, length). */
    static byte[] expand(final byte[] prk, final byte[] info, final int length)
    {
        if (length > 255 * HASH_LENGTH)
        {
            throw new IllegalArgumentException("HKDF length " + length + " too large");
        }
        try
        {
            final Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(prk, ALGORITHM));
            final byte[] out = new byte[length];
            byte[] previous = new byte[0];
            int written = 0;
            for (int block = 1; written < length; block++)
            {
                mac.update(previous);
                mac.update(info);
                mac.update((byte)block);
                previous = mac.doFinal();
                final int n = Math.min(HASH_LENGTH, length - written);
                System.arraycopy(previous, 0, out, written, n);
                written += n;
            }
            return out;
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", ex);
        }
    }

    /** Writes sender (4 bytes) and session (8 bytes) big-endian at {@code at}: the per-session part of an info. */
    static int putSenderSession(final byte[] info, final int at, final int sender, final long session)
    {
        int i = at;
        for (int shift = 24; shift >= 0; shift -= 8)
        {
            info[i++] = (byte)(sender >>> shift);
        }
        for (int shift = 56; shift >= 0; shift -= 8)
        {
            info[i++] = (byte)(session >>> shift);
        }
        return i;
    }

    static byte[] label(final String purpose, final String clusterName)
    {
        return ("ringmaster totem v1|" + purpose + "|" + clusterName).getBytes(StandardCharsets.UTF_8);
    }
}
