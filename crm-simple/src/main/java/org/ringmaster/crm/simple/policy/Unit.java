package org.ringmaster.crm.simple.policy;

import java.util.ArrayList;
import java.util.List;
import org.ringmaster.crm.simple.model.Meta;
import org.ringmaster.crm.simple.model.Resource;

/**
 * What is placed as a whole: a primitive or a group (its members follow its node). Clone instances
 * are units too, owned by a {@link CloneSet}.
 */
final class Unit {
    final String id;
    final Resource resource;
    final Meta meta;
    final CloneSet clone;
    final int cloneIndex;
    final List<Inst> members = new ArrayList<>();
    final int order;
    /** Unit-level scores (group or primitive constraints); members' own scores are combined in. */
    int[] own;
    int[] scores;
    Integer target;
    boolean assigned;
    boolean assigning;
    /** Order in which the status section revealed this (anonymous) instance; Pacemaker numbers them so. */
    int discovered = Integer.MAX_VALUE;

    Unit(String id, Resource resource, Meta meta, CloneSet clone, int cloneIndex, int order) {
        this.id = id;
        this.resource = resource;
        this.meta = meta;
        this.clone = clone;
        this.cloneIndex = cloneIndex;
        this.order = order;
    }

    boolean group() {
        return resource instanceof org.ringmaster.crm.simple.model.Group;
    }

    /** Where it runs now: the node of its first active member. */
    Integer currentNode() {
        for (Inst m : members) {
            if (m.currentNode() != null) {
                return m.currentNode();
            }
        }
        return null;
    }

    boolean running() {
        return !members.isEmpty() && members.get(0).running();
    }

    /** A group with a member that failed and cannot be stopped: its members keep their state. */
    boolean frozen() {
        return group() && members.stream().anyMatch(m -> m.blockedOn != null && m.failed);
    }

    Integer blockedOn() {
        for (Inst m : members) {
            if (m.blockedOn != null) {
                return m.blockedOn;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return id;
    }
}
