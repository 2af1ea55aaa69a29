package org.ringmaster.totem.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Datagram security settings, read like corosync's {@code totem.crypto_hash} and
 * {@code totem.crypto_cipher}. Immutable.
 *
 * <p>Defaults: a key that is not set takes {@code sha256} / {@code aes256}, so a config that says
 * nothing gets AES-256-GCM. Security is off only when both are written as {@code none}.
 *
 * <table>
 *   <caption>accepted values</caption>
 *   <tr><th>crypto_hash</th><th>meaning</th></tr>
 *   <tr><td>sha256 sha384 sha512</td><td>HMAC with that hash (when crypto_cipher is none)</td></tr>
 *   <tr><td>sha1</td><td>upgraded to sha256 with a warning: Ringmaster does not share corosync's wire
 *       format, so there is nothing to stay compatible with, and it was corosync 2's default</td></tr>
 *   <tr><td>md5</td><td>rejected: a broken hash that no one should configure on purpose</td></tr>
 *   <tr><th>crypto_cipher</th><th></th></tr>
 *   <tr><td>aes256</td><td>AES-256-GCM; needs crypto_hash other than none, like corosync</td></tr>
 *   <tr><td>aes128 aes192</td><td>upgraded to aes256 with a warning (the key comes from the authkey anyway)</td></tr>
 *   <tr><td>3des</td><td>rejected</td></tr>
 * </table>
 */
public final class CryptoConfig
{
    public static final String HASH_KEY = "totem.crypto_hash";
    public static final String CIPHER_KEY = "totem.crypto_cipher";
    /** sha256 + aes256: what an unset config means. */
    public static final CryptoConfig DEFAULT = new CryptoConfig(CryptoHash.SHA256, CryptoCipher.AES256, List.of());

    private static final Logger LOG = LoggerFactory.getLogger(CryptoConfig.class);

    private final CryptoHash hash;
    private final CryptoCipher cipher;
    private final List<String> warnings;

    private CryptoConfig(final CryptoHash hash, final CryptoCipher cipher, final List<String> warnings)
    {
        if (cipher != CryptoCipher.NONE && hash == CryptoHash.NONE)
        {
            throw new IllegalArgumentException(CIPHER_KEY + "=" + cipher.configName() + " needs " + HASH_KEY
                + " other than none (as in corosync); to turn datagram security off set both to none");
        }
        this.hash = hash;
        this.cipher = cipher;
        this.warnings = List.copyOf(warnings);
    }

    public static CryptoConfig of(final CryptoHash hash, final CryptoCipher cipher)
    {
        return new CryptoConfig(hash, cipher, List.of());
    }

    /**
     * Parse the two corosync.conf values; null means the key is not set and takes its default.
     *
     * @throws IllegalArgumentException naming the key and the value.
     */
    public static CryptoConfig parse(final String cryptoHash, final String cryptoCipher)
    {
        final List<String> warnings = new ArrayList<>();
        final CryptoHash hash = cryptoHash == null ? CryptoHash.SHA256 : parseHash(cryptoHash.trim(), warnings);
        final CryptoCipher cipher =
            cryptoCipher == null ? CryptoCipher.AES256 : parseCipher(cryptoCipher.trim(), warnings);
        final CryptoConfig config = new CryptoConfig(hash, cipher, warnings);
        warnings.forEach(LOG::warn);
        return config;
    }

    private static CryptoHash parseHash(final String value, final List<String> warnings)
    {
        switch (value.toLowerCase(Locale.ROOT))
        {
            case "none":
                return CryptoHash.NONE;
            case "sha256":
                return CryptoHash.SHA256;
            case "sha384":
                return CryptoHash.SHA384;
            case "sha512":
                return CryptoHash.SHA512;
            case "sha1":
                warnings.add(HASH_KEY + "=sha1 is upgraded to sha256 (all nodes run Ringmaster, so nothing needs sha1)");
                return CryptoHash.SHA256;
            case "md5":
                throw new IllegalArgumentException(HASH_KEY + "=md5 is not accepted: md5 is broken;"
                    + " use sha256, sha384 or sha512");
            default:
                throw new IllegalArgumentException(HASH_KEY + "=" + value
                    + " is not one of none, sha256, sha384, sha512 (sha1 is read as sha256)");
        }
    }

    private static CryptoCipher parseCipher(final String value, final List<String> warnings)
    {
        switch (value.toLowerCase(Locale.ROOT))
        {
            case "none":
                return CryptoCipher.NONE;
            case "aes256":
                return CryptoCipher.AES256;
            case "aes128":
            case "aes192":
                warnings.add(CIPHER_KEY + "=" + value + " is upgraded to aes256 (the key is derived from the authkey)");
                return CryptoCipher.AES256;
            case "3des":
                throw new IllegalArgumentException(CIPHER_KEY + "=3des is not accepted: use aes256");
            default:
                throw new IllegalArgumentException(CIPHER_KEY + "=" + value + " is not one of none, aes256");
        }
    }

    public CryptoHash hash()
    {
        return hash;
    }

    public CryptoCipher cipher()
    {
        return cipher;
    }

    /** False only for an explicit {@code none}/{@code none}: datagrams then travel unauthenticated. */
    public boolean secure()
    {
        return hash != CryptoHash.NONE;
    }

    /** Values that were accepted but changed (e.g. sha1 read as sha256); already logged. */
    public List<String> warnings()
    {
        return warnings;
    }

    /** How datagrams are sealed under this config. */
    SealMode mode()
    {
        if (cipher == CryptoCipher.AES256)
        {
            return SealMode.AES256_GCM;
        }
        switch (hash)
        {
            case SHA256:
                return SealMode.HMAC_SHA256;
            case SHA384:
                return SealMode.HMAC_SHA384;
            case SHA512:
                return SealMode.HMAC_SHA512;
            default:
                return SealMode.NONE;
        }
    }

    @Override
    public String toString()
    {
        return "CryptoConfig{crypto_hash=" + hash.configName() + ", crypto_cipher=" + cipher.configName() + '}';
    }
}
