package org.ringmaster.totem.security;

import java.nio.ByteOrder;

/** Offsets of the sealed frame header (see package-info); network byte order. */
final class Frame
{
    static final ByteOrder ORDER = ByteOrder.BIG_ENDIAN;
    static final int VERSION = 1;

    static final int VERSION_OFFSET = 0;
    static final int MODE_OFFSET = 1;
    static final int RESERVED_OFFSET = 2;
    static final int SENDER_OFFSET = 4;
    static final int SESSION_OFFSET = 8;
    static final int COUNTER_OFFSET = 16;
    static final int HEADER_LENGTH = 24;

    private Frame()
    {
    }
}
