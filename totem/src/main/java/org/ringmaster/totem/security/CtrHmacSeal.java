package org.ringmaster.totem.security;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Collection;

import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;


/**
 * AES-256 in counter mode, then HMAC-SHA-256 over header and ciphertext (encrypt-then-MAC, tag cut
 * to 16 bytes as RFC 4868 does): the seal for short frames under {@code crypto_cipher aes256}, see
 * {@link AesSeal}. It allocates nothing per frame, unlike the JDK's AES-GCM, which builds a new
 * engine (~1 KB) at every init; for frames of up to a few hundred bytes it is also as fast.
 *
 * <p>Keys: every (sender, session) has its own AES key and its own HMAC key, expanded with HKDF
 * from this seal's master key, which is itself expanded from the authkey under a label of its own:
 * no key is shared with AES-GCM or with any other (sender, session). The keystream is AES of the
 * counter blocks {@code sender | frame counter | block index}; the frame counter only goes up
 * within a session, so no counter block is ever encrypted twice under one key. The keystream comes
 * from an {@code AES/ECB/NoPadding} cipher initialised once per session key, so the JDK's AES
 * intrinsics do the work without a per-frame init.
 *
 * <p>Opening checks the tag (constant time) before decrypting. Keys are cached per sender as
 * {@link SessionKeys} says. One instance belongs to one transport thread.
 */
final class CtrHmacSeal implements Seal
{
    static final int TAG_LENGTH = 16;
    private static final int BLOCK = 16;
    private static final String HASH = "SHA-256";
    private static final int HASH_BLOCK = 64;
    private static final int KEY_LENGTH = 32;
    /** The master key already names the cluster; this separates the per-session keys from any other use. */
    private static final byte[] SESSION_LABEL = Hkdf.label("aes256-ctr-hmac-sha256 session", "");

    private final byte[] masterKey;
    private final int maxPayload;
    private final byte[] counterBlocks;
    private final byte[] keystream;
    private final byte[] tag = new byte[32];
    private final SessionKeys<Keys> senders;
    private Keys sendKeys;

    /** Keys of one (sender, session): a keystream cipher and a MAC. */
    private static final class Keys
    {
        final Cipher keystream;
        final HmacDigest mac;

        Keys(final Cipher keystream, final HmacDigest mac)
        {
            this.keystream = keystream;
            this.mac = mac;
        }
    }

    /**
     * @param masterKey  32 bytes from the authkey, for this seal alone
     * @param nodeIds    every member, this node included
     * @param maxPayload the longest payload this seal is given
     */
    CtrHmacSeal(final byte[] masterKey, final Collection<Integer> nodeIds, final int maxPayload)
    {
        this.masterKey = masterKey.clone();
        this.maxPayload = maxPayload;
        final int blocks = (maxPayload + BLOCK - 1) / BLOCK;
        this.counterBlocks = new byte[blocks * BLOCK];
        this.keystream = new byte[blocks * BLOCK];
        this.senders = new SessionKeys<>(nodeIds, this::keys);
    }

    @Override
    public SealMode mode()
    {
        return SealMode.AES256_CTR_HMAC_SHA256;
    }

    @Override
    public void startSession(final int localNodeId, final long session)
    {
        sendKeys = keys(localNodeId, session);
    }

    /** HKDF-Expand(master, label | sender | session, 64): the AES key, then the HMAC key. */
    private Keys keys(final int sender, final long session)
    {
        final byte[] info = Arrays.copyOf(SESSION_LABEL, SESSION_LABEL.length + 12);
        Hkdf.putSenderSession(info, SESSION_LABEL.length, sender, session);
        final byte[] material = Hkdf.expand(masterKey, info, 2 * KEY_LENGTH);
        try
        {
            final Cipher cipher = Cipher.getInstance("AES/ECB/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(material, 0, KEY_LENGTH, "AES"));
            final byte[] macKey = Arrays.copyOfRange(material, KEY_LENGTH, 2 * KEY_LENGTH);
            final HmacDigest mac = new HmacDigest(HASH, HASH_BLOCK, macKey);
            Arrays.fill(macKey, (byte)0);
            return new Keys(cipher, mac);
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("AES/ECB or SHA-256 is not available in this JVM", ex);
        }
        finally
        {
            Arrays.fill(material, (byte)0);
        }
    }

    @Override
    public int seal(final byte[] frame, final int payloadLength)
    {
        if (payloadLength > maxPayload)
        {
            throw new IllegalArgumentException("payload of " + payloadLength + " bytes exceeds " + maxPayload);
        }
        crypt(sendKeys, frame, payloadLength);
        final int covered = Frame.HEADER_LENGTH + payloadLength;
        sendKeys.mac.compute(frame, 0, covered, tag, 0);
        System.arraycopy(tag, 0, frame, covered, TAG_LENGTH);
        return covered + TAG_LENGTH;
    }

    @Override
    public int open(final byte[] frame, final int length, final int sender, final long session, final long counter)
    {
        final int payloadLength = length - Frame.HEADER_LENGTH - TAG_LENGTH;
        final Keys keys = payloadLength < 0 || payloadLength > maxPayload ? null : senders.keys(sender, session);
        if (keys == null)
        {
            return -1;
        }
        final int covered = Frame.HEADER_LENGTH + payloadLength;
        keys.mac.compute(frame, 0, covered, tag, 0);
        if (!HmacSeal.constantTimeEquals(tag, frame, covered, TAG_LENGTH))
        {
            return -1;
        }
        crypt(keys, frame, payloadLength);
        return payloadLength;
    }

    @Override
    public void accepted(final int sender, final long session)
    {
        senders.accepted(sender, session);
    }

    /** XORs the payload with AES(sender | counter | block) for each of its blocks: counter mode. */
    private void crypt(final Keys keys, final byte[] frame, final int payloadLength)
    {
        if (payloadLength == 0)
        {
            return;
        }
        final int blocks = (payloadLength + BLOCK - 1) / BLOCK;
        for (int b = 0; b < blocks; b++)
        {
            final int at = b * BLOCK;
            // sender (4) and frame counter (8) are the header's bytes 4..15 and 16..23.
            System.arraycopy(frame, Frame.SENDER_OFFSET, counterBlocks, at, 4);
            System.arraycopy(frame, Frame.COUNTER_OFFSET, counterBlocks, at + 4, 8);
            counterBlocks[at + 12] = (byte)(b >>> 24);
            counterBlocks[at + 13] = (byte)(b >>> 16);
            counterBlocks[at + 14] = (byte)(b >>> 8);
            counterBlocks[at + 15] = (byte)b;
        }
        try
        {
            keys.keystream.update(counterBlocks, 0, blocks * BLOCK, keystream, 0);
        }
        catch (final ShortBufferException ex)
        {
            throw new IllegalStateException("keystream buffer of " + keystream.length + " bytes too short", ex);
        }
        for (int i = 0; i < payloadLength; i++)
        {
            frame[Frame.HEADER_LENGTH + i] ^= keystream[i];
        }
    }
}
