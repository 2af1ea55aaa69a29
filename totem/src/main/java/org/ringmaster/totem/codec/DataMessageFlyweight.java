package org.ringmaster.totem.codec;

import org.agrona.DirectBuffer;

/**
 * A regular (data) message: one ring sequence number carrying one or more packed entries, each a
 * whole application message or a fragment of one (Totem SRP §5.1; packing and fragmentation as in
 * corosync's totempg).
 *
 * <pre>
 * 20  seq       i64  ring sequence number
 * 28  flags     u8   bit0 SAFE, bit1 ENCAPSULATED (recovery, membership layer)
 * 29  reserved  u8
 * 30  count     u16  number of entries (&ge; 1)
 * 32  entries:  length u16, fragment flags u8 (bit0 FIRST, bit1 LAST), reserved u8, payload
 * </pre>
 *
 * The entries must fill the datagram exactly.
 */
public final class DataMessageFlyweight extends HeaderFlyweight
{
    public static final int SEQ_OFFSET = HEADER_LENGTH;
    public static final int FLAGS_OFFSET = SEQ_OFFSET + 8;
    public static final int COUNT_OFFSET = FLAGS_OFFSET + 2;
    public static final int ENTRIES_OFFSET = COUNT_OFFSET + 2;
    public static final int ENTRY_HEADER_LENGTH = 4;

    public static final int FLAG_SAFE = 1;
    public static final int FLAG_ENCAPSULATED = 2;

    public static final int FRAGMENT_FIRST = 1;
    public static final int FRAGMENT_LAST = 2;
    /** An entry that is a whole message. */
    public static final int FRAGMENT_WHOLE = FRAGMENT_FIRST | FRAGMENT_LAST;

    public static final int MAX_ENTRY_LENGTH = 0xFFFF;

    private int writePosition;
    private int writeCount;

    @Override
    public DataMessageFlyweight wrap(final DirectBuffer source, final int offset, final int length)
    {
        super.wrap(source, offset, length);
        return this;
    }

    @Override
    public DecodeError validate()
    {
        final DecodeError prologue = validatePrologue(MessageType.DATA, ENTRIES_OFFSET);
        if (prologue != DecodeError.NONE)
        {
            return prologue;
        }
        if (seq() <= 0)
        {
            return DecodeError.BAD_FIELD;
        }
        final int count = entryCount();
        if (count == 0)
        {
            return DecodeError.BAD_COUNT;
        }
        int position = ENTRIES_OFFSET;
        for (int i = 0; i < count; i++)
        {
            if (position + ENTRY_HEADER_LENGTH > length)
            {
                return DecodeError.BAD_COUNT;
            }
            position += ENTRY_HEADER_LENGTH + entryLength(position);
            if (position > length)
            {
                return DecodeError.BAD_LENGTH;
            }
        }
        return position == length ? DecodeError.NONE : DecodeError.BAD_LENGTH;
    }

    public long seq()
    {
        return buffer.getLong(SEQ_OFFSET, ORDER);
    }

    public int flags()
    {
        return buffer.getByte(FLAGS_OFFSET) & 0xFF;
    }

    public boolean isSafe()
    {
        return (flags() & FLAG_SAFE) != 0;
    }

    public int entryCount()
    {
        return buffer.getShort(COUNT_OFFSET, ORDER) & 0xFFFF;
    }

    /** Offset of the first entry, for iteration with {@link #nextEntry(int)}. */
    public int firstEntry()
    {
        return ENTRIES_OFFSET;
    }

    public int nextEntry(final int entry)
    {
        return entry + ENTRY_HEADER_LENGTH + entryLength(entry);
    }

    public int entryLength(final int entry)
    {
        return buffer.getShort(entry, ORDER) & 0xFFFF;
    }

    public int entryFragmentFlags(final int entry)
    {
        return buffer.getByte(entry + 2) & 0xFF;
    }

    public int entryPayloadOffset(final int entry)
    {
        return entry + ENTRY_HEADER_LENGTH;
    }

    /** Start encoding after {@link #putHeader}: the body with no entries yet. */
    public DataMessageFlyweight putBody(final long seq, final int flags)
    {
        buffer.putLong(SEQ_OFFSET, seq, ORDER);
        buffer.putByte(FLAGS_OFFSET, (byte)flags);
        buffer.putByte(FLAGS_OFFSET + 1, (byte)0);
        buffer.putShort(COUNT_OFFSET, (short)0, ORDER);
        writePosition = ENTRIES_OFFSET;
        writeCount = 0;
        return this;
    }

    public DataMessageFlyweight seq(final long seq)
    {
        buffer.putLong(SEQ_OFFSET, seq, ORDER);
        return this;
    }

    public DataMessageFlyweight flags(final int flags)
    {
        buffer.putByte(FLAGS_OFFSET, (byte)flags);
        return this;
    }

    /** Room left for an entry's payload in the wrapped region, never negative. */
    public int remainingPayloadCapacity()
    {
        return Math.max(0, Math.min(MAX_ENTRY_LENGTH, length - writePosition - ENTRY_HEADER_LENGTH));
    }

    /** Append one entry; the caller checks {@link #remainingPayloadCapacity()} first. */
    public DataMessageFlyweight appendEntry(
        final DirectBuffer source, final int sourceOffset, final int payloadLength, final int fragmentFlags)
    {
        buffer.putShort(writePosition, (short)payloadLength, ORDER);
        buffer.putByte(writePosition + 2, (byte)fragmentFlags);
        buffer.putByte(writePosition + 3, (byte)0);
        buffer.putBytes(writePosition + ENTRY_HEADER_LENGTH, source, sourceOffset, payloadLength);
        writePosition += ENTRY_HEADER_LENGTH + payloadLength;
        buffer.putShort(COUNT_OFFSET, (short)++writeCount, ORDER);
        return this;
    }

    public int encodedEntryCount()
    {
        return writeCount;
    }

    /** Bytes written so far, header included. */
    public int encodedLength()
    {
        return writePosition;
    }
}
