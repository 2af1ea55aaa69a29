package org.ringmaster.crm.simple.policy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.ringmaster.crm.simple.model.Clone;
import org.ringmaster.crm.simple.model.ColocationConstraint;
import org.ringmaster.crm.simple.model.Configuration;
import org.ringmaster.crm.simple.model.FailoverDomain;
import org.ringmaster.crm.simple.model.Group;
import org.ringmaster.crm.simple.model.LocationConstraint;
import org.ringmaster.crm.simple.model.Meta;
import org.ringmaster.crm.simple.model.NoQuorumPolicy;
import org.ringmaster.crm.simple.model.PlacementStrategy;
import org.ringmaster.crm.simple.model.Primitive;
import org.ringmaster.crm.simple.model.Resource;
import org.ringmaster.crm.simple.model.Role;
import org.ringmaster.crm.simple.model.Rule;
import org.ringmaster.crm.simple.model.Score;
import org.ringmaster.crm.simple.status.ClusterStatus;
import org.ringmaster.crm.simple.status.ResourceState;

/**
 * One scheduling run: builds the working model (units, clone sets, instances), reads the current
 * state, computes base scores, then hands over to {@link Assigner}, {@link OrderPass} and
 * {@link ActionPlanner}. Single use.
 */
final class Scheduler {
    static final int INF = Score.INFINITY;


    final Configuration cfg;
    final ClusterStatus st;
    final NodeTable nodes;
    final RuleEvaluator rules;
    final List<Unit> units = new ArrayList<>();
    final List<CloneSet> clones = new ArrayList<>();
    final Map<String, Ref> refs = new LinkedHashMap<>();
    final int[] load;
    final boolean noQuorum;
    final NoQuorumPolicy nqPolicy;
    final List<String> scoreLog = new ArrayList<>();
    /** Role-specific location scores, for promotion: instance -> node scores. */
    final Map<Inst, int[]> promotionLocation = new HashMap<>();
    final List<ResourceState> orphans = new ArrayList<>();

    final boolean recordScores;
    final PlacementStrategy strategy;
    /** Utilization attribute names (nodes' capacities and resources' needs), indexing {@link #free}. */
    final List<String> capacityNames = new ArrayList<>();
    /** Free capacity per node and utilization attribute, as instances are placed. */
    final long[][] free;

    Scheduler(Configuration cfg, ClusterStatus st, boolean recordScores) {
        this.recordScores = recordScores;
        this.cfg = cfg;
        this.st = st;
        this.nodes = new NodeTable(cfg, st);
        this.rules = new RuleEvaluator(nodes, st.now());
        this.load = new int[nodes.size];
        this.noQuorum = !st.haveQuorum();
        this.nqPolicy = cfg.options().noQuorumPolicy();
        this.strategy = cfg.options().placementStrategy();
        java.util.Set<String> names = new java.util.TreeSet<>();
        cfg.nodes().forEach(n -> names.addAll(n.utilization().keySet()));
        cfg.resourcesById().values().forEach(r -> {
            if (r instanceof Primitive p) {
                names.addAll(p.utilization().keySet());
            }
        });
        capacityNames.addAll(names);
        this.free = new long[nodes.size][capacityNames.size()];
        for (org.ringmaster.crm.simple.model.Node n : cfg.nodes()) {
            Integer i = nodes.indexOf(n.uname());
            for (int k = 0; k < capacityNames.size(); k++) {
                free[i][k] = n.utilization().getOrDefault(capacityNames.get(k), 0);
            }
        }
    }

    /** What the instance needs of each utilization attribute. */
    long[] demand(Inst i) {
        if (i.demand == null) {
            i.demand = new long[capacityNames.size()];
            for (int k = 0; k < capacityNames.size(); k++) {
                i.demand[k] = i.primitive.utilization().getOrDefault(capacityNames.get(k), 0);
            }
        }
        return i.demand;
    }

