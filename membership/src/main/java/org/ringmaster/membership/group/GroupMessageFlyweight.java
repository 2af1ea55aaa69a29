package org.ringmaster.membership.group;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.ringmaster.totem.codec.DecodeError;

/**
 * Group messages carried in the channel's payloads (little-endian). Every message starts with:
 *
 * <pre>
 *  0  magic       u16  0x4752 ("GR")
 *  2  version     u8   1
 *  3  type        u8   1 JOIN, 2 LEAVE, 3 DATA, 4 SYNC ({@link SyncMessageFlyweight})
 * </pre>
 *
 * JOIN, LEAVE and DATA continue with:
 *
 * <pre>
 *  4  memberId    i32  &gt; 0
 *  8  nameLength  u16  1..255
 * 10  name        UTF-8 group name
 * 10+nameLength   payload (DATA only; JOIN and LEAVE end after the name)
 * </pre>
 *
 * Nothing is checked until {@link #validate()}; flyweights are created once and re-wrapped.
 */
class GroupMessageFlyweight
{
    static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    static final int MAGIC = 0x4752;
    static final int VERSION = 1;

    static final int TYPE_JOIN = 1;
    static final int TYPE_LEAVE = 2;
    static final int TYPE_DATA = 3;
    static final int TYPE_SYNC = 4;

    static final int MAGIC_OFFSET = 0;
    static final int VERSION_OFFSET = 2;
    static final int TYPE_OFFSET = 3;
    static final int HEADER_LENGTH = 4;

    static final int MEMBER_ID_OFFSET = HEADER_LENGTH;
    static final int NAME_LENGTH_OFFSET = MEMBER_ID_OFFSET + 4;
    static final int NAME_OFFSET = NAME_LENGTH_OFFSET + 2;

    /** Longest group name in UTF-8 bytes. */
    static final int MAX_NAME_LENGTH = 255;

    protected final UnsafeBuffer buffer = new UnsafeBuffer(0, 0);
    protected int length;

    GroupMessageFlyweight wrap(final DirectBuffer source, final int offset, final int length)
    {
        buffer.wrap(source, offset, length);
        this.length = length;
        return this;
    }

    MutableDirectBuffer buffer()
    {
        return buffer;
    }

    int length()
    {
        return length;
    }

    final DecodeError validateHeader()
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
        final int type = type();
        if (type < TYPE_JOIN || type > TYPE_SYNC)
        {
            return DecodeError.UNKNOWN_TYPE;
        }
        return DecodeError.NONE;
    }

    /** Check a JOIN, LEAVE or DATA message. */
    DecodeError validate()
    {
        final DecodeError header = validateHeader();
        if (header != DecodeError.NONE)
        {
            return header;
        }
        if (type() == TYPE_SYNC)
        {
            return DecodeError.UNKNOWN_TYPE;
        }
        if (length < NAME_OFFSET)
        {
            return DecodeError.TOO_SHORT;
        }
        if (memberId() <= 0)
        {
            return DecodeError.BAD_FIELD;
        }
        final int nameLength = nameLength();
        if (nameLength == 0 || nameLength > MAX_NAME_LENGTH)
        {
            return DecodeError.BAD_FIELD;
        }
        if (NAME_OFFSET + nameLength > length)
        {
            return DecodeError.BAD_LENGTH;
        }
        if (type() != TYPE_DATA && NAME_OFFSET + nameLength != length)
        {
            return DecodeError.BAD_LENGTH;
        }
        return DecodeError.NONE;
    }

    int type()
    {
        return buffer.getByte(TYPE_OFFSET) & 0xFF;
    }

    int memberId()
    {
        return buffer.getInt(MEMBER_ID_OFFSET, ORDER);
    }

    int nameLength()
    {
        return buffer.getShort(NAME_LENGTH_OFFSET, ORDER) & 0xFFFF;
    }

    /** The group name, or {@code null} if its bytes are not a valid name. */
    String name()
    {
        return GroupNames.decode(buffer, NAME_OFFSET, nameLength());
    }

    int payloadOffset()
    {
        return NAME_OFFSET + nameLength();
    }

    int payloadLength()
    {
        return length - payloadOffset();
    }

    /** Write the common header. */
    final void putHeader(final int type)
    {
        buffer.putShort(MAGIC_OFFSET, (short)MAGIC, ORDER);
        buffer.putByte(VERSION_OFFSET, (byte)VERSION);
        buffer.putByte(TYPE_OFFSET, (byte)type);
    }

    /**
     * Write a JOIN, LEAVE or DATA message up to the payload into the wrapped buffer.
     *
     * @return the payload offset, where DATA's payload goes.
     */
    int encode(final int type, final int memberId, final byte[] name)
    {
        putHeader(type);
        buffer.putInt(MEMBER_ID_OFFSET, memberId, ORDER);
        buffer.putShort(NAME_LENGTH_OFFSET, (short)name.length, ORDER);
        buffer.putBytes(NAME_OFFSET, name);
        return NAME_OFFSET + name.length;
    }

    static int encodedLength(final byte[] name, final int payloadLength)
    {
        return NAME_OFFSET + name.length + payloadLength;
    }
}
