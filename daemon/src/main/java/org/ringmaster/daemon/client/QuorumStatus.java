package org.ringmaster.daemon.client;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * votequorum's state on one node, like {@code corosync-quorumtool -s}.
 *
 * @param fields ring, quorate (yes/no: the installed ring's vote table), quorate_now (yes/no: the votes and a
 *               live ring, what the CRM acts on), total_votes, expected_votes, quorum, flags; with a quorum device
 *               also device_model, device_votes, device_casts_vote (yes/no), device_score and device.KEY
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

    /** The quorum device's model ({@code qdisk}, {@code ping}), if the node has one. */
    public java.util.Optional<String> deviceModel() {
        return java.util.Optional.ofNullable(fields.get("device_model"));
    }

    /** Whether this node's device currently claims the device votes for its partition. */
    public boolean deviceCastsVote() {
        return "yes".equals(fields.get("device_casts_vote"));
    }

    /**
     * What the device reports, without the {@code device.} prefix: for a quorum disk {@code state},
     * {@code master}, {@code online}, {@code garbage_slots}, {@code slot_conflict}, {@code last_error};
     * for ping {@code groups_up}, {@code reachable}, {@code unreachable}.
     */
    public Map<String, String> deviceDetails() {
        Map<String, String> d = new LinkedHashMap<>();
        fields.forEach((k, v) -> {
            if (k.startsWith("device.")) {
                d.put(k.substring("device.".length()), v);
            }
        });
        return d;
    }
}
