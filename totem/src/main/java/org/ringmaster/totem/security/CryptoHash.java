package org.ringmaster.totem.security;


/**
 * corosync's {@code crypto_hash}: the HMAC that authenticates each datagram when
 * {@code crypto_cipher} is {@code none}. Under {@code crypto_cipher: aes256} the AES-GCM tag
 * authenticates instead, and the hash only has to be other than {@code none} (as in corosync).
 */
public enum CryptoHash
{
    NONE("none", null, 0),
    SHA256("sha256", "HmacSHA256", 32),
    SHA384("sha384", "HmacSHA384", 48),
    SHA512("sha512", "HmacSHA512", 64);

    private final String configName;
    private final String jceName;
    private final int tagLength;

    CryptoHash(final String configName, final String jceName, final int tagLength)
    {
        this.configName = configName;
        this.jceName = jceName;
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

    int tagLength()
    {
        return tagLength;
    }
}
