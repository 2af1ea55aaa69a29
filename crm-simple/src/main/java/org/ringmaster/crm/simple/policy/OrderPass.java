package org.ringmaster.crm.simple.policy;

import java.util.List;
import org.ringmaster.crm.simple.model.OrderConstraint;
import org.ringmaster.crm.simple.model.Role;
import org.ringmaster.crm.simple.model.Score;
import org.ringmaster.crm.simple.policy.Scheduler.ResolvedColocation;

/**
 * Applies what mandatory ordering means for placement: if {@code first} cannot run, {@code then}
 * cannot start (an already running {@code then} that need not restart stays). Blocked starts spread
 * to later group members and to mandatory colocation dependents; repeated to a fixpoint.
 */
final class OrderPass {
    private static final int MAX_ROUNDS = 100;
    private final Scheduler s;
    private final Assigner assigner;

    OrderPass(Scheduler s, Assigner assigner) {
        this.s = s;
        this.assigner = assigner;
    }

    void run() {
        boolean changed = true;
        for (int round = 0; changed && round < MAX_ROUNDS; round++) {
            changed = false;
            for (OrderConstraint o : s.cfg.orders()) {
                if (o.kind() == OrderConstraint.Kind.MANDATORY) {
                    changed |= apply(o);
                    changed |= blockedStops(o);
                }
            }
            changed |= groupChains();
            changed |= colocationChains();
        }
    }

    private static boolean startLike(String action) {
        return action.equals("start") || action.equals("promote");
    }

    private boolean apply(OrderConstraint o) {
        Ref first = s.refs.get(o.first());
        Ref then = s.refs.get(o.then());
        if (first == null || then == null || !startLike(o.firstAction()) || !startLike(o.thenAction())) {
            return false;
        }
        boolean promoteFirst = o.firstAction().equals("promote");
        boolean firstRuns = false;
        for (Inst i : first.insts()) {
            firstRuns |= runs(i, promoteFirst) && wholeUnit(first, i);
        }
        boolean disrupted = false;
        if (o.symmetrical()) {
            for (Inst i : first.insts()) {
                disrupted |= !i.active.isEmpty() && (i.target == null || !i.active.contains(i.target) || i.failed);
            }
        }
        boolean interleave = first.cloneSet() != null && then.cloneSet() != null && then.cloneSet().clone.interleave();
        boolean changed = false;
        for (Inst t : then.insts()) {
            if (t.target == null || t.blockedOn != null) {
                continue;
            }
            boolean ok = interleave ? runsOn(first, promoteFirst, t.target) : firstRuns;
            if (ok) {
                continue;
            }
            if (o.thenAction().equals("promote")) {
                if (t.targetRole == Role.PROMOTED && t.currentRole != Role.PROMOTED) {
                    t.targetRole = Role.UNPROMOTED;
                    changed = true;
                }
                continue;
            }
            // A symmetrical order also means "then" may only keep running while "first" does.
            boolean needsStart = !t.active.contains(t.target) || t.failed || disrupted || o.symmetrical();
            if (needsStart) {
                stop(t);
                changed = true;
            }
        }
        return changed;
    }

    /**
     * A stop that must wait for the stop of a resource that cannot be stopped (failed, blocked)
     * never happens: the resource keeps running where it is.
     */
    private boolean blockedStops(OrderConstraint o) {
        Ref waitFor;
        Ref waiting;
        if (o.firstAction().equals("stop") && o.thenAction().equals("stop")) {
            waitFor = s.refs.get(o.first());
            waiting = s.refs.get(o.then());
        } else if (o.symmetrical() && o.firstAction().equals("start") && o.thenAction().equals("start")) {
            waitFor = s.refs.get(o.then());
            waiting = s.refs.get(o.first());
        } else {
            return false;
        }
        if (waitFor == null || waiting == null
                || waitFor.insts().stream().noneMatch(i -> i.blockedOn != null && i.failed)) {
            return false;
        }
        boolean changed = false;
        for (Inst i : waiting.insts()) {
            if (i.active.size() == 1 && i.blockedOn == null && !i.failed
                    && (i.target == null || i.target.intValue() != i.active.get(0))) {
                if (i.target != null) {
                    s.charge(i, i.target, -1);
                }
                i.target = i.active.get(0);
                i.targetRole = i.currentRole == Role.STOPPED ? Role.STARTED : i.currentRole;
                i.blockedOn = i.target;
                s.charge(i, i.target, 1);
                changed = true;
            }
        }
        return changed;
    }

    /** A group is up (for ordering) when its last member is. */
    private static boolean wholeUnit(Ref r, Inst i) {
        return r.member() != null || !i.unit.group() || i.member == i.unit.members.size() - 1;
    }

    /** Can satisfy an order: placed, and not stuck in a failed state it cannot be recovered from. */
    private static boolean runs(Inst i, boolean promoted) {
        return i.target != null && !(i.blockedOn != null && i.failed) && (!promoted || i.targetRole == Role.PROMOTED);
    }

    private static boolean runsOn(Ref r, boolean promoted, int node) {
        for (Inst i : r.insts()) {
            if (runs(i, promoted) && i.target == node && wholeUnit(r, i)) {
                return true;
            }
        }
        return false;
    }

    void stop(Inst i) {
        if (i.target != null) {
            s.charge(i, i.target, -1);
        }
        i.target = null;
        i.targetRole = Role.STOPPED;
    }

    private boolean groupChains() {
        boolean changed = false;
        for (Unit u : s.allUnits()) {
            if (u.frozen()) {
                continue;
            }
            boolean prevOk = true;
            for (Inst m : u.members) {
                if (!prevOk && m.target != null && m.blockedOn == null) {
                    stop(m);
                    changed = true;
                }
                prevOk = m.target != null;
            }
        }
        return changed;
    }

    private boolean colocationChains() {
        boolean changed = false;
        for (ResolvedColocation rc : s.colocations()) {
            Role dr = rc.c().dependentRole();
            boolean roleOnly = dr == Role.PROMOTED
                    || (dr == Role.UNPROMOTED && rc.dependent().cloneSet() != null
                    && rc.dependent().cloneSet().promotable());
            if (rc.c().score() < Score.INFINITY || roleOnly) {
                continue;
            }
            boolean[] match = assigner.matching(rc);
            if (match == null) {
                continue;
            }
            List<Inst> deps = rc.dependent().insts();
            for (Inst d : deps) {
                if (d.target == null || d.blockedOn != null || (rc.dependent().member() == null && d.member != 0)) {
                    continue;
                }
                if (!match[d.target]) {
                    stop(d);
                    changed = true;
                }
            }
        }
        return changed;
    }
}
