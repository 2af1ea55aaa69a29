package org.ringmaster.crm.simple.policy;

import java.util.ArrayList;
import java.util.List;
import org.ringmaster.crm.simple.model.Meta;
import org.ringmaster.crm.simple.model.Primitive;
import org.ringmaster.crm.simple.model.Role;

/** One primitive instance under scheduling (a primitive, a group member, or a clone instance of one). */
final class Inst {
    final String id;
    final Primitive primitive;
    final Meta meta;
    final Unit unit;
    final int member;
    /** Nodes where it is active now (after fencing), and its role there. */
    final List<Integer> active = new ArrayList<>();
    Role currentRole = Role.STOPPED;
    boolean failed;
    /** Stuck on this node: failed stop without fencing, or on an unfenceable unclean node. */
    Integer blockedOn;
    /** Own scores (location, stickiness, failure bans), filled by the scheduler. */
    int[] scores;
    boolean disabled;
    /** A failed operation has on-fail=stop: stop it and start it nowhere. */
    boolean stopOnFailure;
    /** A promoted-role failure with on-fail=demote: demote it in place, promote it nowhere. */
    boolean noPromotion;
    /** Utilization needed, by {@link Scheduler#capacityNames} (lazily filled). */
    long[] demand;
    /** Decision. */
    Integer target;
    Role targetRole = Role.STOPPED;

    Inst(String id, Primitive primitive, Meta meta, Unit unit, int member) {
        this.id = id;
        this.primitive = primitive;
        this.meta = meta;
        this.unit = unit;
        this.member = member;
    }

    /** Where the history says it runs on a node being fenced (it counts as stopped, but ranks as there). */
    Integer fencedOn;

    Integer currentNode() {
        return active.isEmpty() ? null : active.get(0);
    }

    boolean running() {
        return target != null;
    }

    @Override
    public String toString() {
        return id;
    }
}
