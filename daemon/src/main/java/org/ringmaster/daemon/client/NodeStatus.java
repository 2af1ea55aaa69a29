package org.ringmaster.daemon.client;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.ringmaster.daemon.admin.Protocol;

/**
 * One node's view of the cluster, as {@code ringctl status} shows it. The typed accessors cover
 * what applications need; {@link #fields()} has everything the daemon reported, in its order.
 *
 * @param fields every {@code key value} of the daemon's answer
 */
public record NodeStatus(Map<String, String> fields) {

    public NodeStatus {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    public int nodeId() {
        return Integer.parseInt(fields.get("node"));
    }

    public String name() {
        return fields.get("name");
    }

    /** OPERATIONAL, GATHER, COMMIT, RECOVERY (forming a new ring), STARTING or LEFT. */
    public String state() {
        return fields.get("state");
    }

    public long ringSeq() {
        return Long.parseLong(fields.get("ring_seq"));
    }

    public int ringRep() {
        return Integer.parseInt(fields.get("ring_rep"));
    }

    /** Members of the current regular configuration, ascending. */
    public int[] members() {
        return Protocol.parseIds(fields.get("members"));
    }

    /**
     * Whether the node is quorate as its CRM sees it: by the votes and on a live ring (token lease);
     * empty when quorum is not configured.
     */
    public Optional<Boolean> quorateNow() {
        String q = fields.get("quorate_now");
        return q == null ? Optional.empty() : Optional.of(q.equals("yes"));
    }

    /** Whether this node's partition is quorate by its ring's vote table; empty when quorum is not configured. */
    public Optional<Boolean> quorate() {
        String q = fields.get("quorum");
        return q == null || q.equals("disabled") ? Optional.empty() : Optional.of(q.equals("quorate"));
    }
}
