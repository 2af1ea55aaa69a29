package org.ringmaster.totem;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ringmaster.totem.RingCounters.Counter;
import org.ringmaster.totem.codec.DataMessageFlyweight;
import org.ringmaster.totem.codec.DecodeError;
import org.ringmaster.totem.codec.HeaderFlyweight;
import org.ringmaster.totem.codec.MessageType;
import org.ringmaster.totem.codec.TokenFlyweight;
import org.ringmaster.totem.transport.DatagramHandler;
import org.ringmaster.totem.transport.Transport;
import org.ringmaster.totem.transport.TransportCounters;

/**
 * A million random and mutated datagrams into the decoders and into a running node: nothing
 * escapes, nothing is allocated per datagram, and the drops are counted.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class FuzzTest
{
    private static final int DATAGRAMS = 1_000_000;
    private static final int FRAME = 1472;

    /** Writes the next fuzzed datagram into a reused frame: random, or a mutated valid one. */
    private static final class Mutator
    {
        final SplittableRandom random;
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[FRAME]);
        final DataMessageFlyweight data = new DataMessageFlyweight();
        final TokenFlyweight token = new TokenFlyweight();
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[FRAME]);
        long seq = 1;

        Mutator(final long seed)
        {
            random = new SplittableRandom(seed);
        }

        int next()
        {
            final int kind = random.nextInt(4);
            int length;
            if (kind == 0)
            {
                length = random.nextInt(FRAME + 1);
                for (int i = 0; i < length; i++)
                {
                    frame.putByte(i, (byte)random.nextInt(256));
                }
                return length;
            }
            if (kind == 1)
            {
                token.wrap(frame, 0, FRAME);
                token.putHeader(MessageType.TOKEN, 1 + random.nextInt(4), 4, 1);
                final int rtr = random.nextInt(5);
                token.tokenSeq(random.nextInt(1000)).seq(seq).aru(Math.max(0, seq - random.nextInt(5))).aruId(1)
                    .fcc(random.nextInt(60)).backlog(random.nextInt(60)).retransFlg(false).rtrCount(rtr);
                for (int i = 0; i < rtr; i++)
                {
                    token.rtr(i, 4, 1, 1 + random.nextInt((int)seq));
                }
                length = TokenFlyweight.lengthFor(rtr);
            }
            else
            {
                data.wrap(frame, 0, FRAME);
                data.putHeader(MessageType.DATA, 1 + random.nextInt(4), 4, 1);
                data.putBody(seq++ % 2000 + 1, random.nextInt(4));
                final int entries = 1 + random.nextInt(4);
                for (int i = 0; i < entries; i++)
                {
                    final int len = Math.min(data.remainingPayloadCapacity(), random.nextInt(300));
                    data.appendEntry(payload, 0, len, random.nextInt(4));
                }
                length = data.encodedLength();
            }
            // Mutate: flip bytes, truncate or extend.
            final int flips = random.nextInt(4);
            for (int i = 0; i < flips && length > 0; i++)
            {
                frame.putByte(random.nextInt(length), (byte)random.nextInt(256));
            }
            final int change = random.nextInt(8);
            if (change == 0 && length > 0)
            {
                length = random.nextInt(length);
            }
            else if (change == 1)
            {
                length = Math.min(FRAME, length + 1 + random.nextInt(16));
            }
            return length;
        }
    }

    @Test
    void decodersSurviveAMillionDatagramsWithoutAllocating()
    {
        final Mutator mutator = new Mutator(1);
        final HeaderFlyweight header = new HeaderFlyweight();
        final DataMessageFlyweight data = new DataMessageFlyweight();
        final TokenFlyweight token = new TokenFlyweight();
        final long[] errors = new long[DecodeError.values().length];
        long checksum = 0;
        final long allocatedBefore = allocatedBytes();
        for (int i = 0; i < DATAGRAMS; i++)
        {
            final int length = mutator.next();
            header.wrap(mutator.frame, 0, length);
            DecodeError error = header.validateHeader();
            if (error == DecodeError.NONE && header.typeCode() == MessageType.DATA.code())
            {
                error = data.wrap(mutator.frame, 0, length).validate();
                if (error == DecodeError.NONE)
                {
                    int entry = data.firstEntry();
                    for (int e = 0; e < data.entryCount(); e++, entry = data.nextEntry(entry))
                    {
                        checksum += data.entryLength(entry) + data.entryFragmentFlags(entry);
                        checksum += data.buffer().getByte(data.entryPayloadOffset(entry) + data.entryLength(entry) - 1);
                    }
                }
            }
            else if (error == DecodeError.NONE && header.typeCode() == MessageType.TOKEN.code())
            {
                error = token.wrap(mutator.frame, 0, length).validate();
                if (error == DecodeError.NONE)
                {
                    for (int r = 0; r < token.rtrCount(); r++)
                    {
                        checksum += token.rtrSeq(r);
                    }
                }
            }
            errors[error.ordinal()]++;
        }
        final long allocated = allocatedBytes() - allocatedBefore;

        assertThat(errors[DecodeError.NONE.ordinal()]).as("valid datagrams").isPositive();
        assertThat(errors[DecodeError.BAD_MAGIC.ordinal()]).isPositive();
        assertThat(errors[DecodeError.BAD_LENGTH.ordinal()]).isPositive();
        assertThat(errors[DecodeError.TOO_SHORT.ordinal()]).isPositive();
        long total = 0;
        for (final long e : errors)
        {
            total += e;
        }
        assertThat(total).isEqualTo(DATAGRAMS);
        assertThat(allocated).as("bytes allocated decoding %d datagrams (checksum %d)", DATAGRAMS, checksum)
            .isLessThan(1024 * 1024);
    }

    /** Hands the ring fuzzed datagrams from one reused frame; sends go nowhere. */
    private static final class FuzzTransport implements Transport
    {
        final Mutator mutator = new Mutator(2);
        final TransportCounters counters = new TransportCounters();
        long handedUp;

        @Override
        public int localNodeId()
        {
            return 2;
        }

        @Override
        public int maxDatagramLength()
        {
            return FRAME;
        }

        @Override
        public boolean unicast(final int nodeId, final DirectBuffer buffer, final int offset, final int length)
        {
            return true;
        }

        @Override
        public boolean multicast(final DirectBuffer buffer, final int offset, final int length)
        {
            return true;
        }

        @Override
        public int poll(final DatagramHandler handler, final int limit)
        {
            int n = 0;
            while (n < limit && handedUp < DATAGRAMS)
            {
                final int length = mutator.next();
                handler.onDatagram(mutator.frame, 0, length);
                handedUp++;
                n++;
            }
            return n;
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

    @Test
    void aRunningNodeSurvivesAMillionFuzzedDatagrams()
    {
        final FuzzTransport transport = new FuzzTransport();
        final long[] delivered = new long[1];
        final TotemRing ring = new TotemRing(TotemConfig.builder().nodeId(2).members(1, 2, 3).build(), transport,
            (sender, seq, guarantee, buffer, offset, length) -> delivered[0]++);
        long now = 0;
        ring.start(now);
        final UnsafeBuffer message = new UnsafeBuffer(new byte[64]);
        // Warm up so that steady-state allocation is what gets measured.
        for (int i = 0; i < 200; i++)
        {
            ring.offer(message, 0, 64, Guarantee.AGREED);
            ring.doWork(now += 100_000);
        }
        final long allocatedBefore = allocatedBytes();
        while (transport.handedUp < DATAGRAMS)
        {
            ring.offer(message, 0, 64, Guarantee.AGREED);
            ring.doWork(now += 100_000);
        }
        final long allocated = allocatedBytes() - allocatedBefore;

        final RingCounters counters = ring.counters();
        assertThat(counters.get(Counter.MALFORMED)).as("malformed drops").isPositive();
        assertThat(counters.get(Counter.UNKNOWN_SENDER)).as("unknown sender drops").isPositive();
        assertThat(counters.get(Counter.FOREIGN_RING)).as("foreign ring drops").isPositive();
        assertThat(counters.get(Counter.DATAGRAMS_DUPLICATE) + counters.get(Counter.TOKENS_DUPLICATE))
            .as("duplicates").isPositive();
        assertThat(allocated).as("bytes allocated by the node over %d datagrams (%s)", DATAGRAMS, counters)
            .isLessThan(4 * 1024 * 1024);
    }

    private static long allocatedBytes()
    {
        final java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        return ((com.sun.management.ThreadMXBean)bean).getThreadAllocatedBytes(Thread.currentThread().getId());
    }
}
