package org.ringmaster.quorum;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Wire format of the messages quorum exchanges through the {@link OrderedChannel}. Little endian.
 *
 * <pre>
 * header (24 bytes): magic u16 'RQ' | version u8 | type u8 | ring seq i64 | ring rep i32 | sender i32 | body length i32
 * NODE_INFO    : votes i32 | expected i32 | flags i32 | lastQuorate seq i64 | rep i32 | count i32 | ids i32*count
 * SET_EXPECTED : value i32
 * SET_VOTES    : node i32 | votes i32
 * DEVICE_VOTE  : cast i32 (0|1)
 * CANCEL_WFA, LEAVING, LMS_RECALC : no body
 * </pre>
 *
 * Decoding validates every length and value and throws {@link MalformedMessageException} naming the field.
 */
final class QuorumCodec
{
    static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    static final short MAGIC = 0x5152; // "RQ" little endian
    static final byte VERSION = 1;
    static final int HEADER_LENGTH = 24;
    static final int MAX_NODES = 1024;

    static final int FLAG_WAITING = 1;
    static final int FLAG_DEVICE_CAST = 2;
    static final int FLAG_LEAVING = 4;
    static final int FLAG_QUORATE = 8;

    enum Type
    {
        NODE_INFO(1), SET_EXPECTED(2), SET_VOTES(3), DEVICE_VOTE(4), CANCEL_WFA(5), LEAVING(6), LMS_RECALC(7);

        final int code;

        Type(final int code)
        {
            this.code = code;
        }

        static Type of(final int code)
        {
            for (final Type t : values())
            {
                if (t.code == code)
                {
                    return t;
                }
            }
            return null;
        }
    }

    /** A decoded header; the body is read with the static getters below. */
    static final class Header
    {
        Type type;
        RingId ring;
        int sender;
        int bodyOffset;
        int bodyLength;
    }

    static final class MalformedMessageException extends Exception
    {
        private static final long serialVersionUID = 1L;

        MalformedMessageException(final String message)
        {
            super(message);
        }
    }

    private QuorumCodec()
    {
    }

    static int putHeader(final MutableDirectBuffer b, final int off, final Type type, final RingId ring,
        final int sender, final int bodyLength)
    {
        b.putShort(off, MAGIC, ORDER);
        b.putByte(off + 2, VERSION);
        b.putByte(off + 3, (byte)type.code);
        b.putLong(off + 4, ring.seq(), ORDER);
        b.putInt(off + 12, ring.representative(), ORDER);
        b.putInt(off + 16, sender, ORDER);
        b.putInt(off + 20, bodyLength, ORDER);
        return HEADER_LENGTH;
    }

    static int encodeNodeInfo(final MutableDirectBuffer b, final int off, final RingId ring, final int sender,
        final int votes, final int expected, final int flags, final RingId lastQuorateRing, final int[] lastQuorate)
    {
        final int body = 28 + 4 * lastQuorate.length;
        putHeader(b, off, Type.NODE_INFO, ring, sender, body);
        int p = off + HEADER_LENGTH;
        b.putInt(p, votes, ORDER);
        b.putInt(p + 4, expected, ORDER);
        b.putInt(p + 8, flags, ORDER);
        b.putLong(p + 12, lastQuorateRing.seq(), ORDER);
        b.putInt(p + 20, lastQuorateRing.representative(), ORDER);
        b.putInt(p + 24, lastQuorate.length, ORDER);
        p += 28;
        for (final int id : lastQuorate)
        {
            b.putInt(p, id, ORDER);
            p += 4;
        }
        return HEADER_LENGTH + body;
    }

    static int encodeInts(final MutableDirectBuffer b, final int off, final Type type, final RingId ring,
        final int sender, final int... values)
    {
        putHeader(b, off, type, ring, sender, 4 * values.length);
        for (int i = 0; i < values.length; i++)
        {
            b.putInt(off + HEADER_LENGTH + 4 * i, values[i], ORDER);
        }
        return HEADER_LENGTH + 4 * values.length;
    }

    static void decodeHeader(final DirectBuffer b, final int off, final int length, final Header h)
        throws MalformedMessageException
    {
        if (length < HEADER_LENGTH)
        {
            throw new MalformedMessageException("message of " + length + " bytes is shorter than the header");
        }
        if (b.getShort(off, ORDER) != MAGIC)
        {
            throw new MalformedMessageException("bad magic 0x" + Integer.toHexString(b.getShort(off, ORDER) & 0xffff));
        }
        if (b.getByte(off + 2) != VERSION)
        {
            throw new MalformedMessageException("unsupported version " + b.getByte(off + 2));
        }
        final Type type = Type.of(b.getByte(off + 3));
        if (type == null)
        {
            throw new MalformedMessageException("unknown type " + b.getByte(off + 3));
        }
        final int bodyLength = b.getInt(off + 20, ORDER);
        if (bodyLength < 0 || bodyLength != length - HEADER_LENGTH)
        {
            throw new MalformedMessageException("body length " + bodyLength + " does not match message length " + length);
        }
        final int expectedBody;
        switch (type)
        {
            case NODE_INFO: expectedBody = -1; break;
            case SET_EXPECTED: case DEVICE_VOTE: expectedBody = 4; break;
            case SET_VOTES: expectedBody = 8; break;
            default: expectedBody = 0;
        }
        if (expectedBody >= 0 && bodyLength != expectedBody)
        {
            throw new MalformedMessageException(type + " body must be " + expectedBody + " bytes, got " + bodyLength);
        }
        if (type == Type.NODE_INFO)
        {
            if (bodyLength < 28)
            {
                throw new MalformedMessageException("NODE_INFO body of " + bodyLength + " bytes is too short");
            }
            final int count = b.getInt(off + HEADER_LENGTH + 24, ORDER);
            if (count < 0 || count > MAX_NODES || bodyLength != 28 + 4 * count)
            {
                throw new MalformedMessageException("NODE_INFO last-quorate count " + count + " does not fit " + bodyLength + " bytes");
            }
        }
        h.type = type;
        h.ring = new RingId(b.getLong(off + 4, ORDER), b.getInt(off + 12, ORDER));
        h.sender = b.getInt(off + 16, ORDER);
        if (h.sender <= 0)
        {
            throw new MalformedMessageException("sender node id " + h.sender + " is not positive");
        }
        h.bodyOffset = off + HEADER_LENGTH;
        h.bodyLength = bodyLength;
    }

    static int intAt(final DirectBuffer b, final Header h, final int index)
    {
        return b.getInt(h.bodyOffset + 4 * index, ORDER);
    }

    static RingId nodeInfoLastQuorateRing(final DirectBuffer b, final Header h)
    {
        return new RingId(b.getLong(h.bodyOffset + 12, ORDER), b.getInt(h.bodyOffset + 20, ORDER));
    }

    static int[] nodeInfoLastQuorate(final DirectBuffer b, final Header h)
    {
        final int count = b.getInt(h.bodyOffset + 24, ORDER);
        final int[] ids = new int[count];
        for (int i = 0; i < count; i++)
        {
            ids[i] = b.getInt(h.bodyOffset + 28 + 4 * i, ORDER);
        }
        return ids;
    }
}
