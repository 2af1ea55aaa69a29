package org.ringmaster.crm.simple.run;

import java.util.List;
import java.util.SortedMap;
import org.ringmaster.crm.simple.model.Configuration;

/**
 * An immutable picture of one node's CRM state, published after every duty cycle that changed something;
 * safe to read from any thread (the admin socket, ringctl).
 *
 * @param localNode     this node's name
 * @param dc            the designated coordinator's name, or null while none is agreed
 * @param members       names of the current configuration's members
 * @param quorate       whether this partition has quorum
 * @param synced        whether the state is that of the whole configuration (false between a configuration
 *                      change and the end of its sync)
 * @param config        the replicated configuration document
 * @param configuration the parsed configuration, or null when broken (then {@code configError} says why)
 * @param records       every node record; this node's own is its first-hand one
 * @param transition    the running transition, described, or "" when none
 */
public record CrmSnapshot(String localNode, String dc, List<String> members, boolean quorate, boolean synced,
                          ConfigDocument config, Configuration configuration, String configError,
                          SortedMap<String, NodeRecord> records, String transition) {
    public CrmSnapshot {
        members = List.copyOf(members);
        records = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(records));
    }

    /**
     * Every configured resource instance (clone instances as {@code id:n}) with its primitive, in id order; empty
     * when the configuration is broken.
     */
    public java.util.SortedMap<String, org.ringmaster.crm.simple.model.Primitive> instances() {
        return configuration == null ? java.util.Collections.emptySortedMap()
                : java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(ReplicatedState.instances(configuration)));
    }

    /** Nodes on which the instance is active (failed or not), in name order. */
    public List<String> activeOn(String instanceId) {
        return records.values().stream().filter(r -> members.contains(r.uname()) || r.expectedUp())
                .filter(r -> r.state(instanceId).active()).map(NodeRecord::uname).toList();
    }
}
