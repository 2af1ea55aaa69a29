package org.ringmaster.totem.codec;

/**
 * The one exception a decoder raises: a datagram is malformed. The hot path validates with
 * {@code validate()} and never throws; this exists for callers that prefer exceptions.
 */
public final class DecodeException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final DecodeError error;

    public DecodeException(final DecodeError error, final String detail)
    {
        super(error + ": " + detail);
        this.error = error;
    }

    public DecodeError error()
    {
        return error;
    }
}
