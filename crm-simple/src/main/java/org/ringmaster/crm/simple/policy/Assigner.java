package org.ringmaster.crm.simple.policy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.ringmaster.crm.simple.model.NoQuorumPolicy;
import org.ringmaster.crm.simple.model.PlacementStrategy;
import org.ringmaster.crm.simple.model.Role;
import org.ringmaster.crm.simple.model.Score;
import org.ringmaster.crm.simple.policy.Scheduler.ResolvedColocation;

/**
 * Assigns units and clones to nodes, Pacemaker style: in priority order, the primaries of a
 * resource's colocations before the resource itself, dependents' preferences folded in as
 * influence, ties broken by load then current node then name.
 */
final class Assigner {
    private static final int INF = Score.INFINITY;
    private static final int MAX_INFLUENCE_DEPTH = 4;

    private final Scheduler s;
    private final int n;

    Assigner(Scheduler s) {
        this.s = s;
        this.n = s.nodes.size;
    }

    void assignAll() {
        List<Object> items = new ArrayList<>(s.units);
        items.addAll(s.clones);
        java.util.Map<Object, int[]> key = new java.util.HashMap<>();
        for (Object o : items) {
            int[] sc = sortScores(o);
            key.put(o, new int[] {-priority(o), -currentScore(o, sc), -bestScore(sc), configOrder(o)});
        }
        items.sort(Comparator.comparing((Object o) -> key.get(o), java.util.Arrays::compare));
        for (Object o : items) {
            if (o instanceof Unit u) {
                assignUnit(u);
            } else {
                assignClone((CloneSet) o);
            }
        }
    }

    private int priority(Object o) {
        if (o instanceof Unit u) {
            return u.meta.integer("priority", 0, u.id);
        }
        CloneSet c = (CloneSet) o;
        return c.meta.integer("priority", 0, c.id());
    }

    private int configOrder(Object o) {
        return o instanceof Unit u ? u.order : ((CloneSet) o).order;
    }

    /**
     * Base scores of a unit or clone. A clone's are its own (stickiness belongs to instances), banned
     * where no instance may run (failures of anonymous instances ban the whole clone there).
     */
    private int[] baseOf(Object o) {
        if (o instanceof Unit u) {
            return combined(u, null);
        }
        CloneSet c = (CloneSet) o;
        int[] out = c.own.clone();
        for (int i = 0; i < n; i++) {
            boolean anywhere = c.units.isEmpty();
            for (Unit u : c.units) {
                anywhere |= u.members.get(0).scores[i] > -INF;
            }
            if (!anywhere) {
                out[i] = -INF;
            }
        }
        return out;
    }

    /**
     * Scores used to order assignment: own scores with the primaries' scores folded in (each
     * colocation's factor), a primary that would leave nowhere to run being ignored.
     */
    private int[] sortScores(Object o) {
        int[] sc = baseOf(o);
        for (ResolvedColocation rc : s.withDependent(o)) {
            Role dr = rc.c().dependentRole();
            if (dr == Role.PROMOTED || dr == Role.UNPROMOTED) {
                continue;
            }
            int[] ps = baseOf(Scheduler.placedAs(rc.primary()));
            double f = rc.c().score() / (double) INF;
            int[] cand = sc.clone();
            for (int i = 0; i < n; i++) {
                cand[i] = Score.add(cand[i], Score.scale(ps[i], f));
            }
            if (anyAvailable(cand)) {
                sc = cand;
            }
        }
        return sc;
    }

    private int currentScore(Object o, int[] sc) {
        Integer cur = null;
        if (o instanceof Unit u) {
            // a resource on a node being fenced still ranks by its score there, as in Pacemaker
            cur = u.currentNode() != null ? u.currentNode() : u.members.get(0).fencedOn;
        } else {
            for (Unit u : ((CloneSet) o).units) {
                if (u.currentNode() != null) {
                    cur = u.currentNode();
                    break;
                }
            }
        }
        return cur == null ? -INF : sc[cur];
    }

    private int bestScore(int[] sc) {
        int best = -INF;
        for (int i = 0; i < n; i++) {
            if (s.nodes.canHost[i]) {
                best = Math.max(best, sc[i]);
            }
        }
        return best;
    }

