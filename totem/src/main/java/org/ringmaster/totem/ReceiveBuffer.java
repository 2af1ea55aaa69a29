package org.ringmaster.totem;

import java.nio.ByteBuffer;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Datagrams received on the current ring, indexed by seq in a fixed ring of preallocated slots:
 * nothing is allocated per message. A slot is reused only after its seq has been released, and
 * the ring refuses seqs that would not fit (Totem SRP §2.4: discard only what all hold).
 */
final class ReceiveBuffer
{
    private final int capacity;
    private final int mask;
    private final int slotLength;
    private final UnsafeBuffer slots;
    private final long[] seqs;
    private final int[] lengths;
    private final long[] missSeq;
    private final int[] missCount;

    ReceiveBuffer(final int capacity, final int slotLength)
    {
        if (Integer.bitCount(capacity) != 1)
        {
            throw new IllegalArgumentException("capacity must be a power of two: " + capacity);
        }
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.slotLength = slotLength;
        this.slots = new UnsafeBuffer(ByteBuffer.allocateDirect(capacity * slotLength));
        this.seqs = new long[capacity];
        this.lengths = new int[capacity];
        this.missSeq = new long[capacity];
        this.missCount = new int[capacity];
    }

    int capacity()
    {
        return capacity;
    }

    boolean has(final long seq)
    {
        final int slot = (int)(seq & mask);
        return seqs[slot] == seq && lengths[slot] > 0;
    }

    void put(final long seq, final DirectBuffer source, final int offset, final int length)
    {
        final int slot = (int)(seq & mask);
        slots.putBytes(slot * slotLength, source, offset, length);
        seqs[slot] = seq;
        lengths[slot] = length;
    }

    /** Wrap the stored datagram for {@code seq} (which must be held) into {@code view}. */
    int wrap(final long seq, final UnsafeBuffer view)
    {
        final int slot = (int)(seq & mask);
        view.wrap(slots, slot * slotLength, lengths[slot]);
        return lengths[slot];
    }

    void release(final long seq)
    {
        final int slot = (int)(seq & mask);
        if (seqs[slot] == seq)
        {
            lengths[slot] = 0;
        }
    }

    /** Count one more token visit on which {@code seq} was seen missing; returns the count. */
    int missed(final long seq)
    {
        final int slot = (int)(seq & mask);
        if (missSeq[slot] != seq)
        {
            missSeq[slot] = seq;
            missCount[slot] = 0;
        }
        return ++missCount[slot];
    }

    void clear()
    {
        java.util.Arrays.fill(lengths, 0);
        java.util.Arrays.fill(seqs, 0);
        java.util.Arrays.fill(missSeq, 0);
    }
}
