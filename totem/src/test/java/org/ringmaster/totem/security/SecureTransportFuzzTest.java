package org.ringmaster.totem.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ringmaster.totem.transport.TransportCounters;
import org.ringmaster.totem.transport.TransportCounters.Drop;

/**
 * One million random, mutated and replayed datagrams per mode into a receiving SecureTransport,
 * mixed with fresh authentic ones: nothing escapes as an exception, every authentic datagram is
 * delivered intact exactly once, and every other one is counted under some drop reason.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SecureTransportFuzzTest
{
    private static final int DATAGRAMS = 1_000_000;
    private static final int INNER_MAX = 1472;

    @ParameterizedTest
    @EnumSource(value = SealMode.class, names = {"HMAC_SHA256", "AES256_GCM"})
    void aMillionHostileDatagramsAreDroppedAndCounted(final SealMode mode)
    {
        final long seed = new SecureRandom().nextLong();
        final SplittableRandom rng = new SplittableRandom(seed);
        final String replay = "replay with seed " + seed + "L for " + mode;

        final MemoryTransport.Net net = new MemoryTransport.Net(INNER_MAX);
        final MemoryTransport senderInner = net.join(1);
        final MemoryTransport rxInner = net.join(2);
        net.join(3);
        final List<Integer> nodes = List.of(1, 2, 3);
        final long[] clock = {0};
        final SecureTransport sender = new SecureTransport(senderInner, mode, SecureTransportTest.KEY, nodes, "fuzz",
            new SecureRandom(), () -> clock[0], SecureTransport.DEFAULT_SESSION_TAKEOVER_NS, 7L << 32 | 1);
        final SecureTransport rx = new SecureTransport(rxInner, mode, SecureTransportTest.KEY, nodes, "fuzz",
            new SecureRandom(), () -> clock[0], SecureTransport.DEFAULT_SESSION_TAKEOVER_NS, 7L << 32 | 2);

        final byte[][] delivered = new byte[256][];
        int deliveredCount = 0;
        final ArrayDeque<byte[]> expectedPayloads = new ArrayDeque<>();
        final long[] handedUp = {0};
        final long[] mismatches = {0};
        final byte[] payload = new byte[rx.maxDatagramLength()];
        long fresh = 0;

        for (int i = 0; i < DATAGRAMS; i++)
        {
            clock[0] += 1_000;
            final int kind = rng.nextInt(100);
            final byte[] datagram;
            if (kind < 10 || deliveredCount == 0)
            {
                // A fresh authentic datagram: must be delivered.
                final int length = rng.nextInt(8) == 0 ? rng.nextInt(payload.length + 1) : rng.nextInt(64);
                fillRandom(rng, payload, length);
                sender.unicast(2, new UnsafeBuffer(payload), 0, length);
                expectedPayloads.add(Arrays.copyOf(payload, length));
                datagram = senderInner.sent().remove(senderInner.sent().size() - 1);
                rxInner.loseInbox();
                delivered[deliveredCount++ & 255] = datagram;
                fresh++;
            }
            else if (kind < 40)
            {
                final int length = rng.nextBoolean() ? rng.nextInt(129) : rng.nextInt(INNER_MAX + 16);
                datagram = new byte[length];
                fillRandom(rng, datagram, length);
                if (length >= 2 && rng.nextBoolean())
                {
                    datagram[0] = 1;                        // plausible version and mode,
                    datagram[1] = (byte)mode.code;          // so it reaches the crypto
                }
            }
            else if (kind < 50)
            {
                datagram = delivered[rng.nextInt(Math.min(deliveredCount, 256))].clone(); // a replay
            }
            else
            {
                datagram = mutate(rng, delivered[rng.nextInt(Math.min(deliveredCount, 256))]);
            }
            rxInner.inject(datagram);
            rx.poll((b, o, l) ->
            {
                handedUp[0]++;
                final byte[] want = expectedPayloads.poll();
                if (want == null || want.length != l)
                {
                    mismatches[0]++;
                    return;
                }
                for (int k = 0; k < l; k++)
                {
                    if (b.getByte(o + k) != want[k])
                    {
                        mismatches[0]++;
                        return;
                    }
                }
            }, 1);
        }

        final TransportCounters c = rx.counters();
        long drops = 0;
        for (final Drop d : Drop.values())
        {
            drops += c.drops(d);
        }
        assertThat(mismatches[0]).as(replay).isZero();
        assertThat(handedUp[0]).as(replay).isEqualTo(fresh);
        assertThat(expectedPayloads).as(replay).isEmpty();
        assertThat(c.receivedCount()).as(replay).isEqualTo(DATAGRAMS);
        assertThat(drops).as(replay).isEqualTo(DATAGRAMS - fresh);
        assertThat(c.drops(Drop.AUTH_FAILED)).as(replay).isPositive();
        assertThat(c.drops(Drop.REPLAYED)).as(replay).isPositive();
        assertThat(c.drops(Drop.BAD_LENGTH)).as(replay).isPositive();
        assertThat(c.drops(Drop.SEND_FAILED)).as(replay).isZero();
    }

    private static void fillRandom(final SplittableRandom rng, final byte[] into, final int length)
    {
        for (int i = 0; i < length; i += 8)
        {
            long r = rng.nextLong();
            for (int k = i; k < Math.min(i + 8, length); k++, r >>>= 8)
            {
                into[k] = (byte)r;
            }
        }
    }

    /** One to four edits: bit flips, byte overwrites, header field rewrites, truncation, extension. */
    private static byte[] mutate(final SplittableRandom rng, final byte[] original)
    {
        byte[] m = original.clone();
        final int edits = 1 + rng.nextInt(4);
        for (int e = 0; e < edits; e++)
        {
            switch (rng.nextInt(6))
            {
                case 0 ->
                {
                    if (m.length > 0)
                    {
                        m[rng.nextInt(m.length)] ^= (byte)(1 << rng.nextInt(8));
                    }
                }
                case 1 ->
                {
                    if (m.length > 0)
                    {
                        m[rng.nextInt(m.length)] = (byte)rng.nextInt(256);
                    }
                }
                case 2 ->
                {
                    // Rewrite a header field: sender, session or counter.
                    final int[] fields = {Frame.SENDER_OFFSET, Frame.SESSION_OFFSET, Frame.COUNTER_OFFSET};
                    final int at = fields[rng.nextInt(fields.length)];
                    for (int k = at; k < Math.min(at + 4, m.length); k++)
                    {
                        m[k] = (byte)rng.nextInt(256);
                    }
                }
                case 3 -> m = Arrays.copyOf(m, rng.nextInt(m.length + 1));
                case 4 ->
                {
                    final int extra = 1 + rng.nextInt(32);
                    final int from = m.length;
                    m = Arrays.copyOf(m, Math.min(from + extra, INNER_MAX + 8));
                    for (int k = from; k < m.length; k++)
                    {
                        m[k] = (byte)rng.nextInt(256);
                    }
                }
                default ->
                {
                    if (m.length > Frame.HEADER_LENGTH)
                    {
                        // Swap two payload/tag bytes.
                        final int a = Frame.HEADER_LENGTH + rng.nextInt(m.length - Frame.HEADER_LENGTH);
                        final int b = Frame.HEADER_LENGTH + rng.nextInt(m.length - Frame.HEADER_LENGTH);
                        final byte t = m[a];
                        m[a] = m[b];
                        m[b] = t;
                    }
                }
            }
        }
        return m;
    }
}
