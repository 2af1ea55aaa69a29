package org.ringmaster.quorum;

/**
 * One node as quorum sees it.
 *
 * @param nodeId        node id.
 * @param votes         its votes (last known for nodes that are not members).
 * @param expectedVotes the expected votes it announced (0 if never heard from).
 * @param state         member, dead (not in this configuration) or leaving (announced a clean leave).
 */
public record NodeStatus(int nodeId, int votes, int expectedVotes, State state)
{
    /** Node states after votequorum_getinfo(3). */
    public enum State
    {
        MEMBER, DEAD, LEAVING
    }
}
