package org.ringmaster.totem.security;

/** corosync's {@code crypto_cipher}: {@code aes256} encrypts and authenticates each datagram with AES-256-GCM. */
public enum CryptoCipher
{
    NONE("none"),
    AES256("aes256");

    private final String configName;

    CryptoCipher(final String configName)
    {
        this.configName = configName;
    }

    /** The value as written in corosync.conf. */
    public String configName()
    {
        return configName;
    }
}
