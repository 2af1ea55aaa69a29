package org.ringmaster.totem.codec;

/** Why a datagram could not be decoded. {@link #NONE} means it is well formed. */
public enum DecodeError
{
    NONE,
    TOO_SHORT,
    BAD_MAGIC,
    BAD_VERSION,
    UNKNOWN_TYPE,
    BAD_LENGTH,
    BAD_COUNT,
    BAD_FIELD
}
