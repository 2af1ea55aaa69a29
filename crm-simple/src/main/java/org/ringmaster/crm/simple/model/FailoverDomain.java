package org.ringmaster.crm.simple.model;

import java.util.List;

/**
 * An rgmanager-style failover domain: {@code nodes} in priority order (first = most preferred when
 * {@code ordered}); {@code restricted} forbids every other node; {@code nofailback} keeps a service
 * where it runs instead of going back to a better node. {@code resources} are the services bound to it.
 */
public record FailoverDomain(String name, List<String> nodes, boolean ordered, boolean restricted,
                             boolean nofailback, List<String> resources) {
    public FailoverDomain {
        nodes = List.copyOf(nodes);
        resources = List.copyOf(resources);
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("failover domain " + name + ": no nodes");
        }
    }
}
