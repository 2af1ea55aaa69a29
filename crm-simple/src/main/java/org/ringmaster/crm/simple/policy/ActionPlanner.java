package org.ringmaster.crm.simple.policy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import org.ringmaster.crm.simple.model.Operation;
import org.ringmaster.crm.simple.model.OrderConstraint;
import org.ringmaster.crm.simple.model.Role;
import org.ringmaster.crm.simple.status.ResourceState;

/**
 * Turns the decided placement into actions (fence, demote, stop, start, promote, monitor, and
 * migrate_to/migrate_from for live migration) and orders them: fencing first, demote before stop,
 * stop before start, group members in order, then the configured order constraints (reversed for
 * stops when symmetrical).
 */
final class ActionPlanner {
    private final Scheduler s;
    private final List<Draft> drafts = new ArrayList<>();
    private final Map<Inst, Map<String, List<Draft>>> byInst = new HashMap<>();

    private static final class Draft {
        final int id;
        final String kind;
        final String resource;
        final String node;
        final long interval;
        final Set<Draft> after = new LinkedHashSet<>();

        Draft(int id, String kind, String resource, String node, long interval) {
            this.id = id;
            this.kind = kind;
            this.resource = resource;
            this.node = node;
            this.interval = interval;
        }
    }

    ActionPlanner(Scheduler s) {
        this.s = s;
    }

    private Draft add(Inst inst, String kind, String resource, String node, long interval) {
        return add(inst, kind, kind, resource, node, interval);
    }

    /** An action registered under {@code role} for ordering (a migrate_from stands for the start). */
    private Draft add(Inst inst, String role, String kind, String resource, String node, long interval) {
        Draft d = new Draft(drafts.size(), kind, resource, node, interval);
        drafts.add(d);
        if (inst != null) {
            byInst.computeIfAbsent(inst, k -> new HashMap<>()).computeIfAbsent(role, k -> new ArrayList<>()).add(d);
        }
        return d;
    }

    /** Migrations planned: the migrate_to of each migrating instance, by its migrate_from. */
    private final Map<Draft, Draft> migrations = new java.util.LinkedHashMap<>();

    /**
     * allow-migrate: a healthy primitive (not in a group or clone) moving from one online node to
     * another migrates (migrate_to on the source, migrate_from on the target, then the source's stop)
     * instead of stopping and starting.
     */
    private boolean migrates(Inst i) {
        if (!i.meta.flag("allow-migrate", false) || i.unit.clone != null || i.unit.group() || i.failed
                || i.active.size() != 1 || i.target == null || i.active.contains(i.target) || i.blockedOn != null
                || i.currentRole == Role.PROMOTED) {
            return false;
        }
        int src = i.active.get(0);
        return s.nodes.state[src] == NodeTable.State.ONLINE && !s.nodes.fence[src];
    }

    private List<Draft> of(Inst i, String kind) {
        return byInst.getOrDefault(i, Map.of()).getOrDefault(kind, List.of());
    }

    Transition plan() {
        List<Draft> fences = new ArrayList<>();
        List<String> fenced = new ArrayList<>();
        for (int n = 0; n < s.nodes.size; n++) {
            if (s.nodes.fence[n]) {
                fences.add(add(null, "fence", null, s.nodes.names[n], 0));
                fenced.add(s.nodes.names[n]);
            }
        }
        List<Inst> all = new ArrayList<>();
        for (Unit u : s.allUnits()) {
            all.addAll(u.members);
        }
        for (Inst i : all) {
            if (i.blockedOn != null) {
                continue;
            }
            if (migrates(i)) {
                String src = s.nodes.names[i.active.get(0)];
                String dst = s.nodes.names[i.target];
                Draft to = add(i, "migrate_to", i.id, src, 0);
                to.after.addAll(fences);
                Draft from = add(i, "start", "migrate_from", i.id, dst, 0);
                from.after.add(to);
                Draft stop = add(i, "stop", i.id, src, 0);
                stop.after.add(from);
                migrations.put(from, to);
                monitors(i, from);
                continue;
            }
            boolean restartHere = i.failed;
            boolean changeNode = i.target == null || !i.active.contains(i.target) || i.active.size() > 1;
            List<Draft> stops = new ArrayList<>();
            for (int n : i.active) {
                boolean stopHere = restartHere || i.target == null || i.target != n;
                if (!stopHere) {
                    continue;
                }
                Draft demote = null;
                if (i.currentRole == Role.PROMOTED) {
                    demote = add(i, "demote", i.id, s.nodes.names[n], 0);
                }
                Draft stop = add(i, "stop", i.id, s.nodes.names[n], 0);
                if (demote != null) {
                    stop.after.add(demote);
                }
                stops.add(stop);
            }
            Draft start = null;
            if (i.target != null && (changeNode || restartHere)) {
                start = add(i, "start", i.id, s.nodes.names[i.target], 0);
                start.after.addAll(stops);
                start.after.addAll(fences);
            }
            Draft last = start;
            if (i.target != null) {
                boolean wasPromotedHere = !changeNode && !restartHere && i.currentRole == Role.PROMOTED;
                if (i.targetRole == Role.PROMOTED && !wasPromotedHere) {
                    Draft p = add(i, "promote", i.id, s.nodes.names[i.target], 0);
                    if (start != null) {
                        p.after.add(start);
                    }
                    last = p;
                } else if (i.targetRole != Role.PROMOTED && wasPromotedHere) {
                    last = add(i, "demote", i.id, s.nodes.names[i.target], 0);
                }
            }
            if (last != null) {
                monitors(i, last);
            }
        }
        for (ResourceState o : s.orphans) {
            Integer n = s.nodes.indexOf(o.node());
            if (s.cfg.options().maintenanceMode() || (n != null && s.nodes.maintenance[n])) {
                continue; // maintenance: not even resources no longer configured are touched
            }
            add(null, "stop", o.resourceId(), o.node(), 0);
        }
        orderGroups();
        orderConstraints();
        // a migration begins only once what its start waits for is done
        migrations.forEach((from, to) -> from.after.stream().filter(a -> a != to).forEach(to.after::add));
        return new Transition(placements(), fenced, sort(), s.scoreLog);
    }

