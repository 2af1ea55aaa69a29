package org.ringmaster.totem.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.ringmaster.totem.transport.DatagramHandler;
import org.ringmaster.totem.transport.Transport;
import org.ringmaster.totem.transport.TransportCounters;

/**
 * What sealing and opening a datagram allocates, measured on this thread with
 * {@code ThreadMXBean#getThreadAllocatedBytes} around 10,000 round trips through two real
 * SecureTransports (seal, replay window, open, delivery). A property of the code, not a timing: the
 * figures do not depend on how loaded the machine is.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SealAllocationTest
{
    private static final int ROUNDS = 10_000;
    private static final int WARMUP_ROUNDS = 20_000;
    /**
     * AES-GCM on JDK 17: the SunJCE builds a new GCM engine at every Cipher.init, measured at ~1,000
     * bytes per seal and ~1,000 per open, independent of the payload size. The bound leaves room for
     * uncompiled code (which allocates what the JIT would elide) but not for a copy of a 1 KiB payload.
     */
    private static final long GCM_BOUND_PER_ROUND = 2_600;
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    @BeforeAll
    static void allocationIsMeasurable()
    {
        assertThat(THREADS.isThreadAllocatedMemorySupported()).isTrue();
        THREADS.setThreadAllocatedMemoryEnabled(true);
    }

    @ParameterizedTest
    @EnumSource(value = SealMode.class, names = {"HMAC_SHA256", "HMAC_SHA384", "HMAC_SHA512"})
    void hmacAllocatesNothingPerDatagram(final SealMode mode)
    {
        final Pair pair = new Pair(mode);
        final double perRound = pair.bytesPerRound(1024);
        assertThat(perRound).as("%s bytes allocated per seal+open of a 1 KiB frame", mode).isLessThan(1.0);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 64, AesSeal.SHORT_PAYLOAD})
    void aesShortFramesAllocateNothing(final int size)
    {
        final Pair pair = new Pair(SealMode.AES256_GCM);
        final double perRound = pair.bytesPerRound(size);
        assertThat(perRound).as("bytes allocated per AES-CTR + HMAC seal+open of a %d-byte frame", size).isLessThan(1.0);
    }

    @Test
    void aesGcmAllocatesAConstantPerDatagramNotACopyOfIt()
    {
        final Pair pair = new Pair(SealMode.AES256_GCM);
        // The shortest payload GCM seals; shorter ones take AES-CTR + HMAC (above).
        final double small = pair.bytesPerRound(AesSeal.SHORT_PAYLOAD + 1);
        final double kib = pair.bytesPerRound(1024);
        final double full = pair.bytesPerRound(pair.sender.maxDatagramLength());
        assertThat(kib).as("bytes per seal+open of a 1 KiB frame").isLessThan(GCM_BOUND_PER_ROUND);
        assertThat(full).as("bytes per seal+open of a full frame").isLessThan(GCM_BOUND_PER_ROUND);
        // A copy of the payload would add the whole size difference (~1,240 bytes) from 193 B to full
        // frames; the JCE's own counter-mode state adds up to ~128 bytes for longer inputs before
        // C2 compiles it.
        assertThat(full - small).as("growth from 193 B to %d B frames (%.0f -> %.0f)",
            pair.sender.maxDatagramLength(), small, full).isLessThan(400.0);
    }

    /** Node 1 seals into node 2's single datagram slot; node 2 opens it. */
    private static final class Pair
    {
        final SealMode mode;
        final SecureTransport sender;
        final SecureTransport receiver;
        final Slot slot = new Slot();
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[1472]);
        final DatagramHandler handler = this::delivered;
        long deliveredBytes;

        Pair(final SealMode mode)
        {
            this.mode = mode;
            final AuthKey key = AuthKey.generate(new SecureRandom(), 256);
            final List<Integer> nodes = List.of(1, 2);
            final long[] clock = {1_000_000_000L};
            sender = new SecureTransport(new SlotTransport(1, slot), mode, key, nodes, "alloc", new SecureRandom(),
                () -> clock[0], SecureTransport.DEFAULT_SESSION_TAKEOVER_NS, 1_700_000_000L << 32 | 1);
            receiver = new SecureTransport(new SlotTransport(2, slot), mode, key, nodes, "alloc", new SecureRandom(),
                () -> clock[0], SecureTransport.DEFAULT_SESSION_TAKEOVER_NS, 1_700_000_000L << 32 | 2);
            for (int i = 0; i < payload.capacity(); i++)
            {
                payload.putByte(i, (byte)i);
            }
        }

        private void delivered(final DirectBuffer buffer, final int offset, final int length)
        {
            deliveredBytes += length;
        }

        double bytesPerRound(final int size)
        {
            rounds(size, WARMUP_ROUNDS);
            final long thread = Thread.currentThread().getId();
            final long before = THREADS.getThreadAllocatedBytes(thread);
            rounds(size, ROUNDS);
            final long after = THREADS.getThreadAllocatedBytes(thread);
            final double perRound = (after - before) / (double)ROUNDS;
            System.out.printf("%s: %.1f bytes allocated per seal+open of a %d-byte payload%n", mode, perRound, size);
            return perRound;
        }

        private void rounds(final int size, final int count)
        {
            final long start = deliveredBytes;
            for (int i = 0; i < count; i++)
            {
                payload.putInt(0, i);
                sender.multicast(payload, 0, size);
                receiver.poll(handler, 1);
            }
            // Every frame was opened and delivered whole (an allocation-free run that drops frames would prove nothing).
            assertThat(deliveredBytes - start).isEqualTo((long)size * count);
            assertThat(SecureTransportTest.drops(receiver.counters())).isZero();
        }
    }

    /** One datagram in flight, in a preallocated array: the test transport itself allocates nothing. */
    private static final class Slot
    {
        final byte[] bytes = new byte[1472];
        final UnsafeBuffer view = new UnsafeBuffer(bytes);
        int length = -1;
    }

    private static final class SlotTransport implements Transport
    {
        private final int nodeId;
        private final Slot slot;
        private final TransportCounters counters = new TransportCounters();

        SlotTransport(final int nodeId, final Slot slot)
        {
            this.nodeId = nodeId;
            this.slot = slot;
        }

        @Override
        public int localNodeId()
        {
            return nodeId;
        }

        @Override
        public int maxDatagramLength()
        {
            return slot.bytes.length;
        }

        @Override
        public boolean unicast(final int to, final DirectBuffer buffer, final int offset, final int length)
        {
            return multicast(buffer, offset, length);
        }

        @Override
        public boolean multicast(final DirectBuffer buffer, final int offset, final int length)
        {
            buffer.getBytes(offset, slot.bytes, 0, length);
            slot.length = length;
            return true;
        }

        @Override
        public int poll(final DatagramHandler handler, final int limit)
        {
            if (slot.length < 0)
            {
                return 0;
            }
            final int length = slot.length;
            slot.length = -1;
            handler.onDatagram(slot.view, 0, length);
            return 1;
        }

        @Override
        public TransportCounters counters()
        {
            return counters;
        }

        @Override
        public void close()
        {
        }
    }
}
