package org.ringmaster.membership.link;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/** Offsets and accessors of the link header (layout in package-info); network byte order. */
final class LinkFrame
{
    static final ByteOrder ORDER = ByteOrder.BIG_ENDIAN;
    static final int VERSION = 1;

    static final int TYPE_DATA = 1;
    static final int TYPE_PING = 2;
    static final int TYPE_PONG = 3;

    static final int VERSION_OFFSET = 0;
    static final int TYPE_OFFSET = 1;
    static final int LINK_OFFSET = 2;
    static final int FLAGS_OFFSET = 3;
    static final int SENDER_OFFSET = 4;
    static final int SESSION_OFFSET = 8;
    static final int SEQ_OFFSET = 16;
    static final int HEADER_LENGTH = 24;

    private LinkFrame()
    {
    }

    /** Write a header; {@code seq} is the data sequence, or the ping's send time for ping and pong. */
    static void put(
        final MutableDirectBuffer buffer,
        final int type,
        final int link,
        final int sender,
        final long session,
        final long seq)
    {
        buffer.putByte(VERSION_OFFSET, (byte)VERSION);
        buffer.putByte(TYPE_OFFSET, (byte)type);
        buffer.putByte(LINK_OFFSET, (byte)link);
        buffer.putByte(FLAGS_OFFSET, (byte)0);
        buffer.putInt(SENDER_OFFSET, sender, ORDER);
        buffer.putLong(SESSION_OFFSET, session, ORDER);
        buffer.putLong(SEQ_OFFSET, seq, ORDER);
    }

    /** Rewrite only the link number of a header already in the buffer (one frame, several links). */
    static void putLink(final MutableDirectBuffer buffer, final int link)
    {
        buffer.putByte(LINK_OFFSET, (byte)link);
    }

    static int version(final DirectBuffer buffer, final int offset)
    {
        return buffer.getByte(offset + VERSION_OFFSET) & 0xff;
    }

    static int type(final DirectBuffer buffer, final int offset)
    {
        return buffer.getByte(offset + TYPE_OFFSET) & 0xff;
    }

    static int link(final DirectBuffer buffer, final int offset)
    {
        return buffer.getByte(offset + LINK_OFFSET) & 0xff;
    }

    static int flags(final DirectBuffer buffer, final int offset)
    {
        return buffer.getByte(offset + FLAGS_OFFSET) & 0xff;
    }

    static int sender(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + SENDER_OFFSET, ORDER);
    }

    static long session(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + SESSION_OFFSET, ORDER);
    }

    static long seq(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + SEQ_OFFSET, ORDER);
    }
}
