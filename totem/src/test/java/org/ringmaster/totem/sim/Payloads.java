package org.ringmaster.totem.sim;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Test payloads that carry their origin and check themselves: sender, per-sender counter, length,
 * then bytes derived from all three, so any corruption, truncation or mix-up is detected.
 */
public final class Payloads
{
    public static final int MIN_LENGTH = 16;

    private Payloads()
    {
    }

    public static void write(final MutableDirectBuffer buffer, final int sender, final long counter, final int length)
    {
        buffer.putInt(0, sender);
        buffer.putLong(4, counter);
        buffer.putInt(12, length);
        for (int i = MIN_LENGTH; i < length; i++)
        {
            buffer.putByte(i, filler(sender, counter, i));
        }
    }

    public static int sender(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset);
    }

    public static long counter(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + 4);
    }

    public static boolean intact(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < MIN_LENGTH || buffer.getInt(offset + 12) != length)
        {
            return false;
        }
        final int sender = sender(buffer, offset);
        final long counter = counter(buffer, offset);
        for (int i = MIN_LENGTH; i < length; i++)
        {
            if (buffer.getByte(offset + i) != filler(sender, counter, i))
            {
                return false;
            }
        }
        return true;
    }

    private static byte filler(final int sender, final long counter, final int i)
    {
        return (byte)(sender * 31 + counter * 17 + i * 7);
    }
}