    // ---- units -------------------------------------------------------------------------------

    /** Unit scores: unit-level (plus clone-level) plus the members', later members only while some node stays usable. */
    int[] combined(Unit u, int[] cloneScores) {
        int[] out = u.own.clone();
        if (cloneScores != null) {
            addInto(out, cloneScores);
        }
        int[] withFirst = out.clone();
        addInto(withFirst, u.members.get(0).scores);
        out = withFirst;
        for (int k = 1; k < u.members.size(); k++) {
            int[] cand = out.clone();
            addInto(cand, u.members.get(k).scores);
            if (!anyAvailable(cand)) {
                break;
            }
            out = cand;
        }
        return out;
    }

    private static void addInto(int[] a, int[] b) {
        for (int i = 0; i < a.length; i++) {
            a[i] = Score.add(a[i], b[i]);
        }
    }

    private boolean anyAvailable(int[] sc) {
        for (int i = 0; i < n; i++) {
            if (s.available(i, sc[i])) {
                return true;
            }
        }
        return false;
    }

    void assign(Ref r) {
        if (r.cloneSet() != null) {
            assignClone(r.cloneSet());
        } else {
            assignUnit(r.unit());
        }
    }

    private static boolean isDependent(ResolvedColocation rc, Unit u, CloneSet c) {
        Ref d = rc.dependent();
        return c != null ? d.cloneSet() == c : d.cloneSet() == null && d.unit() == u;
    }

    private static boolean isPrimary(ResolvedColocation rc, Unit u, CloneSet c) {
        Ref p = rc.primary();
        return c != null ? p.cloneSet() == c : p.cloneSet() == null && p.unit() == u;
    }

    private List<ResolvedColocation> dependentColocations(Unit u, CloneSet c) {
        List<ResolvedColocation> out = new ArrayList<>();
        for (ResolvedColocation rc : s.withDependent(c != null ? c : u)) {
            Role dr = rc.c().dependentRole();
            boolean roleOnly = dr == Role.PROMOTED || (dr == Role.UNPROMOTED && c != null && c.promotable());
            if (isDependent(rc, u, c) && !roleOnly) {
                out.add(rc);
            }
        }
        out.sort(Comparator.comparingInt((ResolvedColocation rc) -> -rc.c().score()));
        return out;
    }

    void assignUnit(Unit u) {
        if (u.assigned || u.assigning) {
            return;
        }
        u.assigning = true;
        List<ResolvedColocation> deps = dependentColocations(u, null);
        for (ResolvedColocation rc : deps) {
            assign(rc.primary());
        }
        // the unit's own and first member's scores, then its colocations, then (as Pacemaker merges
        // dependents) the later members, each only while some node stays usable
        int[] sc = u.own.clone();
        addInto(sc, u.members.get(0).scores);
        for (ResolvedColocation rc : deps) {
            if (mandatory(rc) && (rc.dependent().member() == null || rc.dependent().member().member == 0)) {
                applyColocation(sc, rc);
            }
        }
        for (int k = 1; k < u.members.size(); k++) {
            int[] cand = sc.clone();
            addInto(cand, u.members.get(k).scores);
            if (!anyAvailable(cand)) {
                break;
            }
            sc = cand;
        }
        for (ResolvedColocation rc : deps) {
            if (!mandatory(rc) && (rc.dependent().member() == null || rc.dependent().member().member == 0)) {
                applyColocation(sc, rc);
            }
        }
        addInfluence(sc, u, null);
        u.scores = sc;
        log(u.id, sc);
        Integer blocked = u.blockedOn();
        u.target = blocked != null ? blocked : choose(sc, u.currentNode(), null, Integer.MAX_VALUE, unitDemand(u, sc));
        placeMembers(u, deps);
        u.assigned = true;
        u.assigning = false;
    }

    private static boolean mandatory(ResolvedColocation rc) {
        return rc.c().score() >= INF || rc.c().score() <= -INF;
    }

