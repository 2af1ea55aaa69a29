package org.ringmaster.quorum.qdisk;

/**
 * A quorum-disk problem: bad setting (the message names the key) or an unusable disk (the message
 * names the path, the operation and offset, and says "disk full" for ENOSPC).
 */
public final class QdiskException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    public QdiskException(final String where, final String message)
    {
        super(where + ": " + message);
    }

    public QdiskException(final String where, final String message, final Throwable cause)
    {
        super(where + ": " + message, cause);
    }
}
