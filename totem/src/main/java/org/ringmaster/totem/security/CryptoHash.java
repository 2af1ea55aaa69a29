package org.ringmaster.totem.security;


/**
 * corosync's {@code crypto_hash}: the HMAC that authenticates each datagram when
 * {@code crypto_cipher} is {@code none}. Under {@code crypto_cipher: aes256} the AES-GCM tag
 * authenticates instead, and the hash only has to be other than {@code none} (as in corosync).
 */
public enum CryptoHash
{
    NONE("none", null, null, 0, 0),
    SHA256("sha256", "HmacSHA256", "SHA-256", 64, 32),
    SHA384("sha384", "HmacSHA384", "SHA-384", 128, 48),
    SHA512("sha512", "HmacSHA512", "SHA-512", 128, 64);

    private final String configName;
    private final String jceName;
    private final String digestName;
    private final int blockLength;
    private final int tagLength;

    CryptoHash(
        final String configName, final String jceName, final String digestName, final int blockLength,
        final int tagLength)
    {
        this.configName = configName;
        this.jceName = jceName;
        this.digestName = digestName;
        this.blockLength = blockLength;
        this.tagLength = tagLength;
    }

    /** The value as written in corosync.conf. */
    public String configName()
    {
        return configName;
    }

    String jceName()
    {
        return jceName;
    }

    /** The JCE MessageDigest under the HMAC ({@link HmacDigest}). */
    String digestName()
    {
        return digestName;
    }

    /** The digest's block size, the length of HMAC's padded key. */
    int blockLength()
    {
        return blockLength;
    }

    int tagLength()
    {
        return tagLength;
    }
}
