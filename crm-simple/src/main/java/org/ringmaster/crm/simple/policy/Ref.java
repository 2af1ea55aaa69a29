package org.ringmaster.crm.simple.policy;

import java.util.ArrayList;
import java.util.List;

/** What a constraint names: a unit, one member of a (non-cloned) group, or a clone. */
record Ref(Unit unit, Inst member, CloneSet cloneSet) {
    static Ref of(Unit u) {
        return new Ref(u, null, null);
    }

    static Ref of(Inst m) {
        return new Ref(m.unit, m, null);
    }

    static Ref of(CloneSet c) {
        return new Ref(null, null, c);
    }

    /** The instances the reference covers. */
    List<Inst> insts() {
        if (cloneSet != null) {
            return cloneSet.insts();
        }
        if (member != null) {
            return List.of(member);
        }
        return new ArrayList<>(unit.members);
    }

    String id() {
        return cloneSet != null ? cloneSet.id() : member != null ? member.id : unit.id;
    }
}
