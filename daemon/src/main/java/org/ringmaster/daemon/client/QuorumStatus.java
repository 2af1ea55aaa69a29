package org.ringmaster.daemon.client;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * votequorum's state on one node, like {@code corosync-quorumtool -s}.
 *
 * @param fields ring, quorate (yes/no), total_votes, expected_votes, quorum, flags
 * @param nodes  every known node with its votes
 */
public record QuorumStatus(Map<String, String> fields, List<NodeVotes> nodes) {

    /**
     * @param nodeId        the node
     * @param votes         its votes
     * @param expectedVotes the expected votes it announced
     * @param state         member, dead or leaving
     */
    public record NodeVotes(int nodeId, int votes, int expectedVotes, String state) {
    }

    public QuorumStatus {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        nodes = List.copyOf(nodes);
    }

    public boolean quorate() {
        return "yes".equals(fields.get("quorate"));
    }

    public int totalVotes() {
        return Integer.parseInt(fields.get("total_votes"));
    }

    public int expectedVotes() {
        return Integer.parseInt(fields.get("expected_votes"));
    }

    public int quorum() {
        return Integer.parseInt(fields.get("quorum"));
    }
}
