package org.ringmaster.quorum;

/**
 * Upper layers learn quorum through this callback. It is invoked on the quorum duty-cycle thread after
 * every configuration change, after the vote exchange that follows it, and whenever votes, expected
 * votes, device votes or the quorate flag change. It must not block.
 */
@FunctionalInterface
public interface QuorumListener
{
    void onQuorumChange(QuorumState state);
}