    private void placeMembers(Unit u, List<ResolvedColocation> deps) {
        if (u.frozen()) {
            // A member that cannot be stopped blocks the group's stop/start chain: nothing changes.
            for (Inst m : u.members) {
                m.target = m.blockedOn != null ? m.blockedOn : m.currentNode();
                m.targetRole = m.target == null ? Role.STOPPED : Role.STARTED;
                if (m.target != null) {
                    s.charge(m, m.target, 1);
                }
            }
            return;
        }
        boolean prevOk = u.target != null;
        for (Inst m : u.members) {
            boolean ok = prevOk && !m.disabled && m.scores[u.target] >= 0 && m.scores[u.target] > -INF;
            if (ok) {
                for (ResolvedColocation rc : deps) {
                    if (rc.dependent().member() == m && !memberColocationHolds(rc, u.target)) {
                        ok = false;
                    }
                }
            }
            if (m.blockedOn != null) {
                m.target = m.blockedOn;
            } else {
                m.target = ok ? u.target : null;
            }
            m.targetRole = m.target == null ? Role.STOPPED : Role.STARTED;
            if (m.target != null) {
                s.charge(m, m.target, 1);
            }
            prevOk = ok;
        }
    }

    private boolean memberColocationHolds(ResolvedColocation rc, int node) {
        boolean[] match = matching(rc);
        if (match == null) {
            return true;
        }
        int score = rc.c().score();
        if (score >= INF) {
            return match[node];
        }
        if (score <= -INF) {
            return !match[node];
        }
        return true;
    }

    /** Nodes "together with" the primary (by node attribute), or null if the primary is still being placed. */
    boolean[] matching(ResolvedColocation rc) {
        Ref p = rc.primary();
        if ((p.cloneSet() != null && p.cloneSet().assigning && !p.cloneSet().assigned)
                || (p.cloneSet() == null && p.unit().assigning && !p.unit().assigned)) {
            return null;
        }
        boolean[] on = primaryNodes(p, rc.c().primaryRole(), rc.c().score() >= INF);
        String attr = rc.c().nodeAttribute();
        if (attr == null || attr.equals("#uname")) {
            return on;
        }
        Set<String> values = new HashSet<>();
        for (int i = 0; i < n; i++) {
            if (on[i] && s.nodes.attribute(i, attr) != null) {
                values.add(s.nodes.attribute(i, attr));
            }
        }
        boolean[] out = new boolean[n];
        for (int i = 0; i < n; i++) {
            String v = s.nodes.attribute(i, attr);
            out[i] = v != null && values.contains(v);
        }
        return out;
    }

    /**
     * Nodes where the primary runs in the role. A group counts where its first member runs, or for
     * a mandatory colocation where its last member runs (the whole group is up).
     */
    boolean[] primaryNodes(Ref p, Role role, boolean wholeGroup) {
        boolean[] on = new boolean[n];
        for (Inst i : p.insts()) {
            if (i.target == null) {
                continue;
            }
            if (p.member() == null && i.unit.group()) {
                int wanted = wholeGroup ? i.unit.members.size() - 1 : 0;
                if (i.member != wanted) {
                    continue;
                }
            }
            if (role == Role.PROMOTED && i.targetRole != Role.PROMOTED) {
                continue;
            }
            if (role == Role.UNPROMOTED && i.targetRole == Role.PROMOTED) {
                continue;
            }
            on[i.target] = true;
        }
        return on;
    }

