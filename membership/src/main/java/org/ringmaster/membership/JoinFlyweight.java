package org.ringmaster.membership;

import org.agrona.DirectBuffer;
import org.ringmaster.totem.codec.DecodeError;
import org.ringmaster.totem.codec.HeaderFlyweight;
import org.ringmaster.totem.codec.MessageType;

/**
 * A join message (Totem SRP §6.1): the sender's proc set and fail set and the highest ring seq it
 * knows. The header's ring id is the sender's current ring.
 *
 * <pre>
 * 20  ringSeqSeen  i64
 * 28  procCount    u16
 * 30  failCount    u16
 * 32  proc ids     i32 x procCount, then fail ids i32 x failCount
 * </pre>
 */
final class JoinFlyweight extends HeaderFlyweight
{
    static final int RING_SEQ_SEEN_OFFSET = HEADER_LENGTH;
    static final int PROC_COUNT_OFFSET = RING_SEQ_SEEN_OFFSET + 8;
    static final int FAIL_COUNT_OFFSET = PROC_COUNT_OFFSET + 2;
    static final int IDS_OFFSET = FAIL_COUNT_OFFSET + 2;
    static final int MAX_IDS = 1024;

    static int lengthFor(final int procCount, final int failCount)
    {
        return IDS_OFFSET + 4 * (procCount + failCount);
    }

    @Override
    public JoinFlyweight wrap(final DirectBuffer source, final int offset, final int length)
    {
        super.wrap(source, offset, length);
        return this;
    }

    @Override
    public DecodeError validate()
    {
        final DecodeError prologue = validatePrologue(MessageType.JOIN, IDS_OFFSET);
        if (prologue != DecodeError.NONE)
        {
            return prologue;
        }
        if (procCount() > MAX_IDS || failCount() > procCount())
        {
            return DecodeError.BAD_COUNT;
        }
        if (length != lengthFor(procCount(), failCount()))
        {
            return DecodeError.BAD_LENGTH;
        }
        for (int i = 0; i < procCount() + failCount(); i++)
        {
            if (buffer.getInt(IDS_OFFSET + 4 * i, ORDER) <= 0)
            {
                return DecodeError.BAD_FIELD;
            }
        }
        return ringSeqSeen() < 0 ? DecodeError.BAD_FIELD : DecodeError.NONE;
    }

    long ringSeqSeen()
    {
        return buffer.getLong(RING_SEQ_SEEN_OFFSET, ORDER);
    }

    int procCount()
    {
        return buffer.getShort(PROC_COUNT_OFFSET, ORDER) & 0xFFFF;
    }

    int failCount()
    {
        return buffer.getShort(FAIL_COUNT_OFFSET, ORDER) & 0xFFFF;
    }

    int proc(final int index)
    {
        return buffer.getInt(IDS_OFFSET + 4 * index, ORDER);
    }

    int fail(final int index)
    {
        return buffer.getInt(IDS_OFFSET + 4 * (procCount() + index), ORDER);
    }

    /** Encode after {@link #putHeader}; returns the datagram length. */
    int putBody(final long ringSeqSeen, final NodeSet proc, final NodeSet fail)
    {
        buffer.putLong(RING_SEQ_SEEN_OFFSET, ringSeqSeen, ORDER);
        buffer.putShort(PROC_COUNT_OFFSET, (short)proc.size(), ORDER);
        buffer.putShort(FAIL_COUNT_OFFSET, (short)fail.size(), ORDER);
        int at = IDS_OFFSET;
        for (int i = 0; i < proc.size(); i++, at += 4)
        {
            buffer.putInt(at, proc.get(i), ORDER);
        }
        for (int i = 0; i < fail.size(); i++, at += 4)
        {
            buffer.putInt(at, fail.get(i), ORDER);
        }
        return at;
    }
}
