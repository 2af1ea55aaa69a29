package org.ringmaster.totem.security;

import java.security.DigestException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

/**
 * HMAC (RFC 2104) computed on a {@link MessageDigest} into the caller's array, allocating nothing
 * per call. {@code javax.crypto.Mac.doFinal(byte[], int)} cannot do that: on JDK 17 it builds the
 * tag in a new array and copies it out (a 48-byte array per HMAC-SHA-256 datagram). Same digest,
 * same intrinsics, same tags as {@code Mac} (proven against it by the tests). One instance per thread.
 */
final class HmacDigest
{
    private static final byte IPAD = 0x36;
    private static final byte OPAD = 0x5c;

    private final MessageDigest digest;
    private final byte[] innerPad;
    private final byte[] outerPad;
    private final byte[] inner;

    /**
     * @param digestName a JCE MessageDigest name (SHA-256, SHA-384, SHA-512)
     * @param blockLength the digest's block size in bytes (64 for SHA-256, 128 for SHA-384/512)
     */
    HmacDigest(final String digestName, final int blockLength, final byte[] key) throws GeneralSecurityException
    {
        digest = MessageDigest.getInstance(digestName);
        inner = new byte[digest.getDigestLength()];
        // A key longer than a block is replaced by its digest, a shorter one padded with zeros.
        final byte[] k = key.length > blockLength ? digest.digest(key) : key;
        innerPad = new byte[blockLength];
        outerPad = new byte[blockLength];
        for (int i = 0; i < blockLength; i++)
        {
            final byte b = i < k.length ? k[i] : 0;
            innerPad[i] = (byte)(b ^ IPAD);
            outerPad[i] = (byte)(b ^ OPAD);
        }
        if (k != key)
        {
            Arrays.fill(k, (byte)0);
        }
    }

    int length()
    {
        return inner.length;
    }

    /**
     * HMAC of {@code data[offset, offset+length)} into {@code tag[tagOffset, tagOffset+length())}.
     * Bounds are checked before the digest is touched, so a bad call leaves the instance usable.
     */
    void compute(final byte[] data, final int offset, final int length, final byte[] tag, final int tagOffset)
    {
        Objects.checkFromIndexSize(offset, length, data.length);
        if (tagOffset < 0 || tag.length - tagOffset < inner.length)
        {
            throw new IllegalArgumentException("no room for a " + inner.length + "-byte HMAC at " + tagOffset
                + " of a " + tag.length + "-byte array");
        }
        try
        {
            digest.update(innerPad);
            digest.update(data, offset, length);
            digest.digest(inner, 0, inner.length);
            digest.update(outerPad);
            digest.update(inner);
            digest.digest(tag, tagOffset, inner.length);
        }
        catch (final DigestException ex)
        {
            digest.reset();
            throw new IllegalStateException(digest.getAlgorithm() + " refused a checked output range", ex);
        }
    }
}
