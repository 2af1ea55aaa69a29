package org.ringmaster.totem.codec;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The header every Totem datagram starts with (little-endian):
 *
 * <pre>
 *  0  magic     u16  0x5452 ("TR")
 *  2  version   u8   1
 *  3  type      u8   {@link MessageType}
 *  4  sender    i32  originating (data) or forwarding (token) node id
 *  8  ringSeq   i64  ring id: sequence
 * 16  ringRep   i32  ring id: representative node id
 * 20  (body)
 * </pre>
 *
 * Flyweights are created once and re-wrapped per datagram: no allocation per message.
 */
public class HeaderFlyweight
{
    public static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    public static final int MAGIC = 0x5452;
    public static final int VERSION = 1;

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 2;
    public static final int TYPE_OFFSET = 3;
    public static final int SENDER_OFFSET = 4;
    public static final int RING_SEQ_OFFSET = 8;
    public static final int RING_REP_OFFSET = 16;
    public static final int HEADER_LENGTH = 20;

    protected final UnsafeBuffer buffer = new UnsafeBuffer(0, 0);
    protected int offset;
    protected int length;

    /** Wrap a region to read or write; nothing is checked until {@link #validate()}. */
    public HeaderFlyweight wrap(final DirectBuffer source, final int offset, final int length)
    {
        buffer.wrap(source, offset, length);
        this.offset = 0;
        this.length = length;
        return this;
    }

    public MutableDirectBuffer buffer()
    {
        return buffer;
    }

    public int length()
    {
        return length;
    }

    /** Check the common header only. */
    public DecodeError validateHeader()
    {
        if (length < HEADER_LENGTH)
        {
            return DecodeError.TOO_SHORT;
        }
        if ((buffer.getShort(MAGIC_OFFSET, ORDER) & 0xFFFF) != MAGIC)
        {
            return DecodeError.BAD_MAGIC;
        }
        if ((buffer.getByte(VERSION_OFFSET) & 0xFF) != VERSION)
        {
            return DecodeError.BAD_VERSION;
        }
        if (MessageType.fromCode(buffer.getByte(TYPE_OFFSET) & 0xFF) == null)
        {
            return DecodeError.UNKNOWN_TYPE;
        }
        return DecodeError.NONE;
    }

    /**
     * The checks every typed message starts with: a sound header, the expected type, and at least
     * {@code minLength} bytes. Subclasses follow it with their body rules.
     */
    protected final DecodeError validatePrologue(final MessageType expected, final int minLength)
    {
        final DecodeError header = validateHeader();
        if (header != DecodeError.NONE)
        {
            return header;
        }
        if (typeCode() != expected.code())
        {
            return DecodeError.UNKNOWN_TYPE;
        }
        return length < minLength ? DecodeError.TOO_SHORT : DecodeError.NONE;
    }

    /** Check the whole datagram; subclasses add their body rules. */
    public DecodeError validate()
    {
        return validateHeader();
    }

    /** The datagram's type code, only meaningful after {@link #validateHeader()}. */
    public int typeCode()
    {
        return buffer.getByte(TYPE_OFFSET) & 0xFF;
    }

    public MessageType type()
    {
        return MessageType.fromCode(typeCode());
    }

    public int sender()
    {
        return buffer.getInt(SENDER_OFFSET, ORDER);
    }

    public long ringSeq()
    {
        return buffer.getLong(RING_SEQ_OFFSET, ORDER);
    }

    public int ringRep()
    {
        return buffer.getInt(RING_REP_OFFSET, ORDER);
    }

    /** Write the common header. */
    public HeaderFlyweight putHeader(final MessageType type, final int sender, final long ringSeq, final int ringRep)
    {
        buffer.putShort(MAGIC_OFFSET, (short)MAGIC, ORDER);
        buffer.putByte(VERSION_OFFSET, (byte)VERSION);
        buffer.putByte(TYPE_OFFSET, (byte)type.code());
        buffer.putInt(SENDER_OFFSET, sender, ORDER);
        buffer.putLong(RING_SEQ_OFFSET, ringSeq, ORDER);
        buffer.putInt(RING_REP_OFFSET, ringRep, ORDER);
        return this;
    }

    public HeaderFlyweight sender(final int sender)
    {
        buffer.putInt(SENDER_OFFSET, sender, ORDER);
        return this;
    }

    /** Validate and throw the typed error; for callers outside the hot path. */
    public final void validateOrThrow()
    {
        final DecodeError error = validate();
        if (error != DecodeError.NONE)
        {
            throw new DecodeException(error, "datagram of " + length + " bytes");
        }
    }
}
