package org.ringmaster.crm.simple.status;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cluster status the engine decides on: quorum, DC, node states, per-node resource states and
 * the moment of the decision.
 *
 * @param now the time the decision is for (date rules, failure-timeout); null when unknown: then no
 *            fail-count expires and date expressions never hold. The engine never reads the clock itself.
 */
public record ClusterStatus(boolean haveQuorum, String dcUname, Map<String, NodeStatus> nodes,
                            List<ResourceState> resources, java.time.Instant now) {
    public ClusterStatus {
        nodes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(nodes));
        resources = List.copyOf(resources);
    }

    /** A status without a known "now". */
    public ClusterStatus(boolean haveQuorum, String dcUname, Map<String, NodeStatus> nodes,
                         List<ResourceState> resources) {
        this(haveQuorum, dcUname, nodes, resources, null);
    }

    /** This status decided at {@code t}. */
    public ClusterStatus at(java.time.Instant t) {
        return new ClusterStatus(haveQuorum, dcUname, nodes, resources, t);
    }

    /** A quorate cluster in which the given nodes are online and nothing runs. */
    public static ClusterStatus allOnline(List<String> unames) {
        Map<String, NodeStatus> m = new LinkedHashMap<>();
        unames.forEach(u -> m.put(u, NodeStatus.online(u)));
        return new ClusterStatus(true, unames.isEmpty() ? null : unames.get(0), m, List.of());
    }

    /** This status with one more resource state. */
    public ClusterStatus with(ResourceState s) {
        List<ResourceState> r = new java.util.ArrayList<>(resources);
        r.add(s);
        return new ClusterStatus(haveQuorum, dcUname, nodes, r, now);
    }

    /** This status with a node replaced. */
    public ClusterStatus with(NodeStatus n) {
        Map<String, NodeStatus> m = new LinkedHashMap<>(nodes);
        m.put(n.uname(), n);
        return new ClusterStatus(haveQuorum, dcUname, m, resources, now);
    }

    /** This status with quorum set. */
    public ClusterStatus withQuorum(boolean q) {
        return new ClusterStatus(q, dcUname, nodes, resources, now);
    }
}
