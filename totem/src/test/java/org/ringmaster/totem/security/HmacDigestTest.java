package org.ringmaster.totem.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HmacDigestTest
{
    /** The wire must not change: every tag equals javax.crypto.Mac's for keys shorter, equal to and longer than a block. */
    @ParameterizedTest
    @EnumSource(value = CryptoHash.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void tagsEqualJceMac(final CryptoHash hash) throws Exception
    {
        final Random random = new Random(hash.ordinal());
        for (final int keyLength : new int[] {1, 16, hash.tagLength(), hash.blockLength(), hash.blockLength() + 1, 300})
        {
            final byte[] key = new byte[keyLength];
            random.nextBytes(key);
            final HmacDigest mine = new HmacDigest(hash.digestName(), hash.blockLength(), key);
            final Mac jce = Mac.getInstance(hash.jceName());
            jce.init(new SecretKeySpec(key, hash.jceName()));
            for (final int length : new int[] {0, 1, 24, 63, 64, 65, 127, 128, 129, 1024, 1472})
            {
                final byte[] data = new byte[length + 7];
                random.nextBytes(data);
                final byte[] tag = new byte[hash.tagLength() + 5];
                mine.compute(data, 7, length, tag, 5);
                jce.update(data, 7, length);
                assertThat(Arrays.copyOfRange(tag, 5, tag.length))
                    .as("%s key %d bytes, data %d bytes", hash, keyLength, length)
                    .isEqualTo(jce.doFinal());
            }
        }
    }

    @Test
    void rfc4231TestCase2()
    {
        // RFC 4231 4.3: key "Jefe", data "what do ya want for nothing?".
        final HmacDigest mac = hmac(CryptoHash.SHA256, "Jefe".getBytes());
        final byte[] data = "what do ya want for nothing?".getBytes();
        final byte[] tag = new byte[32];
        mac.compute(data, 0, data.length, tag, 0);
        assertThat(hex(tag)).isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
        // The instance is reusable: the same input gives the same tag again.
        final byte[] again = new byte[32];
        mac.compute(data, 0, data.length, again, 0);
        assertThat(again).isEqualTo(tag);
    }

    @Test
    void noRoomForTheTagIsACallersErrorAndLeavesTheInstanceUsable()
    {
        final HmacDigest mac = hmac(CryptoHash.SHA512, new byte[64]);
        final byte[] data = new byte[100];
        assertThatThrownBy(() -> mac.compute(data, 0, 10, new byte[70], 10))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("64-byte HMAC at 10 of a 70-byte array");
        assertThatThrownBy(() -> mac.compute(data, 95, 10, new byte[64], 0))
            .isInstanceOf(IndexOutOfBoundsException.class);
        final byte[] tag = new byte[64];
        final byte[] expected = new byte[64];
        mac.compute(data, 0, 10, tag, 0);
        hmac(CryptoHash.SHA512, new byte[64]).compute(data, 0, 10, expected, 0);
        assertThat(tag).isEqualTo(expected);
    }

    private static HmacDigest hmac(final CryptoHash hash, final byte[] key)
    {
        try
        {
            return new HmacDigest(hash.digestName(), hash.blockLength(), key);
        }
        catch (final java.security.GeneralSecurityException ex)
        {
            throw new AssertionError(ex);
        }
    }

    private static String hex(final byte[] b)
    {
        final StringBuilder s = new StringBuilder();
        for (final byte x : b)
        {
            s.append(String.format("%02x", x));
        }
        return s.toString();
    }
}
