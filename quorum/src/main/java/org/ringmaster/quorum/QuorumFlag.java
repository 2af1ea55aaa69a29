package org.ringmaster.quorum;

/** Flags reported with every {@link QuorumState}, after votequorum_getinfo(3). */
public enum QuorumFlag
{
    /** The partition has quorum. */
    QUORATE,
    /** two_node is configured and active (quorum is 1). */
    TWO_NODE,
    /** wait_for_all is configured. */
    WAIT_FOR_ALL,
    /** wait_for_all is holding quorum back until every expected vote has been seen at once. */
    WAITING_FOR_ALL,
    /** last_man_standing is configured. */
    LAST_MAN_STANDING,
    /** auto_tie_breaker is configured (and effective). */
    AUTO_TIE_BREAKER,
    /** The partition is quorate only because it holds the tie-breaker node of an exact 50/50 split. */
    TIE_BROKEN,
    /** allow_downscale is configured. */
    ALLOW_DOWNSCALE,
    /** A quorum device is configured. */
    QUORUM_DEVICE,
    /** A member of this partition casts the device's votes. */
    QUORUM_DEVICE_CAST_VOTE,
    /** The vote exchange for the current ring has not finished; the state is provisional. */
    SYNCING
}
