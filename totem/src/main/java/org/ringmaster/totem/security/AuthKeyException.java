package org.ringmaster.totem.security;

/** An authkey file that cannot be used; the message names the file and what is wrong with it. */
public final class AuthKeyException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    public AuthKeyException(final String message)
    {
        super(message);
    }

    public AuthKeyException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
