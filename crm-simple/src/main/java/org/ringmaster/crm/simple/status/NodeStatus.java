package org.ringmaster.crm.simple.status;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the status section says about one node: membership facts as recorded (the engine decides
 * online/unclean from them and the fencing option) and its transient attributes (fail-counts,
 * standby, shutdown, promotion scores, ping values ...).
 *
 * @param seen         a node_state exists for the node
 * @param inMembership member of the cluster membership (in_ccm)
 * @param controllerUp the node's controller is up (crmd)
 * @param join         join state: member, pending, down, banned (null when unknown)
 * @param expectedUp   the node is expected to be a member (expected=member)
 */
public record NodeStatus(String uname, boolean seen, boolean inMembership, boolean controllerUp, String join,
                         boolean expectedUp, Map<String, String> attributes) {
    public NodeStatus {
        attributes = Map.copyOf(attributes);
    }

    /** A node that is up and joined, with no attributes (for hand-built status). */
    public static NodeStatus online(String uname) {
        return new NodeStatus(uname, true, true, true, "member", true, Map.of());
    }

    /** A node that left cleanly. */
    public static NodeStatus offline(String uname) {
        return new NodeStatus(uname, true, false, false, "down", false, Map.of());
    }

    public Optional<String> attribute(String name) {
        return Optional.ofNullable(attributes.get(name));
    }

    /** This node with one more transient attribute. */
    public NodeStatus withAttribute(String name, String value) {
        Map<String, String> m = new TreeMap<>(attributes);
        m.put(name, value);
        return new NodeStatus(uname, seen, inMembership, controllerUp, join, expectedUp, m);
    }
}