    /** Whether the node has the free capacity for {@code need} (always, under the default strategy). */
    boolean fits(int node, long[] need) {
        if (!strategy.checksCapacity() || need == null) {
            return true;
        }
        for (int k = 0; k < need.length; k++) {
            if (need[k] > 0 && free[node][k] < need[k]) {
                return false;
            }
        }
        return true;
    }

    /** Counts an instance placed on (sign 1) or taken off (sign -1) a node: load and capacity. */
    void charge(Inst i, int node, int sign) {
        load[node] += sign;
        consume(demand(i), node, sign);
    }

    void consume(long[] need, int node, int sign) {
        for (int k = 0; k < need.length; k++) {
            free[node][k] -= sign * need[k];
        }
    }

    /** Positive when node a has more free capacity than b in more utilization attributes. */
    int compareFree(int a, int b) {
        int more = 0;
        for (int k = 0; k < capacityNames.size(); k++) {
            more += Long.compare(free[a][k], free[b][k]);
        }
        return more;
    }

    /** The resource is left alone: is-managed=false, maintenance of it, its node or the cluster. */
    boolean unmanaged(Inst i, int node) {
        return cfg.options().maintenanceMode() || !i.meta.flag("is-managed", true) || i.meta.flag("maintenance", false)
                || nodes.maintenance[node];
    }

    /** A meta with its rule-bound sets resolved at "now". */
    private Meta resolve(Meta m) {
        return m.resolve(rules::matchesAnywhere);
    }

    Transition run() {
        build();
        readState();
        baseScores();
        Assigner assigner = new Assigner(this);
        assigner.assignAll();
        new OrderPass(this, assigner).run();
        assigner.finishRoles();
        Transition t = new ActionPlanner(this).plan();
        List<Transition.ExpiredFailure> expired = new ArrayList<>();
        java.time.Instant next = timeBoundaries(expired);
        return new Transition(t.placements(), t.fenced(), t.actions(), t.scores(), expired, next);
    }

