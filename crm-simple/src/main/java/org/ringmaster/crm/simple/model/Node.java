package org.ringmaster.crm.simple.model;

import java.util.Map;

/** A configured cluster node; {@code attributes} are its permanent node attributes (used by rules). */
public record Node(String id, String uname, Map<String, String> attributes) {
    public Node {
        attributes = Map.copyOf(attributes);
    }
}
