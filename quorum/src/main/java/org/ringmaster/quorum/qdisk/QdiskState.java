package org.ringmaster.quorum.qdisk;

/** What a node advertises in its quorum-disk slot. */
public enum QdiskState
{
    /** Not eligible: disk trouble, still starting, or score below min_score. */
    NONE(0),
    /** Eligible, following a master or observing. */
    RUN(1),
    /** Bidding to become master. */
    BID(2),
    /** The master: its partition gets the device votes. */
    MASTER(3);

    final int code;

    QdiskState(final int code)
    {
        this.code = code;
    }

    static QdiskState of(final int code)
    {
        for (final QdiskState s : values())
        {
            if (s.code == code)
            {
                return s;
            }
        }
        return null;
    }
}