    /**
     * Collects the fail-counts failure-timeout has expired at "now" (each once, even when an anonymous clone's
     * count belongs to several instances) and returns the soonest later boundary: a failure expiring or a date
     * expression changing. Uses the same rule as {@link #expired}.
     */
    private java.time.Instant timeBoundaries(List<Transition.ExpiredFailure> expired) {
        java.time.Instant next = rules.nextChange();
        if (st.now() == null) {
            return next;
        }
        long now = st.now().getEpochSecond();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Unit u : allUnits()) {
            for (Inst i : u.members) {
                long timeout = i.meta.seconds("failure-timeout", i.primitive.id());
                if (timeout <= 0) {
                    continue;
                }
                for (int node = 0; node < nodes.size; node++) {
                    long last = 0;
                    boolean counted = false;
                    for (FailEntry e : failEntries(node)) {
                        if (e.belongsTo(i)) {
                            last = Math.max(last, e.lastFailure);
                            counted |= e.count != 0;
                        }
                    }
                    if (last <= 0 || !counted) {
                        continue;
                    }
                    if (now < last + timeout) {
                        java.time.Instant at = java.time.Instant.ofEpochSecond(last + timeout);
                        next = next == null || at.isBefore(next) ? at : next;
                        continue;
                    }
                    for (FailEntry e : failEntries(node)) {
                        if (e.belongsTo(i) && e.count != 0 && seen.add(node + "\n" + e.resource)) {
                            expired.add(new Transition.ExpiredFailure(nodes.names[node], e.resource, e.lastFailure));
                        }
                    }
                }
            }
        }
        return next;
    }

    // ---- model -------------------------------------------------------------------------------

    private void build() {
        int order = 0;
        Meta defaults = resolve(cfg.resourceDefaults());
        for (Resource r : cfg.resources()) {
            if (r instanceof Primitive p) {
                Unit u = new Unit(p.id(), p, resolve(p.meta()).over(defaults), null, 0, order++);
                u.members.add(new Inst(p.id(), p, u.meta, u, 0));
                units.add(u);
                refs.put(p.id(), Ref.of(u));
            } else if (r instanceof Group g) {
                Unit u = new Unit(g.id(), g, resolve(g.meta()).over(defaults), null, 0, order++);
                for (int i = 0; i < g.members().size(); i++) {
                    Primitive m = g.members().get(i);
                    Inst inst = new Inst(m.id(), m, resolve(m.meta()).over(u.meta), u, i);
                    u.members.add(inst);
                    refs.put(m.id(), Ref.of(inst));
                }
                units.add(u);
                refs.put(g.id(), Ref.of(u));
            } else if (r instanceof Clone c) {
                Meta cm = resolve(c.meta()).over(defaults);
                if (cm.get("resource-stickiness").isEmpty() && c.child().meta().get("resource-stickiness").isEmpty()) {
                    // Clones are slightly sticky by default so that instances do not shuffle.
                    Map<String, String> m = new LinkedHashMap<>(cm.values());
                    m.put("resource-stickiness", "1");
                    cm = new Meta(m);
                }
                CloneSet cs = new CloneSet(c, cm, Math.max(0, c.cloneMax(nodes.size)),
                        Math.max(0, c.cloneNodeMax()), order++);
                Meta childMeta = resolve(c.child().meta()).over(cm);
                for (int k = 0; k < cs.max; k++) {
                    Unit u = new Unit(c.child().id() + ":" + k, c.child(), childMeta, cs, k, cs.order);
                    List<Primitive> prims = c.primitives();
                    for (int i = 0; i < prims.size(); i++) {
                        Primitive p = prims.get(i);
                        Meta pm = c.child() instanceof Group ? resolve(p.meta()).over(childMeta) : childMeta;
                        u.members.add(new Inst(p.id() + ":" + k, p, pm, u, i));
                    }
                    cs.units.add(u);
                }
                clones.add(cs);
                Ref ref = Ref.of(cs);
                refs.put(c.id(), ref);
                refs.put(c.child().id(), ref);
                c.primitives().forEach(p -> refs.put(p.id(), ref));
            }
        }
    }

    // ---- current state -----------------------------------------------------------------------

    private final Map<String, Map<Integer, Unit>> anonByNode = new HashMap<>();
    private int discovered;
    /** (instance, node) pairs banned by failed starts / missing agents. */
    final Map<Inst, List<Integer>> failureBans = new HashMap<>();

    private void readState() {
        // Failures that fence their node go first, so the second pass knows which nodes' records count.
        if (cfg.options().fencingEnabled()) {
            for (ResourceState rs : st.resources()) {
                Integer n = nodes.indexOf(rs.node());
                if (n == null || !rs.active() || !(rs.failed() || rs.stopFailed())) {
                    continue;
                }
                Inst inst = resolve(rs, n, false);
                if (inst == null || unmanaged(inst, n) || !"fence".equals(reaction(inst, rs, n))) {
                    continue;
                }
                // the failure makes the node unclean; without quorum only a node of our partition can be
                // fenced, otherwise the resource stays blocked there
                boolean online = nodes.state[n] == NodeTable.State.ONLINE;
                if (!online) {
                    nodes.state[n] = NodeTable.State.UNCLEAN;
                }
                nodes.fence[n] = online || st.haveQuorum() || nqPolicy == NoQuorumPolicy.IGNORE;
                nodes.canHost[n] = false;
            }
        }
        for (ResourceState rs : st.resources()) {
            Integer n = nodes.indexOf(rs.node());
            if (n == null) {
                continue;
            }
            Inst peek = rs.stopFailed() ? resolve(rs, n, false) : null;
            if (peek != null && !unmanaged(peek, n) && "ignore".equals(reaction(peek, rs, n))) {
                continue; // a failed stop with on-fail=ignore counts as stopped
            }
            Inst inst = resolve(rs, n, rs.active() && nodes.historyCounts(n) && !nodes.fence[n]);
            if (inst == null) {
                if (rs.active() && cfg.resourcesById().get(strip(rs.resourceId())) == null) {
                    orphans.add(rs);
                }
                continue;
            }
            // A failed start bans the node through its fail-count (the controller records INFINITY
            // when start-failure-is-fatal), as in Pacemaker; the history alone does not ban.
            if (rs.notInstalled()) {
                failureBans.computeIfAbsent(inst, k -> new ArrayList<>()).add(n);
            }
            if (rs.active() && nodes.fence[n]) {
                inst.fencedOn = n;
            }
            if (!rs.active() || !nodes.historyCounts(n) || nodes.fence[n]) {
                continue;
            }
            if (!inst.active.contains(n)) {
                inst.active.add(n);
            }
            Role role = rs.role();
            if (inst.unit.clone != null && inst.unit.clone.promotable() && role == Role.STARTED) {
                role = Role.UNPROMOTED;
            }
            inst.currentRole = role;
            boolean unmanaged = unmanaged(inst, n);
            String reaction = (rs.failed() || rs.stopFailed()) && !unmanaged ? reaction(inst, rs, n) : null;
            if (reaction != null) {
                switch (reaction) {
                    case "ignore" -> {
                        // pretend it did not fail
                    }
                    case "demote" -> inst.noPromotion = true; // demoted in place, no restart
                    case "stop" -> {
                        inst.failed |= rs.failed();
                        inst.stopOnFailure = true;
                    }
                    case "standby" -> {
                        inst.failed |= rs.failed();
                        nodes.canHost[n] = false; // everything leaves the node where it failed
                    }
                    case "block" -> {
                        inst.failed |= rs.failed();
                        inst.blockedOn = n;
                    }
                    default -> inst.failed |= rs.failed(); // restart, or a fence that cannot be done
                }
            }
            if (unmanaged) {
                inst.blockedOn = n; // left where it is, whatever its state
            }
            if ((rs.stopFailed() && !"ignore".equals(reaction)) || nodes.state[n] == NodeTable.State.UNCLEAN) {
                inst.blockedOn = n;
            }
        }
    }

    /**
     * What a resource's recorded failure leads to (its operation's on-fail, Pacemaker's defaults and
     * fallbacks), or "ignore" when failure-timeout has expired it.
     */
    String reaction(Inst inst, ResourceState rs, int node) {
        org.ringmaster.crm.simple.status.OperationRecord op = rs.lastFailure();
        boolean stop = rs.stopFailed();
        String name = op != null ? op.operation() : stop ? "stop" : "monitor";
        org.ringmaster.crm.simple.model.Operation configured = op == null ? null : configuredOp(inst, op);
        String v = configured == null ? null : configured.onFail();
        boolean fencing = cfg.options().fencingEnabled();
        if (stop) {
            // a stop that failed cannot be restarted or stopped again: fence, unless told to block or ignore
            if ("block".equals(v) || "ignore".equals(v)) {
                return v;
            }
            return fencing ? "fence" : "block";
        }
        if (op != null && expired(inst, node, op.lastRcChange())) {
            return "ignore";
        }
        if (v == null || v.equals("restart-container")) {
            return "restart";
        }
        if (v.equals("fence") && !fencing) {
            return "stop";
        }
        if (v.equals("demote")) {
            boolean promotedOp = name.equals("promote") || (name.equals("monitor") && configured.role() == Role.PROMOTED);
            boolean promotable = inst.unit.clone != null && inst.unit.clone.promotable();
            return promotedOp && promotable ? "demote" : "restart";
        }
        return v;
    }

    /** The configured operation the failed one was an instance of (null = none configured). */
    private static org.ringmaster.crm.simple.model.Operation configuredOp(Inst inst,
            org.ringmaster.crm.simple.status.OperationRecord op) {
        for (org.ringmaster.crm.simple.model.Operation o : inst.primitive.operations()) {
            if (o.name().equals(op.operation()) && o.intervalMs() == op.intervalMs()) {
                return o;
            }
        }
        return null;
    }

    /**
     * Whether the resource's failures on the node are older than its failure-timeout at "now": the
     * latest of the last-failure node attributes and {@code recordedSeconds} (the failed operation's
     * last-rc-change) counts. Never without a failure-timeout, a "now", or any failure time.
     */
    boolean expired(Inst i, int node, long recordedSeconds) {
        long timeout = i.meta.seconds("failure-timeout", i.primitive.id());
        if (timeout <= 0 || st.now() == null) {
            return false;
        }
        long last = recordedSeconds;
        for (FailEntry e : failEntries(node)) {
            if (e.belongsTo(i)) {
                last = Math.max(last, e.lastFailure);
            }
        }
        return last > 0 && st.now().getEpochSecond() >= last + timeout;
    }

    static String strip(String id) {
        int c = id.lastIndexOf(':');
        if (c > 0 && c < id.length() - 1 && id.substring(c + 1).chars().allMatch(Character::isDigit)) {
            return id.substring(0, c);
        }
        return id;
    }

    /** Maps a history entry to an instance; claims an anonymous clone instance for the node if asked. */
    private Inst resolve(ResourceState rs, int n, boolean claim) {
        String id = rs.resourceId();
        Ref ref = refs.get(id);
        if (ref != null && ref.cloneSet() == null) {
            return ref.member() != null ? ref.member() : ref.unit().members.get(0);
        }
        String base = strip(id);
        ref = refs.get(base);
        if (ref == null || ref.cloneSet() == null) {
            return null;
        }
        CloneSet cs = ref.cloneSet();
        int member = memberIndex(cs, base);
        if (member < 0) {
            return null;
        }
        if (cs.unique()) {
            if (base.equals(id)) {
                return null;
            }
            int k = Integer.parseInt(id.substring(base.length() + 1));
            return k < cs.units.size() ? cs.units.get(k).members.get(member) : null;
        }
        Map<Integer, Unit> byNode = anonByNode.computeIfAbsent(cs.id(), x -> new HashMap<>());
        Unit u = byNode.get(n);
        if (u == null && claim && !base.equals(id)) {
            // keep the recorded instance number when it is free
            int k = Integer.parseInt(id.substring(base.length() + 1));
            if (k < cs.units.size() && !byNode.containsValue(cs.units.get(k))) {
                u = cs.units.get(k);
                byNode.put(n, u);
                u.discovered = discovered++;
            }
        }
        if (u == null && claim) {
            for (Unit cand : cs.units) {
                if (!byNode.containsValue(cand)) {
                    u = cand;
                    byNode.put(n, u);
                    u.discovered = discovered++;
                    break;
                }
            }
        }
        if (u == null && !claim && !cs.units.isEmpty()) {
            // not active: record bans against every instance on that node
            return cs.units.get(0).members.get(member);
        }
        return u == null ? null : u.members.get(member);
    }

    private static int memberIndex(CloneSet cs, String primitiveId) {
        List<Primitive> prims = cs.clone.primitives();
        for (int i = 0; i < prims.size(); i++) {
            if (prims.get(i).id().equals(primitiveId)) {
                return i;
            }
        }
        return -1;
    }

    // ---- base scores -------------------------------------------------------------------------

    private void baseScores() {
        int n = nodes.size;
        boolean symmetric = cfg.options().symmetricCluster();
        Map<Object, boolean[]> allowed = new HashMap<>();
        for (Unit u : allUnits()) {
            u.own = new int[n];
            for (Inst i : u.members) {
                i.scores = new int[n];
            }
        }
        for (CloneSet cs : clones) {
            cs.own = new int[n];
        }
        for (LocationConstraint c : cfg.locations()) {
            for (Ref ref : targets(c)) {
                boolean promotedOnly = c.role() == Role.PROMOTED;
                for (int node = 0; node < n; node++) {
                    int score = 0;
                    boolean hit = false;
                    if (c.rules().isEmpty()) {
                        if (nodes.names[node].equals(c.node())) {
                            score = c.score();
                            hit = true;
                        }
                    } else {
                        for (Rule r : c.rules()) {
                            if (rules.matches(r, node)) {
                                if (r.role() == Role.PROMOTED || promotedOnly) {
                                    addPromotion(ref, node, rules.score(r, node));
                                    continue;
                                }
                                score = Score.add(score, rules.score(r, node));
                                hit = true;
                            }
                        }
                    }
                    if (!hit) {
                        continue;
                    }
                    if (promotedOnly) {
                        addPromotion(ref, node, score);
                        continue;
                    }
                    int[] level = level(ref);
                    level[node] = Score.add(level[node], score);
                    allowed.computeIfAbsent(level, k -> new boolean[n])[node] = true;
                }
            }
        }
        for (FailoverDomain d : cfg.failoverDomains()) {
            applyDomain(d, allowed);
        }
        for (Unit u : allUnits()) {
            for (Inst i : u.members) {
                int stick = i.meta.integer("resource-stickiness", 0, i.primitive.id());
                i.meta.seconds("failure-timeout", i.primitive.id()); // a broken value is an error, failures or not
                stick += domainStickiness(i);
                // an unmanaged resource that is not running is not started either
                boolean leftAlone = cfg.options().maintenanceMode() || !i.meta.flag("is-managed", true)
                        || i.meta.flag("maintenance", false);
                i.disabled = i.stopOnFailure || (leftAlone && i.active.isEmpty())
                        || i.meta.get("target-role").map(v -> v.equalsIgnoreCase("stopped")).orElse(false);
                for (int node = 0; node < n; node++) {
                    if (!symmetric && !allowedAnywhere(allowed, i, node)) {
                        i.scores[node] = -INF;
                    }
                }
                if (i.active.size() == 1 && stick > 0) {
                    int cur = i.active.get(0);
                    if (symmetric || allowedAnywhere(allowed, i, cur)) {
                        i.scores[cur] = Score.add(i.scores[cur], stick);
                    }
                }
                int threshold = i.meta.integer("migration-threshold", INF, i.primitive.id());
                for (int node = 0; node < n; node++) {
                    if (threshold > 0 && failCount(i, node) >= threshold) {
                        i.scores[node] = -INF;
                    }
                }
                for (int node : failureBans.getOrDefault(i, List.of())) {
                    banFailure(i, node);
                }
                if (i.disabled) {
                    java.util.Arrays.fill(i.scores, -INF);
                }
                applyNoQuorum(i);
            }
        }
    }

    private void banFailure(Inst i, int node) {
        if (i.unit.clone != null && !i.unit.clone.unique()) {
            // anonymous instances are interchangeable: the ban holds for all of them
            for (Unit u : i.unit.clone.units) {
                Inst same = u.members.get(i.member);
                same.scores[node] = -INF;
            }
        } else {
            i.scores[node] = -INF;
        }
    }

    private void applyNoQuorum(Inst i) {
        if (!noQuorum || nqPolicy == NoQuorumPolicy.IGNORE) {
            return;
        }
        if (i.primitive.meta().get("requires").map(v -> v.equals("nothing")).orElse(false)) {
            return;
        }
        boolean freeze = nqPolicy == NoQuorumPolicy.FREEZE
                || (nqPolicy == NoQuorumPolicy.DEMOTE && i.unit.clone != null && i.unit.clone.promotable());
        // Frozen resources keep running (they may even move); nothing new starts.
        if (!freeze || i.active.isEmpty()) {
            java.util.Arrays.fill(i.scores, -INF);
        }
    }

    private boolean allowedAnywhere(Map<Object, boolean[]> allowed, Inst i, int node) {
        boolean[] a = allowed.get(i.scores);
        boolean[] b = allowed.get(i.unit.own);
        boolean[] c = i.unit.clone == null ? null : allowed.get(i.unit.clone.own);
        return (a != null && a[node]) || (b != null && b[node]) || (c != null && c[node]);
    }

    private int[] level(Ref ref) {
        if (ref.cloneSet() != null) {
            return ref.cloneSet().own;
        }
        if (ref.member() != null) {
            return ref.member().scores;
        }
        return ref.unit().own;
    }

    private void addPromotion(Ref ref, int node, int score) {
        for (Inst i : ref.insts()) {
            int[] s = promotionLocation.computeIfAbsent(i, k -> new int[nodes.size]);
            s[node] = Score.add(s[node], score);
        }
    }

    private List<Ref> targets(LocationConstraint c) {
        List<Ref> out = new ArrayList<>();
        if (c.resource() != null) {
            Ref r = refs.get(c.resource());
            if (r != null) {
                out.add(r);
            }
        } else if (c.resourcePattern() != null) {
            Pattern p = Pattern.compile(c.resourcePattern());
            for (Map.Entry<String, Ref> e : refs.entrySet()) {
                if (p.matcher(e.getKey()).matches() && e.getKey().equals(e.getValue().id())) {
                    out.add(e.getValue());
                }
            }
        }
        return out;
    }

    private void applyDomain(FailoverDomain d, Map<Object, boolean[]> allowed) {
        for (String rid : d.resources()) {
            Ref ref = refs.get(rid);
            if (ref == null) {
                continue;
            }
            int[] level = level(ref);
            for (int k = 0; k < d.nodes().size(); k++) {
                Integer node = nodes.indexOf(d.nodes().get(k));
                if (node == null) {
                    continue;
                }
                int score = d.ordered() ? (d.nodes().size() - k) * 100 : 100;
                level[node] = Score.add(level[node], score);
                allowed.computeIfAbsent(level, x -> new boolean[nodes.size])[node] = true;
            }
            if (d.restricted()) {
                for (int node = 0; node < nodes.size; node++) {
                    if (!d.nodes().contains(nodes.names[node])) {
                        level[node] = -INF;
                    }
                }
            }
        }
    }

    /** nofailback: a service stays where it runs rather than returning to a better domain member. */
    private int domainStickiness(Inst i) {
        int extra = 0;
        for (FailoverDomain d : cfg.failoverDomains()) {
            if (d.nofailback() && (d.resources().contains(i.primitive.id()) || d.resources().contains(i.unit.id)
                    || (i.unit.clone != null && d.resources().contains(i.unit.clone.id())))) {
                extra += (d.nodes().size() + 1) * 100;
            }
        }
        return extra;
    }

    private final Map<Integer, List<FailEntry>> failEntries = new HashMap<>();

    /**
     * The resource's fail-count on the node: the sum of its fail-count attributes, leaving out
     * operations whose failures are ignored (on-fail=ignore); 0 once failure-timeout has expired them.
     */
    int failCount(Inst i, int node) {
        int total = 0;
        for (FailEntry e : failEntries(node)) {
            if (e.belongsTo(i) && !ignored(i, e.operation)) {
                total = Score.add(total, e.count);
            }
        }
        if (total != 0 && expired(i, node, 0)) {
            return 0;
        }
        return total;
    }

    /** A fail-count of an operation (OP_INTERVALMS) configured with on-fail=ignore. */
    private static boolean ignored(Inst i, String opKey) {
        if (opKey == null) {
            return false;
        }
        int us = opKey.lastIndexOf('_');
        if (us <= 0) {
            return false;
        }
        String name = opKey.substring(0, us);
        long interval;
        try {
            interval = Long.parseLong(opKey.substring(us + 1));
        } catch (NumberFormatException e) {
            return false;
        }
        for (org.ringmaster.crm.simple.model.Operation o : i.primitive.operations()) {
            if (o.name().equals(name) && o.intervalMs() == interval) {
                return "ignore".equals(o.onFail());
            }
        }
        return false;
    }

    private List<FailEntry> failEntries(int node) {
        return failEntries.computeIfAbsent(node, this::readFailEntries);
    }

    /**
     * fail-count-RSC[#OP_INTERVAL] and last-failure-RSC[#OP_INTERVAL] node attributes, joined per
     * resource and operation.
     */
    private List<FailEntry> readFailEntries(int node) {
        Map<String, FailEntry> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : nodes.attributes.get(node).entrySet()) {
            String key = e.getKey();
            boolean count = key.startsWith("fail-count-");
            boolean last = key.startsWith("last-failure-");
            if (!count && !last) {
                continue;
            }
            String rest = key.substring(count ? "fail-count-".length() : "last-failure-".length());
            int hash = rest.indexOf('#');
            String rid = hash >= 0 ? rest.substring(0, hash) : rest;
            String op = hash >= 0 ? rest.substring(hash + 1) : null;
            long v;
            try {
                // a fail-count is a score (INFINITY allowed), a last failure an epoch time in seconds
                v = count ? Score.parse(e.getValue(), key) : Long.parseLong(e.getValue().trim());
            } catch (IllegalArgumentException ex) {
                continue; // garbage in a transient attribute: no failure recorded
            }
            FailEntry f = out.computeIfAbsent(rest, k -> new FailEntry(rid, op));
            if (count) {
                f.count = Score.add(f.count, (int) v);
            } else {
                f.lastFailure = Math.max(f.lastFailure, v);
            }
        }
        return new ArrayList<>(out.values());
    }

    /** One resource operation's fail-count and last failure time (epoch seconds) on a node. */
    private static final class FailEntry {
        final String resource;
        final String operation;
        int count;
        long lastFailure;

        FailEntry(String resource, String operation) {
            this.resource = resource;
            this.operation = operation;
        }

        boolean belongsTo(Inst i) {
            boolean anonymous = i.unit.clone != null && !i.unit.clone.unique();
            return resource.equals(i.primitive.id()) || resource.equals(i.id)
                    || (anonymous && strip(resource).equals(i.primitive.id()));
        }
    }

    List<Unit> allUnits() {
        List<Unit> out = new ArrayList<>(units);
        clones.forEach(c -> out.addAll(c.units));
        return out;
    }

    /** Colocations with their references resolved, skipping ones naming unknown resources. */
    List<ResolvedColocation> colocations() {
        if (resolved == null) {
            resolved = new ArrayList<>();
            for (ColocationConstraint c : cfg.colocations()) {
                Ref d = refs.get(c.dependent());
                Ref p = refs.get(c.primary());
                if (d != null && p != null && !(d.equals(p))) {
                    resolved.add(new ResolvedColocation(c, d, p));
                }
            }
        }
        return resolved;
    }

    private List<ResolvedColocation> resolved;
    private Map<Object, List<ResolvedColocation>> byPrimary;
    private Map<Object, List<ResolvedColocation>> byDependent;

    /** The unit or clone set a reference is placed as. */
    static Object placedAs(Ref r) {
        return r.cloneSet() != null ? r.cloneSet() : r.unit();
    }

    /** Colocations whose primary is placed as {@code key} (a unit or clone set), in configuration order. */
    List<ResolvedColocation> withPrimary(Object key) {
        if (byPrimary == null) {
            index();
        }
        return byPrimary.getOrDefault(key, List.of());
    }

    /** Colocations whose dependent is placed as {@code key}. */
    List<ResolvedColocation> withDependent(Object key) {
        if (byDependent == null) {
            index();
        }
        return byDependent.getOrDefault(key, List.of());
    }

    private void index() {
        byPrimary = new HashMap<>();
        byDependent = new HashMap<>();
        for (ResolvedColocation rc : colocations()) {
            byPrimary.computeIfAbsent(placedAs(rc.primary()), k -> new ArrayList<>()).add(rc);
            byDependent.computeIfAbsent(placedAs(rc.dependent()), k -> new ArrayList<>()).add(rc);
        }
    }

    /** A colocation with resolved references. */
    record ResolvedColocation(ColocationConstraint c, Ref dependent, Ref primary) {
    }

    boolean available(int node, int score) {
        return nodes.canHost[node] && score >= 0 && score > -INF;
    }
}
