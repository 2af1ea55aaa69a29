package org.ringmaster.crm.simple.policy;

import java.util.ArrayList;
import java.util.List;
import org.ringmaster.crm.simple.model.Clone;
import org.ringmaster.crm.simple.model.Meta;

/** A clone under scheduling: its instances and clone-level scores. */
final class CloneSet {
    final Clone clone;
    final Meta meta;
    final List<Unit> units = new ArrayList<>();
    final int max;
    final int nodeMax;
    final int order;
    int[] own;
    int[] scores;
    boolean assigned;
    boolean assigning;

    CloneSet(Clone clone, Meta meta, int max, int nodeMax, int order) {
        this.clone = clone;
        this.meta = meta;
        this.max = max;
        this.nodeMax = nodeMax;
        this.order = order;
    }

    String id() {
        return clone.id();
    }

    boolean unique() {
        return clone.globallyUnique();
    }

    boolean promotable() {
        return clone.promotable();
    }

    List<Inst> insts() {
        List<Inst> out = new ArrayList<>();
        units.forEach(u -> out.addAll(u.members));
        return out;
    }

    @Override
    public String toString() {
        return clone.id();
    }
}
