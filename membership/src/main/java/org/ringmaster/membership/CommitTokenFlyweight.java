package org.ringmaster.membership;

import org.agrona.DirectBuffer;
import org.ringmaster.totem.codec.DecodeError;
import org.ringmaster.totem.codec.HeaderFlyweight;
import org.ringmaster.totem.codec.MessageType;

/**
 * The commit token (Totem SRP §6.1): circulates twice over the new ring's members; on the first
 * rotation each member fills in its entry, on the second each learns all entries. The header's
 * ring id is the NEW ring's.
 *
 * <pre>
 * 20  tokenSeq   i64
 * 28  membIndex  u16  entries filled so far
 * 30  count      u16  members
 * 32  entries:   nodeId i32, oldRingSeq i64, oldRingRep i32, oldRingAru i64, highDelivered i64,
 *                received u8, flags u8 (bit0 LEFT_BEHIND), reserved u8 x 2   (36 bytes each, ring order)
 * </pre>
 */
final class CommitTokenFlyweight extends HeaderFlyweight
{
    static final int TOKEN_SEQ_OFFSET = HEADER_LENGTH;
    static final int MEMB_INDEX_OFFSET = TOKEN_SEQ_OFFSET + 8;
    static final int COUNT_OFFSET = MEMB_INDEX_OFFSET + 2;
    static final int ENTRIES_OFFSET = COUNT_OFFSET + 2;
    static final int ENTRY_LENGTH = 36;

    static int lengthFor(final int count)
    {
        return ENTRIES_OFFSET + ENTRY_LENGTH * count;
    }

    @Override
    public CommitTokenFlyweight wrap(final DirectBuffer source, final int offset, final int length)
    {
        super.wrap(source, offset, length);
        return this;
    }

    @Override
    public DecodeError validate()
    {
        final DecodeError prologue = validatePrologue(MessageType.COMMIT_TOKEN, ENTRIES_OFFSET);
        if (prologue != DecodeError.NONE)
        {
            return prologue;
        }
        if (count() == 0 || membIndex() > count())
        {
            return DecodeError.BAD_COUNT;
        }
        if (length != lengthFor(count()))
        {
            return DecodeError.BAD_LENGTH;
        }
        for (int i = 0; i < count(); i++)
        {
            if (nodeId(i) <= 0 || (i > 0 && nodeId(i) <= nodeId(i - 1)))
            {
                return DecodeError.BAD_FIELD;
            }
        }
        return tokenSeq() < 0 ? DecodeError.BAD_FIELD : DecodeError.NONE;
    }

    long tokenSeq()
    {
        return buffer.getLong(TOKEN_SEQ_OFFSET, ORDER);
    }

    CommitTokenFlyweight tokenSeq(final long value)
    {
        buffer.putLong(TOKEN_SEQ_OFFSET, value, ORDER);
        return this;
    }

    int membIndex()
    {
        return buffer.getShort(MEMB_INDEX_OFFSET, ORDER) & 0xFFFF;
    }

    CommitTokenFlyweight membIndex(final int value)
    {
        buffer.putShort(MEMB_INDEX_OFFSET, (short)value, ORDER);
        return this;
    }

    int count()
    {
        return buffer.getShort(COUNT_OFFSET, ORDER) & 0xFFFF;
    }

    /** Write the members (ascending) with blank entries. */
    CommitTokenFlyweight members(final NodeSet members)
    {
        buffer.putShort(COUNT_OFFSET, (short)members.size(), ORDER);
        for (int i = 0; i < members.size(); i++)
        {
            final int at = ENTRIES_OFFSET + i * ENTRY_LENGTH;
            buffer.setMemory(at, ENTRY_LENGTH, (byte)0);
            buffer.putInt(at, members.get(i), ORDER);
        }
        return this;
    }

    int indexOf(final int nodeId)
    {
        for (int i = 0; i < count(); i++)
        {
            if (nodeId(i) == nodeId)
            {
                return i;
            }
        }
        return -1;
    }

    int nodeId(final int i)
    {
        return buffer.getInt(ENTRIES_OFFSET + i * ENTRY_LENGTH, ORDER);
    }

    long oldRingSeq(final int i)
    {
        return buffer.getLong(ENTRIES_OFFSET + i * ENTRY_LENGTH + 4, ORDER);
    }

    int oldRingRep(final int i)
    {
        return buffer.getInt(ENTRIES_OFFSET + i * ENTRY_LENGTH + 12, ORDER);
    }

    long oldRingAru(final int i)
    {
        return buffer.getLong(ENTRIES_OFFSET + i * ENTRY_LENGTH + 16, ORDER);
    }

    long highDelivered(final int i)
    {
        return buffer.getLong(ENTRIES_OFFSET + i * ENTRY_LENGTH + 24, ORDER);
    }

    boolean received(final int i)
    {
        return buffer.getByte(ENTRIES_OFFSET + i * ENTRY_LENGTH + 32) != 0;
    }

    /** The member left old-ring members behind without a token loss (they may still think R alive). */
    boolean leftBehind(final int i)
    {
        return (buffer.getByte(ENTRIES_OFFSET + i * ENTRY_LENGTH + 33) & 1) != 0;
    }

    CommitTokenFlyweight leftBehind(final int i, final boolean value)
    {
        buffer.putByte(ENTRIES_OFFSET + i * ENTRY_LENGTH + 33, (byte)(value ? 1 : 0));
        return this;
    }

    CommitTokenFlyweight entry(final int i, final long oldRingSeq, final int oldRingRep, final long oldRingAru,
        final long highDelivered, final boolean received)
    {
        final int at = ENTRIES_OFFSET + i * ENTRY_LENGTH;
        buffer.putLong(at + 4, oldRingSeq, ORDER);
        buffer.putInt(at + 12, oldRingRep, ORDER);
        buffer.putLong(at + 16, oldRingAru, ORDER);
        buffer.putLong(at + 24, highDelivered, ORDER);
        buffer.putByte(at + 32, (byte)(received ? 1 : 0));
        return this;
    }
}