    void applyColocation(int[] sc, ResolvedColocation rc) {
        boolean[] match = matching(rc);
        if (match == null) {
            return;
        }
        int score = rc.c().score();
        if (score > -INF && score < INF) {
            // an optional colocation that would leave nowhere to run is ignored
            int[] cand = sc.clone();
            for (int i = 0; i < n; i++) {
                if (match[i]) {
                    cand[i] = Score.add(cand[i], score);
                }
            }
            if (anyAvailable(cand)) {
                System.arraycopy(cand, 0, sc, 0, n);
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            if (score >= INF) {
                if (!match[i]) {
                    sc[i] = -INF;
                }
            } else if (score <= -INF) {
                if (match[i]) {
                    sc[i] = -INF;
                }
            } else if (match[i]) {
                sc[i] = Score.add(sc[i], score);
            }
        }
    }

    /** Folds the preferences of not-yet-placed dependents into a primary's scores. */
    private void addInfluence(int[] sc, Unit u, CloneSet c) {
        Set<Object> seen = new HashSet<>();
        seen.add(u != null ? u : c);
        boolean[] unusable = new boolean[n];
        int[] out = influenced(sc, u, c, 1.0, seen, 0, c != null, unusable);
        for (int i = 0; i < n; i++) {
            sc[i] = unusable[i] ? 1 : out[i];
        }
    }

    /**
     * Merges the scores of the primary's not-yet-placed dependents (and theirs, attenuated by the
     * product of the colocation factors) into {@code base}. A dependent whose merge would leave no
     * usable node is rolled back. A negative preference of an anti-colocated dependent only counts
     * when that dependent has a single allowed node and outweighs the primary's stickiness.
     * With {@code onlyPositive} (clone primaries) merges never turn a score negative.
     */
    private int[] influenced(int[] base, Unit u, CloneSet c, double factor, Set<Object> seen, int depth,
                             boolean onlyPositive, boolean[] unusable) {
        int[] work = base;
        if (depth >= MAX_INFLUENCE_DEPTH) {
            return work;
        }
        int primaryStickiness = u != null ? u.meta.integer("resource-stickiness", 0, u.id)
                : c.meta.integer("resource-stickiness", 0, c.id());
        for (ResolvedColocation rc : s.withPrimary(c != null ? c : u)) {
            if (!isPrimary(rc, u, c) || !rc.c().influence() || rc.c().dependentRole() == Role.PROMOTED) {
                continue;
            }
            Ref d = rc.dependent();
            Object key = d.cloneSet() != null ? d.cloneSet() : d.unit();
            if (seen.contains(key) || assignedOrBusy(d)) {
                continue;
            }
            double f = factor * rc.c().score() / (double) INF;
            int[] ds = d.cloneSet() != null ? d.cloneSet().own : combined(d.unit(), null);
            boolean onOne = allowedOnOne(ds);
            int[] cand = work.clone();
            boolean[] candUnusable = unusable.clone();
            for (int i = 0; i < n; i++) {
                int score = bestMatching(ds, i, rc.c().nodeAttribute());
                if (f < 0 && score < 0 && (primaryStickiness >= -score || !onOne)) {
                    continue;
                }
                if (candUnusable[i]) {
                    continue;
                }
                double df = f * score;
                long delta = Math.round(df);
                if (delta == 0 && score != 0 && f != 0) {
                    delta = f > 0 ? 1 : -1;
                }
                int next = Score.add(cand[i], (int) Math.max(-INF, Math.min(INF, delta)));
                if (onlyPositive && next < 0 && cand[i] > 0) {
                    candUnusable[i] = true;
                    continue;
                }
                if (onlyPositive && next < 0 && cand[i] == 0) {
                    continue;
                }
                cand[i] = next;
            }
            if (!anyAvailable(cand)) {
                continue; // would leave nowhere to run: ignore this dependent
            }
            seen.add(key);
            cand = influenced(cand, d.cloneSet() == null ? d.unit() : null, d.cloneSet(), f, seen, depth + 1,
                    onlyPositive, candUnusable);
            work = cand;
            System.arraycopy(candUnusable, 0, unusable, 0, n);
        }
        return work;
    }

    /** The dependent's best score on a usable node "together with" node {@code i} (same attribute value). */
    private int bestMatching(int[] ds, int i, String attr) {
        if (attr == null || attr.equals("#uname")) {
            return s.nodes.canHost[i] ? ds[i] : -INF;
        }
        String v = s.nodes.attribute(i, attr);
        int best = -INF;
        for (int j = 0; j < n; j++) {
            if (s.nodes.canHost[j] && v != null && v.equals(s.nodes.attribute(j, attr))) {
                best = Math.max(best, ds[j]);
            }
        }
        return best;
    }

    private static boolean allowedOnOne(int[] sc) {
        int count = 0;
        for (int v : sc) {
            if (v >= 0) {
                count++;
            }
        }
        return count == 1;
    }

    /** Dependents already placed no longer influence (those being placed, waiting on us, still do). */
    private static boolean assignedOrBusy(Ref d) {
        if (d.cloneSet() != null) {
            return d.cloneSet().assigned;
        }
        return d.unit().assigned;
    }

    /**
     * Best usable node with the free capacity for {@code demand} (null = no need): score, then (by
     * placement strategy) free capacity and load, then the preferred (current) node, then name order.
     */
    Integer choose(int[] sc, Integer preferred, int[] perNodeCount, int perNodeLimit, long[] demand) {
        Integer best = null;
        for (int i = 0; i < n; i++) {
            if (!s.available(i, sc[i]) || (perNodeCount != null && perNodeCount[i] >= perNodeLimit)
                    || !s.fits(i, demand)) {
                continue;
            }
            if (best == null || better(i, best, sc, preferred)) {
                best = i;
            }
        }
        return best;
    }

    private boolean better(int a, int b, int[] sc, Integer preferred) {
        if (sc[a] != sc[b]) {
            return sc[a] > sc[b];
        }
        if (s.strategy == PlacementStrategy.BALANCED) {
            int c = s.compareFree(a, b);
            if (c != 0) {
                return c > 0;
            }
        }
        // minimal packs resources onto as few nodes as possible: no balancing by load
        if (s.strategy != PlacementStrategy.MINIMAL && s.load[a] != s.load[b]) {
            return s.load[a] < s.load[b];
        }
        if (preferred != null && (a == preferred || b == preferred)) {
            return a == preferred;
        }
        return a < b;
    }

    private void log(String id, int[] sc) {
        if (!s.recordScores) {
            return;
        }
        for (int i = 0; i < n; i++) {
            s.scoreLog.add(id + " allocation score on " + s.nodes.names[i] + ": " + Score.format(sc[i]));
        }
    }

    // ---- clones ------------------------------------------------------------------------------

    void assignClone(CloneSet cs) {
        if (cs.assigned || cs.assigning) {
            return;
        }
        cs.assigning = true;
        List<ResolvedColocation> deps = dependentColocations(null, cs);
        for (ResolvedColocation rc : deps) {
            assign(rc.primary());
        }
        int[] sc = cs.own.clone();
        for (ResolvedColocation rc : deps) {
            applyColocation(sc, rc);
        }
        addInfluence(sc, null, cs);
        cs.scores = sc;
        log(cs.id(), sc);
        placeInstances(cs, sc);
        for (Unit u : cs.units) {
            placeMembers(u, List.of());
            u.assigned = true;
        }
        cs.assigned = true;
        cs.assigning = false;
        promote(cs);
    }

    private void placeInstances(CloneSet cs, int[] sc) {
        int[] count = new int[n];
        int total = 0;
        List<int[]> comb = new ArrayList<>();
        for (Unit u : cs.units) {
            comb.add(combined(u, sc));
        }
        int usable = 0;
        for (int i = 0; i < n; i++) {
            if (s.available(i, sc[i])) {
                usable++;
            }
        }
        int spread = usable == 0 ? cs.nodeMax : Math.min(cs.nodeMax, (cs.max + usable - 1) / usable);
        for (Unit u : cs.units) {
            Integer b = u.blockedOn();
            if (b != null) {
                u.target = b;
                count[b]++;
                total++;
            }
        }
        List<Unit> active = new ArrayList<>();
        for (Unit u : cs.units) {
            if (u.target == null && u.currentNode() != null) {
                active.add(u);
            }
        }
        active.sort(Comparator.comparingInt((Unit u) -> -comb.get(u.cloneIndex)[u.currentNode()]));
        List<long[]> held = new ArrayList<>();
        List<Integer> heldOn = new ArrayList<>();
        for (Unit u : active) {
            int cur = u.currentNode();
            long[] need = unitDemand(u, null);
            if (total < cs.max && s.available(cur, comb.get(u.cloneIndex)[cur]) && count[cur] < spread
                    && s.fits(cur, need)) {
                u.target = cur;
                count[cur]++;
                total++;
                hold(need, cur, held, heldOn);
            }
        }
        int[] provisional = new int[n];
        for (int limit : new int[] {spread, cs.nodeMax}) {
            for (Unit u : cs.units) {
                if (total >= cs.max) {
                    break;
                }
                if (u.target != null) {
                    continue;
                }
                long[] need = unitDemand(u, null);
                Integer best = choose(comb.get(u.cloneIndex), u.currentNode(), count, limit, need);
                if (best != null) {
                    u.target = best;
                    count[best]++;
                    total++;
                    // count it as load now so the next instance balances (members add it for real later)
                    s.load[best]++;
                    provisional[best]++;
                    hold(need, best, held, heldOn);
                }
            }
        }
        for (int i = 0; i < n; i++) {
            s.load[i] -= provisional[i];
        }
        for (int k = 0; k < held.size(); k++) {
            s.consume(held.get(k), heldOn.get(k), -1);
        }
    }

    /** Holds capacity for an instance while its clone is being placed (its members take it for real later). */
    private void hold(long[] need, int node, List<long[]> held, List<Integer> heldOn) {
        if (need != null) {
            s.consume(need, node, 1);
            held.add(need);
            heldOn.add(node);
        }
    }

    /**
     * What placing the unit needs of each capacity (null when capacity does not matter): its members'
     * utilization plus that of not yet placed resources that must run with it (mandatory colocation),
     * or its own alone when no usable node could take them all, as Pacemaker does.
     */
    long[] unitDemand(Unit u, int[] sc) {
        if (!s.strategy.checksCapacity() || s.capacityNames.isEmpty()) {
            return null;
        }
        long[] own = new long[s.capacityNames.size()];
        for (Inst m : u.members) {
            addNeed(own, s.demand(m));
        }
        if (u.clone != null || sc == null) {
            return own;
        }
        long[] all = own.clone();
        boolean more = false;
        for (ResolvedColocation rc : s.withPrimary(u)) {
            Ref d = rc.dependent();
            if (rc.c().score() < INF || d.cloneSet() != null || d.unit() == u || d.unit().assigned) {
                continue;
            }
            for (Inst m : d.member() != null ? List.of(d.member()) : d.unit().members) {
                addNeed(all, s.demand(m));
                more = true;
            }
        }
        if (!more) {
            return own;
        }
        for (int i = 0; i < n; i++) {
            if (s.available(i, sc[i]) && s.fits(i, all)) {
                return all;
            }
        }
        return own;
    }

    private static void addNeed(long[] into, long[] need) {
        for (int k = 0; k < into.length; k++) {
            into[k] += need[k];
        }
    }

    // ---- promotion ---------------------------------------------------------------------------

    private void promote(CloneSet cs) {
        for (Inst i : cs.insts()) {
            i.targetRole = i.target == null ? Role.STOPPED : cs.promotable() ? Role.UNPROMOTED : Role.STARTED;
        }
        if (!cs.promotable()) {
            return;
        }
        if (s.noQuorum && s.nqPolicy != NoQuorumPolicy.IGNORE) {
            return;
        }
        List<Unit> candidates = new ArrayList<>();
        int[] score = new int[cs.units.size()];
        for (Unit u : cs.units) {
            Inst first = u.members.get(0);
            if (u.members.stream().anyMatch(m -> m.target == null)) {
                continue; // only a fully active instance can be promoted
            }
            if (u.members.stream().anyMatch(m -> m.noPromotion)) {
                continue; // demoted after a promoted-role failure (on-fail=demote)
            }
            boolean allowed = first.meta.get("target-role")
                    .map(v -> !v.equalsIgnoreCase("unpromoted") && !v.equalsIgnoreCase("slave")).orElse(true);
            if (!allowed) {
                continue;
            }
            int sc = promotionScore(cs, u, first.target);
            if (s.recordScores) {
                s.scoreLog.add(u.id + " promotion score on " + s.nodes.names[first.target] + ": " + Score.format(sc));
            }
            if (sc < 0) {
                continue;
            }
            score[u.cloneIndex] = sc;
            candidates.add(u);
        }
        candidates.sort(Comparator.comparingInt((Unit u) -> -score[u.cloneIndex])
                .thenComparing(u -> u.members.get(0).currentRole != Role.PROMOTED)
                .thenComparingInt(u -> cs.unique() ? u.cloneIndex : u.discovered)
                .thenComparingInt(u -> u.cloneIndex));
        int[] perNode = new int[n];
        int promoted = 0;
        for (Unit u : candidates) {
            int node = u.members.get(0).target;
            if (promoted >= cs.clone.promotedMax() || perNode[node] >= cs.clone.promotedNodeMax()) {
                continue;
            }
            perNode[node]++;
            promoted++;
            for (Inst m : u.members) {
                if (m.target != null) {
                    m.targetRole = Role.PROMOTED;
                }
            }
        }
    }

    private int promotionScore(CloneSet cs, Unit u, int node) {
        Inst first = u.members.get(0);
        Integer attr = null;
        for (Inst m : u.members) {
            for (String key : List.of("master-" + m.primitive.id(), "master-" + m.id, "promotion-" + m.primitive.id(),
                    "promotion-" + m.id)) {
                String v = s.nodes.attribute(node, key);
                if (v != null) {
                    try {
                        attr = Score.add(attr == null ? 0 : attr, Score.parse(v, key));
                    } catch (IllegalArgumentException e) {
                        // unusable promotion score: ignored
                    }
                    break;
                }
            }
        }
        int[] loc = s.promotionLocation.get(first);
        // no promotion score from the agent: not promotable unless constraints say otherwise
        int sc = attr == null ? -1 : attr;
        if (loc != null) {
            sc = Score.add(sc, loc[node]);
        }
        for (ResolvedColocation rc : s.colocations()) {
            if (rc.dependent().cloneSet() == cs && rc.c().dependentRole() == Role.UNPROMOTED
                    && rc.c().score() >= INF) {
                // the unpromoted role must be with the primary: no promotion there
                assign(rc.primary());
                boolean[] match = matching(rc);
                if (match != null && match[node]) {
                    sc = -INF;
                }
            } else if (rc.dependent().cloneSet() == cs && rc.c().dependentRole() == Role.UNPROMOTED
                    && rc.c().score() > -INF) {
                // a finite wish to stay unpromoted with the primary counts against promotion there, as in
                // Pacemaker (the colocation's score with the sign reversed)
                assign(rc.primary());
                boolean[] match = matching(rc);
                if (match != null && match[node]) {
                    sc = Score.add(sc, -rc.c().score());
                }
            }
            if (rc.dependent().cloneSet() == cs && rc.c().dependentRole() == Role.PROMOTED) {
                assign(rc.primary());
                boolean[] match = matching(rc);
                if (match == null) {
                    continue;
                }
                int k = rc.c().score();
                if (k >= INF) {
                    sc = match[node] ? sc : -INF;
                } else if (k <= -INF) {
                    sc = match[node] ? -INF : sc;
                } else if (match[node]) {
                    sc = Score.add(sc, k);
                }
            }
        }
        // Dependents that want to be with the promoted instance pull the promotion their way; as for
        // any clone primary, their preferences never turn a positive score negative (it becomes 1).
        for (ResolvedColocation rc : s.colocations()) {
            if (rc.primary().cloneSet() != cs || rc.c().primaryRole() != Role.PROMOTED || !rc.c().influence()
                    || rc.dependent().cloneSet() == cs) {
                continue;
            }
            Ref d = rc.dependent();
            int[] ds = d.cloneSet() != null ? d.cloneSet().own : combined(d.unit(), null);
            if (!(d.cloneSet() != null ? d.cloneSet().assigned : d.unit().assigned)) {
                Set<Object> seen = new HashSet<>();
                seen.add(cs);
                seen.add(d.cloneSet() != null ? d.cloneSet() : d.unit());
                ds = influenced(ds, d.cloneSet() == null ? d.unit() : null, d.cloneSet(), 1.0, seen, 1, false,
                        new boolean[n]);
            }
            double f = rc.c().score() / (double) INF;
            int score = s.nodes.canHost[node] ? ds[node] : -INF;
            long delta = Math.round(f * score);
            if (delta == 0 && score != 0 && f != 0) {
                delta = f > 0 ? 1 : -1;
            }
            int next = Score.add(sc, (int) Math.max(-INF, Math.min(INF, delta)));
            if (next < 0 && sc > 0) {
                sc = 1;
            } else if (next >= 0 || sc < 0) {
                sc = next;
            }
        }
        return sc;
    }

    /** Roles for everything not in a clone (clones set theirs when placed). */
    void finishRoles() {
        for (Unit u : s.units) {
            for (Inst m : u.members) {
                m.targetRole = m.target == null ? Role.STOPPED : Role.STARTED;
            }
        }
        for (CloneSet cs : s.clones) {
            for (Inst m : cs.insts()) {
                if (m.target == null) {
                    m.targetRole = Role.STOPPED;
                }
            }
        }
    }
}
