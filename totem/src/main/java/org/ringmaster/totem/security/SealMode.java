package org.ringmaster.totem.security;

/** How a datagram is sealed; the code is the frame's mode byte and is stable. */
enum SealMode
{
    NONE(0, 0),
    HMAC_SHA256(1, 32),
    HMAC_SHA384(2, 48),
    HMAC_SHA512(3, 64),
    AES256_GCM(4, 16),
    /** Short frames under crypto_cipher aes256 ({@link AesSeal}): AES-256-CTR, then HMAC-SHA-256 cut to 16 bytes. */
    AES256_CTR_HMAC_SHA256(5, 16);

    final int code;
    final int tagLength;

    SealMode(final int code, final int tagLength)
    {
        this.code = code;
        this.tagLength = tagLength;
    }

    static SealMode of(final int code)
    {
        for (final SealMode m : values())
        {
            if (m.code == code)
            {
                return m;
            }
        }
        return null;
    }
}
