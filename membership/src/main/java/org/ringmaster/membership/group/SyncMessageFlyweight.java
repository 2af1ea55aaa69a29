package org.ringmaster.membership.group;

import org.ringmaster.totem.codec.DecodeError;

/**
 * SYNC: one chunk of a node's announcement of its local members after a regular configuration
 * change (see the package documentation).
 *
 * <pre>
 *  0  (common header, type 4)
 *  4  ringSeq     i64  the regular configuration this announcement belongs to
 * 12  ringRep     i32
 * 16  flags       u8   bit0 LAST: the node's announcement is complete
 * 17  reserved    u8   0
 * 18  count       u16  entries in this chunk (may be 0)
 * 20  entries:    memberId i32 (&gt; 0), nameLength u16 (1..255), name UTF-8
 * </pre>
 *
 * The entries must fill the message exactly.
 */
final class SyncMessageFlyweight extends GroupMessageFlyweight
{
    static final int RING_SEQ_OFFSET = HEADER_LENGTH;
    static final int RING_REP_OFFSET = RING_SEQ_OFFSET + 8;
    static final int FLAGS_OFFSET = RING_REP_OFFSET + 4;
    static final int RESERVED_OFFSET = FLAGS_OFFSET + 1;
    static final int COUNT_OFFSET = RESERVED_OFFSET + 1;
    static final int ENTRIES_OFFSET = COUNT_OFFSET + 2;
    static final int ENTRY_HEADER_LENGTH = 6;
    static final int FLAG_LAST = 1;
    static final int MAX_COUNT = 0xFFFF;

    private int writePosition;
    private int writeCount;

    @Override
    SyncMessageFlyweight wrap(final org.agrona.DirectBuffer source, final int offset, final int length)
    {
        super.wrap(source, offset, length);
        return this;
    }

    @Override
    DecodeError validate()
    {
        final DecodeError header = validateHeader();
        if (header != DecodeError.NONE)
        {
            return header;
        }
        if (type() != TYPE_SYNC)
        {
            return DecodeError.UNKNOWN_TYPE;
        }
        if (length < ENTRIES_OFFSET)
        {
            return DecodeError.TOO_SHORT;
        }
        if ((flags() & ~FLAG_LAST) != 0 || buffer.getByte(RESERVED_OFFSET) != 0)
        {
            return DecodeError.BAD_FIELD;
        }
        final int count = count();
        int position = ENTRIES_OFFSET;
        for (int i = 0; i < count; i++)
        {
            if (position + ENTRY_HEADER_LENGTH > length)
            {
                return DecodeError.BAD_COUNT;
            }
            final int nameLength = entryNameLength(position);
            if (entryMemberId(position) <= 0 || nameLength == 0 || nameLength > MAX_NAME_LENGTH)
            {
                return DecodeError.BAD_FIELD;
            }
            position += ENTRY_HEADER_LENGTH + nameLength;
            if (position > length)
            {
                return DecodeError.BAD_LENGTH;
            }
        }
        return position == length ? DecodeError.NONE : DecodeError.BAD_LENGTH;
    }

    long ringSeq()
    {
        return buffer.getLong(RING_SEQ_OFFSET, ORDER);
    }

    int ringRep()
    {
        return buffer.getInt(RING_REP_OFFSET, ORDER);
    }

    int flags()
    {
        return buffer.getByte(FLAGS_OFFSET) & 0xFF;
    }

    boolean last()
    {
        return (flags() & FLAG_LAST) != 0;
    }

    int count()
    {
        return buffer.getShort(COUNT_OFFSET, ORDER) & 0xFFFF;
    }

    /** Offset of the first entry; walk with {@link #nextEntry(int)}. */
    int firstEntry()
    {
        return ENTRIES_OFFSET;
    }

    int nextEntry(final int position)
    {
        return position + ENTRY_HEADER_LENGTH + entryNameLength(position);
    }

    int entryMemberId(final int position)
    {
        return buffer.getInt(position, ORDER);
    }

    int entryNameLength(final int position)
    {
        return buffer.getShort(position + 4, ORDER) & 0xFFFF;
    }

    /** The entry's group name, or {@code null} if its bytes are not a valid name. */
    String entryName(final int position)
    {
        return GroupNames.decode(buffer, position + ENTRY_HEADER_LENGTH, entryNameLength(position));
    }

    /** Start a chunk in the wrapped buffer; add entries, then {@link #finish(boolean)}. */
    SyncMessageFlyweight start(final long ringSeq, final int ringRep)
    {
        putHeader(TYPE_SYNC);
        buffer.putLong(RING_SEQ_OFFSET, ringSeq, ORDER);
        buffer.putInt(RING_REP_OFFSET, ringRep, ORDER);
        buffer.putByte(FLAGS_OFFSET, (byte)0);
        buffer.putByte(RESERVED_OFFSET, (byte)0);
        writePosition = ENTRIES_OFFSET;
        writeCount = 0;
        return this;
    }

    /** @return {@code false} if the entry does not fit in the wrapped length (nothing written). */
    boolean addEntry(final int memberId, final byte[] name)
    {
        final int end = writePosition + ENTRY_HEADER_LENGTH + name.length;
        if (end > length || writeCount == MAX_COUNT)
        {
            return false;
        }
        buffer.putInt(writePosition, memberId, ORDER);
        buffer.putShort(writePosition + 4, (short)name.length, ORDER);
        buffer.putBytes(writePosition + ENTRY_HEADER_LENGTH, name);
        writePosition = end;
        writeCount++;
        return true;
    }

    /** @return the chunk's encoded length. */
    int finish(final boolean last)
    {
        buffer.putByte(FLAGS_OFFSET, (byte)(last ? FLAG_LAST : 0));
        buffer.putShort(COUNT_OFFSET, (short)writeCount, ORDER);
        return writePosition;
    }

    static int entryLength(final byte[] name)
    {
        return ENTRY_HEADER_LENGTH + name.length;
    }
}
