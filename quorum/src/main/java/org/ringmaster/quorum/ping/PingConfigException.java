package org.ringmaster.quorum.ping;

/** A ping-device setting is malformed; the message names the key. */
public final class PingConfigException extends IllegalArgumentException
{
    private static final long serialVersionUID = 1L;

    public PingConfigException(final String key, final String message)
    {
        super(key + ": " + message);
    }
}
