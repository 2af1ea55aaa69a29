package org.ringmaster.quorum;

/**
 * A quorum setting is missing, malformed or conflicts with another one. The message always names the
 * offending key (Corosync spelling, e.g. {@code quorum.two_node}) and the value that was given.
 */
public final class QuorumConfigException extends IllegalArgumentException
{
    private static final long serialVersionUID = 1L;

    private final String key;

    public QuorumConfigException(final String key, final String message)
    {
        super(key + ": " + message);
        this.key = key;
    }

    /** The configuration key at fault. */
    public String key()
    {
        return key;
    }
}
