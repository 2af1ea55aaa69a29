/**
 * votequorum for Ringmaster: {@link org.ringmaster.quorum.QuorumConfig} (Corosync keys, validated once),
 * the pure vote arithmetic {@link org.ringmaster.quorum.QuorumRules}, and the deterministic per-node state
 * machine {@link org.ringmaster.quorum.VoteQuorum} that exchanges votes in total order so every member of
 * a configuration reaches the same verdict. Inputs from membership are our own narrow types
 * {@link org.ringmaster.quorum.ConfigurationChange} and {@link org.ringmaster.quorum.OrderedChannel};
 * tiebreakers implement {@link org.ringmaster.quorum.QuorumDevice}. Where our rules differ from
 * Corosync's votequorum(5), quorum/README.md lists each difference and why.
 */
package org.ringmaster.quorum;
