package org.ringmaster.totem.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class CryptoConfigTest
{
    @Test
    void unsetKeysMeanAes256GcmAndNoneMustBeExplicitForBoth()
    {
        assertThat(CryptoConfig.parse(null, null).mode()).isEqualTo(SealMode.AES256_GCM);
        assertThat(CryptoConfig.parse(null, null).secure()).isTrue();
        assertThat(CryptoConfig.parse("sha256", null).mode()).isEqualTo(SealMode.AES256_GCM);
        assertThat(CryptoConfig.parse(null, "none").mode()).isEqualTo(SealMode.HMAC_SHA256);
        assertThat(CryptoConfig.parse("none", "none").secure()).isFalse();
        assertThat(CryptoConfig.parse("none", "none").mode()).isEqualTo(SealMode.NONE);
        assertThatThrownBy(() -> CryptoConfig.parse("none", null))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("totem.crypto_cipher=aes256 needs totem.crypto_hash other than none");
        assertThatThrownBy(() -> CryptoConfig.parse("none", "aes256"))
            .hasMessageContaining("to turn datagram security off set both to none");
    }

    @Test
    void eachHashMapsToItsHmacUnlessACipherIsOn()
    {
        assertThat(CryptoConfig.parse("sha256", "none").mode()).isEqualTo(SealMode.HMAC_SHA256);
        assertThat(CryptoConfig.parse("SHA384", "none").mode()).isEqualTo(SealMode.HMAC_SHA384);
        assertThat(CryptoConfig.parse(" sha512 ", "none").mode()).isEqualTo(SealMode.HMAC_SHA512);
        assertThat(CryptoConfig.parse("sha512", "aes256").mode()).isEqualTo(SealMode.AES256_GCM);
        assertThat(CryptoConfig.parse("sha384", "aes256").hash()).isEqualTo(CryptoHash.SHA384);
    }

    @Test
    void weakOrForeignValuesAreUpgradedWithAWarningOrRejectedByName()
    {
        final CryptoConfig sha1 = CryptoConfig.parse("sha1", "none");
        assertThat(sha1.hash()).isEqualTo(CryptoHash.SHA256);
        assertThat(sha1.warnings()).singleElement().asString().contains("totem.crypto_hash=sha1", "sha256");
        final CryptoConfig aes128 = CryptoConfig.parse("sha256", "aes128");
        assertThat(aes128.cipher()).isEqualTo(CryptoCipher.AES256);
        assertThat(aes128.warnings()).singleElement().asString().contains("totem.crypto_cipher=aes128");
        assertThat(CryptoConfig.parse("sha256", "aes192").cipher()).isEqualTo(CryptoCipher.AES256);
        assertThat(CryptoConfig.parse("sha256", "aes256").warnings()).isEmpty();

        assertThatThrownBy(() -> CryptoConfig.parse("md5", "none"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("totem.crypto_hash=md5");
        assertThatThrownBy(() -> CryptoConfig.parse("sha256", "3des"))
            .hasMessageContaining("totem.crypto_cipher=3des");
        assertThatThrownBy(() -> CryptoConfig.parse("crc32", "none"))
            .hasMessageContaining("totem.crypto_hash=crc32").hasMessageContaining("none, sha256, sha384, sha512");
        assertThatThrownBy(() -> CryptoConfig.parse("sha256", "blowfish"))
            .hasMessageContaining("totem.crypto_cipher=blowfish");
    }

    @Test
    void toStringUsesCorosyncNames()
    {
        assertThat(CryptoConfig.of(CryptoHash.SHA256, CryptoCipher.NONE))
            .hasToString("CryptoConfig{crypto_hash=sha256, crypto_cipher=none}");
    }
}
