package org.ringmaster.totem.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ringmaster.totem.transport.TransportCounters;
import org.ringmaster.totem.transport.TransportCounters.Drop;

/** crypto_cipher aes256: short frames sealed with AES-CTR + HMAC, long ones with AES-GCM. */
@Timeout(30)
class AesSealTest
{
    private static final AuthKey KEY = AuthKey.generate(new SecureRandom(), 256);
    private static final List<Integer> NODES = List.of(1, 2);
    private static final int INNER_MAX = 1472;
    private static final int SHORT = AesSeal.SHORT_PAYLOAD;

    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final MemoryTransport.Net net = new MemoryTransport.Net(INNER_MAX);

    private SecureTransport node(final MemoryTransport inner, final SealMode mode, final long session)
    {
        return new SecureTransport(inner, mode, KEY, NODES, "test", new SecureRandom(), clock::get,
            SecureTransport.DEFAULT_SESSION_TAKEOVER_NS, session);
    }

    private static byte[] pattern(final int length)
    {
        final byte[] b = new byte[length];
        for (int i = 0; i < length; i++)
        {
            b[i] = (byte)('a' + i % 26);
        }
        return b;
    }

    private static List<byte[]> drain(final SecureTransport t)
    {
        final List<byte[]> got = new ArrayList<>();
        t.poll((b, o, l) ->
        {
            final byte[] copy = new byte[l];
            b.getBytes(o, copy);
            got.add(copy);
        }, Integer.MAX_VALUE);
        return got;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 15, 16, 17, 100, SHORT, SHORT + 1, 1024, INNER_MAX - 24 - 16})
    void eachLengthTakesItsSealRoundTripsAndHidesThePayload(final int length)
    {
        final MemoryTransport a = net.join(1);
        final MemoryTransport b = net.join(2);
        final SecureTransport sender = node(a, SealMode.AES256_GCM, 1L << 32 | 1);
        final SecureTransport receiver = node(b, SealMode.AES256_GCM, 1L << 32 | 2);
        final byte[] payload = pattern(length);
        assertThat(sender.unicast(2, new UnsafeBuffer(payload), 0, length)).isTrue();

        final byte[] frame = a.sent().get(0);
        final int expectedMode = length <= SHORT ? SealMode.AES256_CTR_HMAC_SHA256.code : SealMode.AES256_GCM.code;
        assertThat(frame[Frame.MODE_OFFSET] & 0xff).isEqualTo(expectedMode);
        assertThat(frame).hasSize(Frame.HEADER_LENGTH + length + 16);
        if (length >= 8)
        {
            // No 8-byte run of the plaintext survives encryption.
            final String wire = new String(frame, StandardCharsets.ISO_8859_1);
            assertThat(wire).doesNotContain(new String(payload, 0, 8, StandardCharsets.ISO_8859_1));
        }
        final List<byte[]> got = drain(receiver);
        assertThat(got).hasSize(1);
        assertThat(got.get(0)).isEqualTo(payload);
    }

    @ParameterizedTest
    @ValueSource(ints = {14, SHORT, SHORT + 1})
    void everyTamperedBitOnEitherSideOfTheBoundaryIsDetected(final int length)
    {
        final MemoryTransport a = net.join(1);
        final MemoryTransport b = net.join(2);
        final SecureTransport sender = node(a, SealMode.AES256_GCM, 1L << 32 | 1);
        final SecureTransport receiver = node(b, SealMode.AES256_GCM, 1L << 32 | 2);
        sender.unicast(2, new UnsafeBuffer(pattern(length)), 0, length);
        final byte[] frame = a.sent().get(0);
        b.loseInbox();
        int injected = 0;
        for (int i = 0; i < frame.length; i++)
        {
            for (int bit = 0; bit < 8; bit++)
            {
                final byte[] bad = frame.clone();
                bad[i] ^= (byte)(1 << bit);
                b.inject(bad);
                injected++;
            }
        }
        assertThat(drain(receiver)).isEmpty();
        final TransportCounters c = receiver.counters();
        assertThat(c.drops(Drop.AUTH_FAILED) + c.drops(Drop.UNKNOWN_SENDER)).isEqualTo(injected);
        b.inject(frame);
        assertThat(drain(receiver)).hasSize(1);
    }

    @Test
    void aFrameCannotBeMovedToTheOtherSealByItsModeByte()
    {
        final MemoryTransport a = net.join(1);
        final MemoryTransport b = net.join(2);
        final SecureTransport sender = node(a, SealMode.AES256_GCM, 1L << 32 | 1);
        final SecureTransport receiver = node(b, SealMode.AES256_GCM, 1L << 32 | 2);
        sender.unicast(2, new UnsafeBuffer(pattern(10)), 0, 10);
        sender.unicast(2, new UnsafeBuffer(pattern(500)), 0, 500);
        b.loseInbox();
        final byte[] shortFrame = a.sent().get(0).clone();
        shortFrame[Frame.MODE_OFFSET] = (byte)SealMode.AES256_GCM.code;
        final byte[] longFrame = a.sent().get(1).clone();
        longFrame[Frame.MODE_OFFSET] = (byte)SealMode.AES256_CTR_HMAC_SHA256.code;
        b.inject(shortFrame);
        b.inject(longFrame);
        assertThat(drain(receiver)).isEmpty();
        assertThat(receiver.counters().drops(Drop.AUTH_FAILED)).isEqualTo(2);
    }

    @Test
    void anHmacOnlyNodeRefusesShortAesFramesAndTheReverse()
    {
        final MemoryTransport a = net.join(1);
        final MemoryTransport b = net.join(2);
        final SecureTransport aes = node(a, SealMode.AES256_GCM, 1L << 32 | 1);
        final SecureTransport hmac = node(b, SealMode.HMAC_SHA256, 1L << 32 | 2);
        // 40 bytes: both frames are long enough for either mode, so the mode byte is what refuses them.
        aes.unicast(2, new UnsafeBuffer(pattern(40)), 0, 40);
        hmac.unicast(1, new UnsafeBuffer(pattern(40)), 0, 40);
        assertThat(drain(hmac)).isEmpty();
        assertThat(drain(aes)).isEmpty();
        assertThat(hmac.counters().drops(Drop.AUTH_FAILED)).isEqualTo(1);
        assertThat(aes.counters().drops(Drop.AUTH_FAILED)).isEqualTo(1);
    }

    @Test
    void aRestartedSenderNeverReusesAShortFrameKeystream()
    {
        // Two lives of node 1 seal the same first short frame: same counter, a new session key.
        final MemoryTransport first = net.join(1);
        node(first, SealMode.AES256_GCM, 1L << 32 | 1).unicast(2, new UnsafeBuffer(pattern(64)), 0, 64);
        final MemoryTransport second = net.join(1);
        node(second, SealMode.AES256_GCM, 2L << 32 | 9).unicast(2, new UnsafeBuffer(pattern(64)), 0, 64);
        final byte[] x = first.sent().get(0);
        final byte[] y = second.sent().get(0);
        assertThat(GcmSeal.readLong(x, Frame.COUNTER_OFFSET)).isEqualTo(GcmSeal.readLong(y, Frame.COUNTER_OFFSET));
        assertThat(Arrays.copyOfRange(x, Frame.HEADER_LENGTH, Frame.HEADER_LENGTH + 64))
            .isNotEqualTo(Arrays.copyOfRange(y, Frame.HEADER_LENGTH, Frame.HEADER_LENGTH + 64));
    }

    @Test
    void consecutiveShortFramesOfOneSessionUseDifferentKeystreams()
    {
        final MemoryTransport a = net.join(1);
        final SecureTransport sender = node(a, SealMode.AES256_GCM, 1L << 32 | 1);
        final byte[] zeros = new byte[64];
        sender.unicast(2, new UnsafeBuffer(zeros), 0, 64);
        sender.unicast(2, new UnsafeBuffer(zeros), 0, 64);
        // Encrypting zeros reveals the keystream itself: it must differ per frame and per block.
        final byte[] k1 = Arrays.copyOfRange(a.sent().get(0), Frame.HEADER_LENGTH, Frame.HEADER_LENGTH + 64);
        final byte[] k2 = Arrays.copyOfRange(a.sent().get(1), Frame.HEADER_LENGTH, Frame.HEADER_LENGTH + 64);
        assertThat(k1).isNotEqualTo(k2);
        assertThat(Arrays.copyOfRange(k1, 0, 16)).isNotEqualTo(Arrays.copyOfRange(k1, 16, 32));
    }
}
