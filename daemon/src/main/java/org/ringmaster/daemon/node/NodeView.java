package org.ringmaster.daemon.node;

import java.util.Arrays;
import java.util.Optional;
import org.ringmaster.quorum.QuorumState;

/**
 * What one node looks like from outside, at one moment: published by the node's agent thread after
 * every change, read by the admin socket from any thread. Immutable.
 *
 * @param nodeId         this node
 * @param state          membership state: OPERATIONAL, GATHER, COMMIT, RECOVERY, or LEFT after a clean leave
 * @param ringSeq        the installed ring's seq (0 before the first)
 * @param ringRep        the installed ring's representative
 * @param members        members of the installed (regular) configuration, ascending
 * @param lastReason     why the last configuration change happened (START, LEAVE, TOKEN_LOSS, MERGE, ...)
 * @param configChanges  regular configurations delivered since start
 * @param quorum         votequorum's state, when quorum is configured
 */
public record NodeView(int nodeId, String state, long ringSeq, int ringRep, int[] members, String lastReason,
                       long configChanges, Optional<QuorumState> quorum) {

    public NodeView {
        members = members.clone();
    }

    @Override
    public int[] members() {
        return members.clone();
    }

    public boolean isMember(int id) {
        return Arrays.binarySearch(members, id) >= 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NodeView v && nodeId == v.nodeId && state.equals(v.state) && ringSeq == v.ringSeq
                && ringRep == v.ringRep && Arrays.equals(members, v.members) && lastReason.equals(v.lastReason)
                && configChanges == v.configChanges && quorum.equals(v.quorum);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(ringSeq) * 31 + Arrays.hashCode(members);
    }

    @Override
    public String toString() {
        return "node " + nodeId + " " + state + " ring " + ringSeq + "/" + ringRep + " members "
                + Arrays.toString(members) + quorum.map(q -> " " + q).orElse("");
    }
}
