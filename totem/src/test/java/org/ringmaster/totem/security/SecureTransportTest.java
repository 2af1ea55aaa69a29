package org.ringmaster.totem.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ringmaster.totem.transport.DatagramHandler;
import org.ringmaster.totem.transport.Transport;
import org.ringmaster.totem.transport.TransportCounters;
import org.ringmaster.totem.transport.TransportCounters.Drop;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SecureTransportTest
{
    static final AuthKey KEY = AuthKey.generate(new SecureRandom(), 256);
    static final List<Integer> NODES = List.of(1, 2, 3);
    static final int INNER_MAX = 1472;
    static final long T0 = 1_700_000_000L;

    private final AtomicLong clock = new AtomicLong(1_000_000_000L);

    static long session(final long startSeconds, final int random)
    {
        return startSeconds << 32 | (random & 0xffff_ffffL);
    }

    SecureTransport secure(final MemoryTransport inner, final SealMode mode, final long session)
    {
        return secure(inner, mode, KEY, NODES, "test", session);
    }

    SecureTransport secure(
        final MemoryTransport inner, final SealMode mode, final AuthKey key, final List<Integer> nodes,
        final String cluster, final long session)
    {
        return new SecureTransport(inner, mode, key, nodes, cluster, new SecureRandom(), clock::get,
            SecureTransport.DEFAULT_SESSION_TAKEOVER_NS, session);
    }

    /** Three secured members of one in-memory net. */
    final class Trio
    {
        final MemoryTransport.Net net = new MemoryTransport.Net(INNER_MAX);
        final MemoryTransport[] inner = new MemoryTransport[4];
        final SecureTransport[] node = new SecureTransport[4];

        Trio(final SealMode mode)
        {
            for (final int id : NODES)
            {
                inner[id] = net.join(id);
                node[id] = secure(inner[id], mode, session(T0, id * 1000));
            }
        }
    }

    static UnsafeBuffer text(final String s)
    {
        return new UnsafeBuffer(s.getBytes(StandardCharsets.UTF_8));
    }

    static List<String> drain(final Transport t)
    {
        final List<String> got = new ArrayList<>();
        t.poll((b, o, l) -> got.add(b.getStringWithoutLengthUtf8(o, l)), Integer.MAX_VALUE);
        return got;
    }

    static long drops(final TransportCounters c)
    {
        long sum = 0;
        for (final Drop d : Drop.values())
        {
            sum += c.drops(d);
        }
        return sum;
    }

    @ParameterizedTest
    @EnumSource(value = SealMode.class, names = {"NONE", "AES256_CTR_HMAC_SHA256"}, mode = EnumSource.Mode.EXCLUDE)
    void sealedDatagramsRoundTripByUnicastAndMulticast(final SealMode mode)
    {
        final Trio trio = new Trio(mode);
        final SecureTransport a = trio.node[1];
        assertThat(a.maxDatagramLength()).isEqualTo(INNER_MAX - Frame.HEADER_LENGTH - mode.tagLength);

        final byte[] big = new byte[a.maxDatagramLength()];
        new SecureRandom().nextBytes(big);
        final List<byte[]> payloads = List.of(new byte[0], new byte[] {42}, "hello ring".getBytes(), big);
        for (final byte[] p : payloads)
        {
            assertThat(a.multicast(new UnsafeBuffer(p), 0, p.length)).isTrue();
        }
        assertThat(trio.node[2].unicast(3, text("just for 3"), 0, 10)).isTrue();

        for (final int id : List.of(2, 3))
        {
            final List<byte[]> got = new ArrayList<>();
            trio.node[id].poll((b, o, l) ->
            {
                final byte[] copy = new byte[l];
                b.getBytes(o, copy);
                got.add(copy);
            }, 100);
            final List<byte[]> expected = new ArrayList<>(payloads);
            if (id == 3)
            {
                expected.add("just for 3".getBytes());
            }
            assertThat(got).hasSize(expected.size());
            for (int i = 0; i < expected.size(); i++)
            {
                assertThat(got.get(i)).isEqualTo(expected.get(i));
            }
            assertThat(drops(trio.node[id].counters())).isZero();
        }
        assertThat(trio.inner[1].sent().get(3)).hasSize(INNER_MAX);
    }

    @Test
    void aesGcmHidesThePayloadAndHmacDoesNot()
    {
        final Trio gcm = new Trio(SealMode.AES256_GCM);
        gcm.node[1].multicast(text("secret-marker"), 0, 13);
        assertThat(new String(gcm.inner[1].sent().get(0), StandardCharsets.ISO_8859_1)).doesNotContain("secret-marker");
        final Trio hmac = new Trio(SealMode.HMAC_SHA256);
        hmac.node[1].multicast(text("secret-marker"), 0, 13);
        assertThat(new String(hmac.inner[1].sent().get(0), StandardCharsets.ISO_8859_1)).contains("secret-marker");
    }

    @Test
    void aesGcmNeverReusesAKeystreamAcrossSessionsOfOneNode()
    {
        // Two lives of node 1 (a restart) seal the same first datagram: same counter, different session key.
        final MemoryTransport.Net net = new MemoryTransport.Net(INNER_MAX);
        final MemoryTransport first = net.join(1);
        secure(first, SealMode.AES256_GCM, session(T0, 1)).multicast(text("same bytes"), 0, 10);
        final MemoryTransport second = net.join(1);
        secure(second, SealMode.AES256_GCM, session(T0 + 60, 2)).multicast(text("same bytes"), 0, 10);
        final byte[] a = Arrays.copyOfRange(first.sent().get(0), Frame.HEADER_LENGTH, first.sent().get(0).length);
        final byte[] b = Arrays.copyOfRange(second.sent().get(0), Frame.HEADER_LENGTH, second.sent().get(0).length);
        assertThat(a).isNotEqualTo(b);
        assertThat(GcmSeal.readLong(first.sent().get(0), Frame.COUNTER_OFFSET)).isEqualTo(1);
        assertThat(GcmSeal.readLong(second.sent().get(0), Frame.COUNTER_OFFSET)).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(value = SealMode.class, names = {"NONE", "AES256_CTR_HMAC_SHA256"}, mode = EnumSource.Mode.EXCLUDE)
    void everyTamperedBitIsDetected(final SealMode mode)
    {
        final Trio trio = new Trio(mode);
        trio.node[1].unicast(2, text("tamper with me"), 0, 14);
        final byte[] frame = trio.inner[1].sent().get(0);
        trio.inner[2].loseInbox();
        int injected = 0;
        for (int i = 0; i < frame.length; i++)
        {
            for (int bit = 0; bit < 8; bit++)
            {
                final byte[] bad = frame.clone();
                bad[i] ^= (byte)(1 << bit);
                trio.inner[2].inject(bad);
                injected++;
            }
        }
        assertThat(drain(trio.node[2])).isEmpty();
        final TransportCounters c = trio.node[2].counters();
        assertThat(drops(c)).isEqualTo(injected);
        // Only flips of the sender id can turn into another known or unknown node; the rest fail the tag.
        assertThat(c.drops(Drop.AUTH_FAILED) + c.drops(Drop.UNKNOWN_SENDER)).isEqualTo(injected);
        assertThat(c.drops(Drop.UNKNOWN_SENDER)).isLessThanOrEqualTo(32);
        // The untouched frame still gets through afterwards.
        trio.inner[2].inject(frame);
        assertThat(drain(trio.node[2])).containsExactly("tamper with me");
    }

    @ParameterizedTest
    @EnumSource(value = SealMode.class, names = {"NONE", "AES256_CTR_HMAC_SHA256"}, mode = EnumSource.Mode.EXCLUDE)
    void truncatedAndExtendedFramesAreDropped(final SealMode mode)
    {
        final Trio trio = new Trio(mode);
        trio.node[1].unicast(2, text("cut me short"), 0, 12);
        final byte[] frame = trio.inner[1].sent().get(0);
        trio.inner[2].loseInbox();
        for (int length = 0; length < frame.length; length++)
        {
            trio.inner[2].inject(Arrays.copyOf(frame, length));
        }
        trio.inner[2].inject(Arrays.copyOf(frame, frame.length + 1));
        assertThat(drain(trio.node[2])).isEmpty();
        final TransportCounters c = trio.node[2].counters();
        final int minimum = Frame.HEADER_LENGTH + mode.tagLength;
        assertThat(c.drops(Drop.BAD_LENGTH)).isEqualTo(minimum); // lengths 0 .. minimum-1
        assertThat(c.drops(Drop.AUTH_FAILED)).isEqualTo(frame.length - minimum + 1);
        assertThat(c.receivedCount()).isEqualTo(frame.length + 1);
    }

    @ParameterizedTest
    @EnumSource(value = SealMode.class, names = {"NONE", "AES256_CTR_HMAC_SHA256"}, mode = EnumSource.Mode.EXCLUDE)
    void framesForgedWithAnotherKeyOrClusterNameAreDropped(final SealMode mode)
    {
        final Trio trio = new Trio(mode);
        final MemoryTransport.Net other = new MemoryTransport.Net(INNER_MAX);
        final MemoryTransport wrongKey = other.join(1);
        secure(wrongKey, mode, AuthKey.generate(new SecureRandom(), 256), NODES, "test", session(T0, 7))
            .unicast(2, text("forged"), 0, 6);
        final MemoryTransport wrongCluster = other.join(3);
        secure(wrongCluster, mode, KEY, NODES, "another-cluster", session(T0, 8)).unicast(2, text("forged"), 0, 6);
        trio.inner[2].inject(wrongKey.sent().get(0));
        trio.inner[2].inject(wrongCluster.sent().get(0));
        final byte[] random = new byte[100];
        new SecureRandom().nextBytes(random);
        trio.inner[2].inject(random);
        assertThat(drain(trio.node[2])).isEmpty();
        assertThat(trio.node[2].counters().drops(Drop.AUTH_FAILED)).isEqualTo(3);
    }

    @ParameterizedTest
    @EnumSource(value = SealMode.class, names = {"NONE", "AES256_CTR_HMAC_SHA256"}, mode = EnumSource.Mode.EXCLUDE)
    void replayedFramesAreDroppedButReorderingIsFine(final SealMode mode)
    {
        final Trio trio = new Trio(mode);
        for (int i = 0; i < 5; i++)
        {
            trio.node[1].unicast(2, text("m" + i), 0, 2);
        }
        final List<byte[]> frames = trio.inner[1].sent();
        final MemoryTransport rx = trio.inner[2];
        drain(trio.node[2]); // the 5 originals, in order
        for (final byte[] f : frames)
        {
            rx.inject(f);
        }
        assertThat(drain(trio.node[2])).isEmpty();
        assertThat(trio.node[2].counters().drops(Drop.REPLAYED)).isEqualTo(5);

        // Reordered within the window: all delivered once, then replays refused.
        for (int i = 0; i < 5; i++)
        {
            trio.node[1].unicast(2, text("r" + i), 0, 2);
        }
        rx.loseInbox(); // lose them in transit ...
        for (int i = 9; i >= 5; i--)
        {
            rx.inject(frames.get(i)); // ... and deliver them late, newest first
        }
        assertThat(drain(trio.node[2])).containsExactly("r4", "r3", "r2", "r1", "r0");
        rx.inject(frames.get(7));
        assertThat(drain(trio.node[2])).isEmpty();
        assertThat(trio.node[2].counters().drops(Drop.REPLAYED)).isEqualTo(6);
    }

    @Test
    void framesOlderThanTheWindowAreRefused()
    {
        final Trio trio = new Trio(SealMode.HMAC_SHA256);
        final int n = ReplayWindow.WINDOW + 10;
        for (int i = 0; i < n; i++)
        {
            trio.node[1].unicast(2, text("x"), 0, 1);
        }
        final MemoryTransport rx = trio.inner[2];
        rx.loseInbox();
        final List<byte[]> frames = trio.inner[1].sent();
        rx.inject(frames.get(n - 1));     // the newest arrives
        rx.inject(frames.get(n - 1 - ReplayWindow.WINDOW + 1)); // oldest still inside the window
        rx.inject(frames.get(n - 1 - ReplayWindow.WINDOW));     // just outside
        assertThat(drain(trio.node[2])).hasSize(2);
        assertThat(trio.node[2].counters().drops(Drop.REPLAYED)).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(value = SealMode.class, names = {"NONE", "AES256_CTR_HMAC_SHA256"}, mode = EnumSource.Mode.EXCLUDE)
    void aKeyHolderOutsideTheNodeListIsAnUnknownSender(final SealMode mode)
    {
        final Trio trio = new Trio(mode);
        final MemoryTransport stranger = trio.net.join(9);
        secure(stranger, mode, KEY, List.of(1, 2, 3, 9), "test", session(T0, 9)).unicast(2, text("hi"), 0, 2);
        assertThat(drain(trio.node[2])).isEmpty();
        assertThat(trio.node[2].counters().drops(Drop.UNKNOWN_SENDER)).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(value = SealMode.class, names = {"NONE", "AES256_CTR_HMAC_SHA256"}, mode = EnumSource.Mode.EXCLUDE)
    void ourOwnFrameReflectedBackIsAReplay(final SealMode mode)
    {
        final Trio trio = new Trio(mode);
        trio.node[1].multicast(text("mine"), 0, 4);
        trio.inner[1].inject(trio.inner[1].sent().get(0));
        assertThat(drain(trio.node[1])).isEmpty();
        assertThat(trio.node[1].counters().drops(Drop.REPLAYED)).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(value = SealMode.class, names = {"NONE", "AES256_CTR_HMAC_SHA256"}, mode = EnumSource.Mode.EXCLUDE)
    void aRestartedSenderIsAcceptedAndItsOldSessionIsNot(final SealMode mode)
    {
        final Trio trio = new Trio(mode);
        final SecureTransport rx = trio.node[1];
        // Node 2's first life sends two frames; an attacker records the second, which is lost.
        trio.node[2].unicast(1, text("old-1"), 0, 5);
        trio.node[2].unicast(1, text("old-2"), 0, 5);
        final byte[] recorded = trio.inner[2].sent().get(1);
        assertThat(drain(rx)).containsExactly("old-1", "old-2");

        // Node 2 restarts a minute later: new session, counters from 1 again.
        final MemoryTransport reborn = trio.net.join(2);
        final SecureTransport node2 = secure(reborn, mode, session(T0 + 60, 4242));
        node2.unicast(1, text("new-1"), 0, 5);
        assertThat(drain(rx)).containsExactly("new-1");

        // The recorded frame of the old session is refused while node 2 is alive ...
        trio.inner[1].inject(recorded);
        assertThat(drain(rx)).isEmpty();
        assertThat(rx.counters().drops(Drop.REPLAYED)).isEqualTo(1);

        // ... and once node 2 has been silent past the takeover time it is let in (the ring filters old rings) ...
        clock.addAndGet(SecureTransport.DEFAULT_SESSION_TAKEOVER_NS);
        trio.inner[1].inject(recorded);
        assertThat(drain(rx)).containsExactly("old-2");

        // ... and node 2's live session wins straight back because it started later.
        node2.unicast(1, text("new-2"), 0, 5);
        assertThat(drain(rx)).containsExactly("new-2");
    }

    @Test
    void aNodeWithADifferentModeIsRefusedAsAuthFailure()
    {
        final Trio gcm = new Trio(SealMode.AES256_GCM);
        final MemoryTransport hmacSender = new MemoryTransport.Net(INNER_MAX).join(3);
        secure(hmacSender, SealMode.HMAC_SHA256, session(T0, 1)).unicast(1, text("hello"), 0, 5);
        gcm.inner[1].inject(hmacSender.sent().get(0));
        assertThat(drain(gcm.node[1])).isEmpty();
        assertThat(gcm.node[1].counters().drops(Drop.AUTH_FAILED)).isEqualTo(1);
    }

    @Test
    void theHandlerMaySendWhileADatagramIsBeingDelivered()
    {
        final Trio trio = new Trio(SealMode.AES256_GCM);
        trio.node[1].unicast(2, text("ping"), 0, 4);
        final List<String> seen = new ArrayList<>();
        final DatagramHandler replyingHandler = (b, o, l) ->
        {
            trio.node[2].unicast(1, text("pong-with-a-longer-body"), 0, 23);
            seen.add(b.getStringWithoutLengthUtf8(o, l)); // still intact after sending
        };
        assertThat(trio.node[2].poll(replyingHandler, 10)).isEqualTo(1);
        assertThat(seen).containsExactly("ping");
        assertThat(drain(trio.node[1])).containsExactly("pong-with-a-longer-body");
    }

    @Test
    void wrapTurnsSecurityOffOnlyForExplicitNoneAndNeedsAKeyOtherwise()
    {
        final MemoryTransport inner = new MemoryTransport.Net(INNER_MAX).join(1);
        assertThat(SecureTransport.wrap(inner, CryptoConfig.parse("none", "none"), null, NODES, "c")).isSameAs(inner);
        final Transport wrapped = SecureTransport.wrap(inner, CryptoConfig.parse(null, null), KEY, NODES, "c");
        assertThat(wrapped).isInstanceOf(SecureTransport.class);
        assertThat(wrapped.maxDatagramLength()).isEqualTo(INNER_MAX - 40);
        assertThat(SecureTransport.wrap(inner, CryptoConfig.parse("sha256", "none"), KEY, NODES, "c")
            .maxDatagramLength()).isEqualTo(INNER_MAX - 56);
        assertThatThrownBy(() -> SecureTransport.wrap(inner, CryptoConfig.DEFAULT, null, NODES, "c"))
            .hasMessageContaining("needs an authkey");
        assertThatThrownBy(() -> SecureTransport.wrap(inner, CryptoConfig.DEFAULT, KEY, List.of(2, 3), "c"))
            .hasMessageContaining("local node 1 is not in the node list");
        final MemoryTransport tiny = new MemoryTransport.Net(100).join(1);
        assertThatThrownBy(() -> SecureTransport.wrap(tiny, CryptoConfig.DEFAULT, KEY, NODES, "c"))
            .hasMessageContaining("maxDatagramLength 100");
        wrapped.close();
        assertThat(inner.closed()).isTrue();
    }

    @Test
    void sendingMoreThanTheSealedLimitIsACallerError()
    {
        final Trio trio = new Trio(SealMode.HMAC_SHA256);
        final UnsafeBuffer big = new UnsafeBuffer(new byte[trio.node[1].maxDatagramLength() + 1]);
        assertThatThrownBy(() -> trio.node[1].multicast(big, 0, big.capacity()))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxDatagramLength");
    }

    @Test
    void openingAnHmacFrameAllocatesOnlyWhatJceDoes()
    {
        final Trio trio = new Trio(SealMode.HMAC_SHA256);
        final int n = 60_000;
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[1024]);
        for (int i = 0; i < n; i++)
        {
            trio.node[1].unicast(2, payload, 0, 1024);
        }
        final MemoryTransport rx = trio.inner[2];
        final long[] bytes = {0};
        final DatagramHandler sum = (b, o, l) -> bytes[0] += l;
        final com.sun.management.ThreadMXBean mx =
            (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        final long tid = Thread.currentThread().getId();
        rx.poll(sum, 0);
        trio.node[2].poll(sum, 20_000); // warm up
        final long before = mx.getThreadAllocatedBytes(tid);
        final int opened = trio.node[2].poll(sum, Integer.MAX_VALUE);
        final long perDatagram = (mx.getThreadAllocatedBytes(tid) - before) / opened;
        assertThat(opened).isEqualTo(n - 20_000);
        // Mac.doFinal(byte[], int) allocates its 32-byte result internally (48 bytes with the header);
        // anything more would be ours.
        assertThat(perDatagram).isLessThanOrEqualTo(64);
    }

    @Test
    void sessionIdsCarryTheStartTimeSoLaterSessionsCompareGreater()
    {
        final long id = SecureTransport.newSessionId(new SecureRandom());
        assertThat(id >>> 32).isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(5L));
        assertThat(ReplayWindow.startedLater(session(T0 + 1, 0), session(T0, -1))).isTrue();
        assertThat(ReplayWindow.startedLater(session(T0, -1), session(T0 + 1, 0))).isFalse();
        assertThat(ReplayWindow.startedLater(session(T0, 5), session(T0, 6))).isFalse();
    }
}