    private void monitors(Inst i, Draft after) {
        for (Operation op : i.primitive.operations()) {
            if (op.name().equals("monitor") && op.intervalMs() > 0 && roleMatches(op.role(), i.targetRole)) {
                Draft m = add(i, "monitor", i.id, s.nodes.names[i.target], op.intervalMs());
                m.after.add(after);
            }
        }
    }

    private static boolean roleMatches(Role opRole, Role target) {
        if (opRole == null) {
            return target != Role.PROMOTED;
        }
        return opRole == target || (opRole == Role.STARTED && target == Role.UNPROMOTED);
    }

    private void orderGroups() {
        for (Unit u : s.allUnits()) {
            for (int k = 1; k < u.members.size(); k++) {
                Inst prev = u.members.get(k - 1);
                Inst cur = u.members.get(k);
                for (Draft st : of(cur, "start")) {
                    st.after.addAll(of(prev, "start"));
                }
                for (Draft sp : of(prev, "stop")) {
                    sp.after.addAll(of(cur, "stop"));
                }
            }
        }
    }

    private void orderConstraints() {
        for (OrderConstraint o : s.cfg.orders()) {
            Ref f = s.refs.get(o.first());
            Ref t = s.refs.get(o.then());
            if (f == null || t == null) {
                continue;
            }
            for (Inst ti : t.insts()) {
                for (Inst fi : f.insts()) {
                    for (Draft d : of(ti, o.thenAction())) {
                        d.after.addAll(of(fi, o.firstAction()));
                    }
                    if (o.symmetrical() && o.firstAction().equals("start") && o.thenAction().equals("start")) {
                        for (Draft d : of(fi, "stop")) {
                            d.after.addAll(of(ti, "stop"));
                        }
                    }
                }
            }
        }
    }

    /** Kahn's algorithm, lowest creation index first; edges of a cycle are dropped (reported order). */
    private List<Action> sort() {
        Map<Draft, Integer> indegree = new HashMap<>();
        Map<Draft, List<Draft>> next = new HashMap<>();
        for (Draft d : drafts) {
            indegree.putIfAbsent(d, 0);
            for (Draft a : d.after) {
                if (a == d) {
                    continue;
                }
                indegree.merge(d, 1, Integer::sum);
                next.computeIfAbsent(a, k -> new ArrayList<>()).add(d);
            }
        }
        PriorityQueue<Draft> ready = new PriorityQueue<>((a, b) -> Integer.compare(a.id, b.id));
        for (Draft d : drafts) {
            if (indegree.get(d) == 0) {
                ready.add(d);
            }
        }
        List<Draft> order = new ArrayList<>();
        Set<Draft> done = new LinkedHashSet<>();
        Deque<Draft> leftovers = new ArrayDeque<>();
        while (order.size() < drafts.size()) {
            Draft d = ready.poll();
            if (d == null) {
                // a cycle (conflicting constraints): take the oldest remaining action
                for (Draft x : drafts) {
                    if (!done.contains(x)) {
                        leftovers.add(x);
                        break;
                    }
                }
                d = leftovers.poll();
            }
            if (!done.add(d)) {
                continue;
            }
            order.add(d);
            for (Draft m : next.getOrDefault(d, List.of())) {
                if (indegree.merge(m, -1, Integer::sum) == 0 && !done.contains(m)) {
                    ready.add(m);
                }
            }
        }
        Map<Draft, Integer> pos = new HashMap<>();
        for (int k = 0; k < order.size(); k++) {
            pos.put(order.get(k), k);
        }
        List<Action> out = new ArrayList<>();
        for (int k = 0; k < order.size(); k++) {
            Draft d = order.get(k);
            List<Integer> after = new ArrayList<>();
            for (Draft a : d.after) {
                Integer p = pos.get(a);
                if (p != null && p < k) {
                    after.add(p);
                }
            }
            after.sort(Integer::compare);
            out.add(new Action(k, d.kind, d.resource, d.node, d.interval, after));
        }
        return out;
    }

    private List<InstancePlacement> placements() {
        List<InstancePlacement> out = new ArrayList<>();
        for (CloneSet cs : s.clones) {
            if (cs.units.isEmpty() && !cs.unique()) {
                // clone-max=0: still listed as stopped
                cs.clone.primitives().forEach(p -> out.add(new InstancePlacement(p.id(), p.id(), cs.id(), false,
                        null, Role.STOPPED)));
            }
        }
        for (Unit u : s.allUnits()) {
            for (Inst i : u.members) {
                String cloneId = u.clone == null ? null : u.clone.id();
                boolean unique = u.clone != null && u.clone.unique();
                out.add(new InstancePlacement(i.id, i.primitive.id(), cloneId, unique,
                        i.target == null ? null : s.nodes.names[i.target],
                        i.target == null ? Role.STOPPED : i.targetRole));
            }
        }
        return out;
    }
}
