package org.ringmaster.crm.simple.model;

import java.util.Map;

/**
 * A configured cluster node; {@code attributes} are its permanent node attributes (used by rules),
 * {@code utilization} its capacity per utilization attribute (e.g. cpu=8, memory=16384), used when
 * the placement strategy checks capacity. A capacity not given counts as 0.
 */
public record Node(String id, String uname, Map<String, String> attributes, Map<String, Integer> utilization) {
    public Node {
        attributes = Map.copyOf(attributes);
        utilization = Map.copyOf(utilization);
    }

    /** A node without utilization (capacity). */
    public Node(String id, String uname, Map<String, String> attributes) {
        this(id, uname, attributes, Map.of());
    }
}
