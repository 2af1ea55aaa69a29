package org.ringmaster.totem.codec;

import org.agrona.DirectBuffer;

/**
 * The regular token (Totem SRP §5.1, §7.1, §8.1).
 *
 * <pre>
 * 20  tokenSeq    i64  +1 per accepted hop; duplicates have tokenSeq &le; the receiver's
 * 28  seq         i64  highest message seq assigned on this ring
 * 36  aru         i64  all-received-up-to low-water mark
 * 44  aruId       i32  node that last lowered aru, 0 (NONE) when aru == seq
 * 48  fcc         i32  messages sent by all nodes during the last rotation
 * 52  backlog     i32  sum of the nodes' queued messages
 * 56  retransFlg  u8   recovery only
 * 57  reserved    u8
 * 58  rtrCount    u16
 * 60  rtr entries: ringSeq i64, ringRep i32, seq i64 (20 bytes each)
 * </pre>
 */
public final class TokenFlyweight extends HeaderFlyweight
{
    public static final int TOKEN_SEQ_OFFSET = HEADER_LENGTH;
    public static final int SEQ_OFFSET = TOKEN_SEQ_OFFSET + 8;
    public static final int ARU_OFFSET = SEQ_OFFSET + 8;
    public static final int ARU_ID_OFFSET = ARU_OFFSET + 8;
    public static final int FCC_OFFSET = ARU_ID_OFFSET + 4;
    public static final int BACKLOG_OFFSET = FCC_OFFSET + 4;
    public static final int RETRANS_FLG_OFFSET = BACKLOG_OFFSET + 4;
    public static final int RTR_COUNT_OFFSET = RETRANS_FLG_OFFSET + 2;
    public static final int RTR_OFFSET = RTR_COUNT_OFFSET + 2;
    public static final int RTR_ENTRY_LENGTH = 20;
    /** Hard cap on the retransmit list, whatever the datagram size. */
    public static final int MAX_RTR_ENTRIES = 1024;
    public static final int NO_ARU_ID = 0;

    /** Length of a token carrying {@code rtrCount} retransmit requests. */
    public static int lengthFor(final int rtrCount)
    {
        return RTR_OFFSET + rtrCount * RTR_ENTRY_LENGTH;
    }

    @Override
    public TokenFlyweight wrap(final DirectBuffer source, final int offset, final int length)
    {
        super.wrap(source, offset, length);
        return this;
    }

    @Override
    public DecodeError validate()
    {
        final DecodeError prologue = validatePrologue(MessageType.TOKEN, RTR_OFFSET);
        if (prologue != DecodeError.NONE)
        {
            return prologue;
        }
        final int count = rtrCount();
        if (count > MAX_RTR_ENTRIES)
        {
            return DecodeError.BAD_COUNT;
        }
        if (length != lengthFor(count))
        {
            return DecodeError.BAD_LENGTH;
        }
        if (tokenSeq() < 0 || seq() < 0 || aru() < 0 || aru() > seq() || fcc() < 0 || backlog() < 0)
        {
            return DecodeError.BAD_FIELD;
        }
        return DecodeError.NONE;
    }

    public long tokenSeq()
    {
        return buffer.getLong(TOKEN_SEQ_OFFSET, ORDER);
    }

    public TokenFlyweight tokenSeq(final long value)
    {
        buffer.putLong(TOKEN_SEQ_OFFSET, value, ORDER);
        return this;
    }

    public long seq()
    {
        return buffer.getLong(SEQ_OFFSET, ORDER);
    }

    public TokenFlyweight seq(final long value)
    {
        buffer.putLong(SEQ_OFFSET, value, ORDER);
        return this;
    }

    public long aru()
    {
        return buffer.getLong(ARU_OFFSET, ORDER);
    }

    public TokenFlyweight aru(final long value)
    {
        buffer.putLong(ARU_OFFSET, value, ORDER);
        return this;
    }

    public int aruId()
    {
        return buffer.getInt(ARU_ID_OFFSET, ORDER);
    }

    public TokenFlyweight aruId(final int value)
    {
        buffer.putInt(ARU_ID_OFFSET, value, ORDER);
        return this;
    }

    public int fcc()
    {
        return buffer.getInt(FCC_OFFSET, ORDER);
    }

    public TokenFlyweight fcc(final int value)
    {
        buffer.putInt(FCC_OFFSET, value, ORDER);
        return this;
    }

    public int backlog()
    {
        return buffer.getInt(BACKLOG_OFFSET, ORDER);
    }

    public TokenFlyweight backlog(final int value)
    {
        buffer.putInt(BACKLOG_OFFSET, value, ORDER);
        return this;
    }

    public boolean retransFlg()
    {
        return buffer.getByte(RETRANS_FLG_OFFSET) != 0;
    }

    public TokenFlyweight retransFlg(final boolean value)
    {
        buffer.putByte(RETRANS_FLG_OFFSET, (byte)(value ? 1 : 0));
        buffer.putByte(RETRANS_FLG_OFFSET + 1, (byte)0);
        return this;
    }

    public int rtrCount()
    {
        return buffer.getShort(RTR_COUNT_OFFSET, ORDER) & 0xFFFF;
    }

    public TokenFlyweight rtrCount(final int value)
    {
        buffer.putShort(RTR_COUNT_OFFSET, (short)value, ORDER);
        return this;
    }

    public long rtrRingSeq(final int index)
    {
        return buffer.getLong(RTR_OFFSET + index * RTR_ENTRY_LENGTH, ORDER);
    }

    public int rtrRingRep(final int index)
    {
        return buffer.getInt(RTR_OFFSET + index * RTR_ENTRY_LENGTH + 8, ORDER);
    }

    public long rtrSeq(final int index)
    {
        return buffer.getLong(RTR_OFFSET + index * RTR_ENTRY_LENGTH + 12, ORDER);
    }

    public TokenFlyweight rtr(final int index, final long ringSeq, final int ringRep, final long seq)
    {
        final int at = RTR_OFFSET + index * RTR_ENTRY_LENGTH;
        buffer.putLong(at, ringSeq, ORDER);
        buffer.putInt(at + 8, ringRep, ORDER);
        buffer.putLong(at + 12, seq, ORDER);
        return this;
    }
}
