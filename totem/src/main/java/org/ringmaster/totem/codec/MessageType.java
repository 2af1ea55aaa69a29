package org.ringmaster.totem.codec;

/**
 * Totem datagram types. Codes are stable on the wire; new types only append.
 * JOIN, COMMIT_TOKEN, MERGE_DETECT and LEAVE are reserved for the membership layer.
 */
public enum MessageType
{
    DATA(1),
    TOKEN(2),
    JOIN(3),
    COMMIT_TOKEN(4),
    MERGE_DETECT(5),
    TOKEN_HOLD_CANCEL(6),
    LEAVE(7);

    private static final MessageType[] BY_CODE = new MessageType[8];

    static
    {
        for (final MessageType type : values())
        {
            BY_CODE[type.code] = type;
        }
    }

    private final int code;

    MessageType(final int code)
    {
        this.code = code;
    }

    public int code()
    {
        return code;
    }

    /** @return the type for a wire code, or {@code null} if the code is unknown. */
    public static MessageType fromCode(final int code)
    {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
