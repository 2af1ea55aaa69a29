package org.ringmaster.totem.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Collection;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.agrona.collections.Int2ObjectHashMap;

/**
 * AES-256-GCM: the payload is encrypted, header and payload are authenticated (the header as
 * associated data), 16-byte tag.
 *
 * <p>Nonce uniqueness: every (sender, session) has its own key, derived from the GCM master key,
 * and the 96-bit nonce is the sender id and the session's counter, which only ever goes up. A
 * restart picks a new random session and so a new key; nonces therefore never repeat under one key
 * even though all nodes share the authkey and nothing is persisted.
 *
 * <p>Allocation: the JDK 17 SunJCE GCM builds a new engine at every {@code init} (GHASH and counter
 * state, the AAD buffer, copies of key and nonce): about 1 KB per sealed or opened datagram,
 * whatever its size, and javax.crypto offers no way to re-key a GCM cipher without it. Nothing here
 * adds to that: frames are sealed in place (the JCE copies nothing for that) and opened into a
 * scratch array, since an in-place decryption may make the JCE copy the ciphertext first (seen with
 * 64-byte payloads: ~136 bytes more).
 * {@code SealAllocationTest} holds the bound.
 */
final class GcmSeal implements Seal
{
    private static final String AES = "AES";
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final int TAG_BITS = 128;
    private static final int NONCE_LENGTH = 12;
    private static final byte[] SESSION_LABEL = "ringmaster totem v1|aes256-gcm session|".getBytes(StandardCharsets.US_ASCII);

    private final Mac derive;
    private final byte[] deriveInfo = new byte[SESSION_LABEL.length + 4 + 8 + 1];
    private final Cipher sendCipher;
    private final byte[] sendNonce = new byte[NONCE_LENGTH];
    private final byte[] receiveNonce = new byte[NONCE_LENGTH];
    private final byte[] opened;
    /**
     * A decrypting cipher per sender: the JCE keeps the expanded AES key of the last init, so a
     * cipher per sender skips the key schedule that one shared cipher would redo at every change of
     * sender. Session keys are cached as {@link SessionKeys} says.
     */
    private final Int2ObjectHashMap<Cipher> receiveCiphers = new Int2ObjectHashMap<>();
    private final SessionKeys<SecretKeySpec> senders;
    private SecretKeySpec sendKey;

    /** @param maxFrameLength the longest sealed frame this seal is given to open. */
    GcmSeal(final byte[] masterKey, final Collection<Integer> nodeIds, final int maxFrameLength)
    {
        opened = new byte[maxFrameLength];
        try
        {
            derive = Mac.getInstance(Hkdf.ALGORITHM);
            derive.init(new SecretKeySpec(masterKey, Hkdf.ALGORITHM));
            sendCipher = Cipher.getInstance(TRANSFORMATION);
            for (final int id : nodeIds)
            {
                receiveCiphers.put(id, Cipher.getInstance(TRANSFORMATION));
            }
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("AES/GCM or HmacSHA256 is not available in this JVM", ex);
        }
        System.arraycopy(SESSION_LABEL, 0, deriveInfo, 0, SESSION_LABEL.length);
        senders = new SessionKeys<>(nodeIds, this::sessionKey);
    }

    @Override
    public SealMode mode()
    {
        return SealMode.AES256_GCM;
    }

    @Override
    public void startSession(final int localNodeId, final long session)
    {
        sendKey = sessionKey(localNodeId, session);
    }

    /** HKDF-Expand(master, label | sender | session, 32): one block of HMAC-SHA-256. */
    private SecretKeySpec sessionKey(final int sender, final long session)
    {
        final int i = Hkdf.putSenderSession(deriveInfo, SESSION_LABEL.length, sender, session);
        deriveInfo[i] = 1;
        final byte[] key = derive.doFinal(deriveInfo);
        final SecretKeySpec spec = new SecretKeySpec(key, AES);
        java.util.Arrays.fill(key, (byte)0);
        return spec;
    }

    private static void nonce(final byte[] nonce, final int sender, final long counter)
    {
        nonce[0] = (byte)(sender >>> 24);
        nonce[1] = (byte)(sender >>> 16);
        nonce[2] = (byte)(sender >>> 8);
        nonce[3] = (byte)sender;
        for (int i = 0; i < 8; i++)
        {
            nonce[4 + i] = (byte)(counter >>> (56 - 8 * i));
        }
    }

    @Override
    public int seal(final byte[] frame, final int payloadLength)
    {
        nonce(sendNonce, readInt(frame, Frame.SENDER_OFFSET), readLong(frame, Frame.COUNTER_OFFSET));
        try
        {
            // JCE wants a fresh parameter object per init; this and the engine the JCE builds
            // at each init are the per-datagram allocations javax.crypto leaves no way around.
            sendCipher.init(Cipher.ENCRYPT_MODE, sendKey, new GCMParameterSpec(TAG_BITS, sendNonce));
            sendCipher.updateAAD(frame, 0, Frame.HEADER_LENGTH);
            return Frame.HEADER_LENGTH
                + sendCipher.doFinal(frame, Frame.HEADER_LENGTH, payloadLength, frame, Frame.HEADER_LENGTH);
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("AES-GCM sealing failed", ex);
        }
    }

    @Override
    public int open(final byte[] frame, final int length, final int sender, final long session, final long counter)
    {
        final Cipher receiveCipher = receiveCiphers.get(sender);
        final SecretKeySpec key = receiveCipher == null ? null : senders.keys(sender, session);
        if (key == null)
        {
            return -1;
        }
        nonce(receiveNonce, sender, counter);
        try
        {
            receiveCipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, receiveNonce));
            receiveCipher.updateAAD(frame, 0, Frame.HEADER_LENGTH);
            final int plain = receiveCipher.doFinal(
                frame, Frame.HEADER_LENGTH, length - Frame.HEADER_LENGTH, opened, 0);
            System.arraycopy(opened, 0, frame, Frame.HEADER_LENGTH, plain);
            return plain;
        }
        catch (final GeneralSecurityException | IllegalStateException ex)
        {
            return -1;
        }
    }

    @Override
    public void accepted(final int sender, final long session)
    {
        senders.accepted(sender, session);
    }

    static int readInt(final byte[] b, final int at)
    {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }

    static long readLong(final byte[] b, final int at)
    {
        return (long)readInt(b, at) << 32 | (readInt(b, at + 4) & 0xffff_ffffL);
    }
}
