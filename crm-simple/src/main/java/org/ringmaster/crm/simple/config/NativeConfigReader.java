package org.ringmaster.crm.simple.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ringmaster.crm.simple.model.ClusterOptions;
import org.ringmaster.crm.simple.model.Clone;
import org.ringmaster.crm.simple.model.ColocationConstraint;
import org.ringmaster.crm.simple.model.Configuration;
import org.ringmaster.crm.simple.model.FailoverDomain;
import org.ringmaster.crm.simple.model.Group;
import org.ringmaster.crm.simple.model.LocationConstraint;
import org.ringmaster.crm.simple.model.Meta;
import org.ringmaster.crm.simple.model.NoQuorumPolicy;
import org.ringmaster.crm.simple.model.Node;
import org.ringmaster.crm.simple.model.Operation;
import org.ringmaster.crm.simple.model.OrderConstraint;
import org.ringmaster.crm.simple.model.PlacementStrategy;
import org.ringmaster.crm.simple.model.Primitive;
import org.ringmaster.crm.simple.model.Resource;
import org.ringmaster.crm.simple.model.Role;
import org.ringmaster.crm.simple.model.Rule;
import org.ringmaster.crm.simple.model.Expression;
import org.ringmaster.crm.simple.model.Score;

/**
 * Reads the {@code resources {}} section of ringmaster.conf (corosync syntax) and the node names
 * of its {@code nodelist {}}. Sections inside {@code resources}:
 * <pre>
 * options   { no-quorum-policy: stop  fencing-enabled: true  symmetric-cluster: true
 *             maintenance-mode: false  placement-strategy: default|utilization|balanced|minimal
 *             cluster-recheck-interval: 15min ... }
 * defaults  { resource-stickiness: 100 }                  (rsc_defaults)
 * node      { name: n1  utilization: cpu=8  attribute: rack=r1 }   (capacity and attributes of a nodelist node)
 * primitive { id: ip  agent: ocf:heartbeat:IPaddr2  param: ip=10.0.0.1  meta: k=v  op: monitor interval=10s
 *             on-fail=restart  utilization: cpu=1 }
 * group     { id: web  members: ip fs httpd  meta: k=v }
 * clone     { id: c  child: web  meta: clone-max=2 }
 * location  { rsc: web  node: n1  score: 100 }
 * location  { rsc: web  rule: pingd lte 0  score: -INFINITY }       (a node attribute rule: ATTR OP VALUE or
 * location  { rsc: web  rule: defined pingd  score-attribute: pingd }  defined|not_defined ATTR; score defaults
 *                                                                       to INFINITY)
 * colocation { rsc: a  with-rsc: b  score: INFINITY  [rsc-role, with-rsc-role, node-attribute] }
 * order     { first: a  then: b  [kind: Mandatory|Optional|Serialize  symmetrical: true
 *             first-action: start  then-action: start] }
 * failoverdomain { name: fd  nodes: a b c d  ordered: yes  restricted: yes  nofailback: no  resources: svc }
 * </pre>
 * One {@code key: value} per line; {@code param}, {@code meta} and {@code op} repeat.
 */
public final class NativeConfigReader {
    private NativeConfigReader() {
    }

    /**
     * @param extraNodes node names to use when the file has no nodelist (may be empty)
     */
    public static Configuration read(String text, String source, List<String> extraNodes)
            throws ConfigFormatException {
        Block root = Block.parse(text, source);
        Configuration.Builder b = Configuration.builder();
        List<String> nodes = new ArrayList<>();
        for (Block nl : sections(root, "nodelist")) {
            for (Block n : sections(nl, "node")) {
                String name = n.get("name") != null ? n.get("name") : n.get("ring0_addr");
                if (name == null) {
                    throw new ConfigFormatException(source + ":" + n.line + ": node without 'name' or 'ring0_addr'");
                }
                nodes.add(name);
            }
        }
        if (nodes.isEmpty()) {
            nodes.addAll(extraNodes);
        }
        List<Block> res = sections(root, "resources");
        if (res.size() != 1) {
            throw new ConfigFormatException(source + ": expected exactly one 'resources' section, found " + res.size());
        }
        new Reader(source, b).nodes(res.get(0), nodes);
        new Reader(source, b).read(res.get(0));
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new ConfigFormatException(source + ": " + e.getMessage());
        }
    }

    private static List<Block> sections(Block parent, String name) {
        return parent.blocks.stream().filter(x -> x.name.equals(name)).toList();
    }

    private static final class Reader {
        private final String source;
        private final Configuration.Builder b;
        private final Map<String, Primitive> primitives = new LinkedHashMap<>();
        private final Map<String, Resource> composites = new LinkedHashMap<>();
        private final Map<String, Integer> lines = new LinkedHashMap<>();

        Reader(String source, Configuration.Builder b) {
            this.source = source;
            this.b = b;
        }

        private ConfigFormatException error(int line, String msg) {
            return new ConfigFormatException(source + ":" + line + ": " + msg);
        }

        private String require(Block x, String key) throws ConfigFormatException {
            String v = x.get(key);
            if (v == null || v.isEmpty()) {
                throw error(x.line, x.name + " needs '" + key + "'");
            }
            return v;
        }

        private int score(Block x, String key, int dflt) throws ConfigFormatException {
            Block.Entry e = x.entry(key);
            if (e == null) {
                return dflt;
            }
            try {
                return Score.parse(e.value(), key);
            } catch (IllegalArgumentException ex) {
                throw error(e.line(), ex.getMessage());
            }
        }

        private Map<String, String> pairs(Block x, String key) throws ConfigFormatException {
            Map<String, String> m = new LinkedHashMap<>();
            for (Block.Entry e : x.entries) {
                if (!e.key().equals(key)) {
                    continue;
                }
                int eq = e.value().indexOf('=');
                if (eq <= 0) {
                    throw error(e.line(), key + " must be name=value, got '" + e.value() + "'");
                }
                m.put(e.value().substring(0, eq).strip(), e.value().substring(eq + 1).strip());
            }
            return m;
        }

        private Role role(Block x, String key) throws ConfigFormatException {
            Block.Entry e = x.entry(key);
            if (e == null) {
                return null;
            }
            try {
                return Role.parse(e.value(), key);
            } catch (IllegalArgumentException ex) {
                throw error(e.line(), ex.getMessage());
            }
        }

        private static boolean flag(Block x, String key, boolean dflt) {
            String v = x.get(key);
            return v == null ? dflt : Meta.truthy(v);
        }

        /** The nodes, with the capacity and attributes of their {@code node} sections. */
        void nodes(Block res, List<String> names) throws ConfigFormatException {
            Map<String, Block> byName = new LinkedHashMap<>();
            for (Block x : sections(res, "node")) {
                String name = require(x, "name");
                if (!names.contains(name)) {
                    throw error(x.line, "node section for '" + name + "', which is not in the nodelist");
                }
                if (byName.put(name, x) != null) {
                    throw error(x.line, "second node section for '" + name + "'");
                }
            }
            for (String n : names) {
                Block x = byName.get(n);
                b.node(x == null ? new Node(n, n, Map.of())
                        : new Node(n, n, pairs(x, "attribute"), utilization(x)));
            }
        }

        private Map<String, Integer> utilization(Block x) throws ConfigFormatException {
            Map<String, Integer> out = new LinkedHashMap<>();
            for (Block.Entry e : x.entries) {
                if (!e.key().equals("utilization")) {
                    continue;
                }
                for (String w : words(e.value())) {
                    int eq = w.indexOf('=');
                    if (eq <= 0) {
                        throw error(e.line(), "utilization must be name=integer, got '" + w + "'");
                    }
                    try {
                        out.put(w.substring(0, eq), Integer.parseInt(w.substring(eq + 1)));
                    } catch (NumberFormatException ex) {
                        throw error(e.line(), "utilization " + w.substring(0, eq) + ": not an integer: '"
                                + w.substring(eq + 1) + "'");
                    }
                }
            }
            return out;
        }

        void read(Block res) throws ConfigFormatException {
            for (Block x : res.blocks) {
                switch (x.name) {
                    case "node" -> {
                        // read by nodes()
                    }
                    case "options" -> options(x);
                    case "defaults" -> {
                        Map<String, String> m = new LinkedHashMap<>();
                        x.entries.forEach(e -> m.put(e.key(), e.value()));
                        b.defaults(new Meta(m));
                    }
                    case "primitive" -> primitive(x);
                    case "group", "clone", "location", "colocation", "order", "failoverdomain" -> {
                        // second pass: they reference primitives
                    }
                    default -> throw error(x.line, "unknown section '" + x.name + "' in resources");
                }
            }
            for (Block x : res.blocks) {
                if (x.name.equals("group")) {
                    group(x);
                }
            }
            for (Block x : res.blocks) {
                if (x.name.equals("clone")) {
                    clone(x);
                }
            }
            List<String> inside = new ArrayList<>();
            for (Resource r : composites.values()) {
                if (r instanceof Group g) {
                    g.members().forEach(m -> inside.add(m.id()));
                } else if (r instanceof Clone c) {
                    inside.add(c.child().id());
                    c.primitives().forEach(p -> inside.add(p.id()));
                }
            }
            for (Primitive p : primitives.values()) {
                if (!inside.contains(p.id())) {
                    b.resource(p);
                }
            }
            for (Resource r : composites.values()) {
                if (!inside.contains(r.id())) {
                    b.resource(r);
                }
            }
            for (Block x : res.blocks) {
                switch (x.name) {
                    case "location" -> b.location(location(x));
                    case "colocation" -> b.colocation(new ColocationConstraint("colocation-" + x.line,
                            require(x, "rsc"), require(x, "with-rsc"), score(x, "score", Score.INFINITY),
                            role(x, "rsc-role"), role(x, "with-rsc-role"), x.get("node-attribute"), true));
                    case "order" -> order(x);
                    case "failoverdomain" -> b.failoverDomain(new FailoverDomain(require(x, "name"),
                            words(require(x, "nodes")), flag(x, "ordered", true), flag(x, "restricted", false),
                            flag(x, "nofailback", false), words(x.get("resources") == null ? "" : x.get("resources"))));
                    default -> {
                    }
                }
            }
        }

        /** {@code node} + {@code score}, or {@code rule} (one expression) + {@code score} or {@code score-attribute}. */
        private LocationConstraint location(Block x) throws ConfigFormatException {
            String id = "location-" + x.line;
            Block.Entry rule = x.entry("rule");
            if (rule == null) {
                return new LocationConstraint(id, require(x, "rsc"), null, require(x, "node"), score(x, "score", 0),
                        List.of(), role(x, "role"));
            }
            if (x.get("node") != null) {
                throw error(rule.line(), "location: 'rule' and 'node' exclude each other");
            }
            String[] w = rule.value().trim().split("\\s+");
            Expression e;
            if (w.length == 2 && (w[0].equals("defined") || w[0].equals("not_defined"))) {
                e = new Expression(w[1], w[0], null, null);
            } else if (w.length == 3 && RULE_OPS.contains(w[1])) {
                e = new Expression(w[0], w[1], w[2], null);
            } else {
                throw error(rule.line(), "rule must be 'ATTRIBUTE lt|gt|lte|gte|eq|ne VALUE' or "
                        + "'defined|not_defined ATTRIBUTE', got '" + rule.value() + "'");
            }
            String scoreAttribute = x.get("score-attribute");
            if (scoreAttribute != null && x.get("score") != null) {
                throw error(x.entry("score-attribute").line(), "location: 'score' and 'score-attribute' exclude each other");
            }
            Role role = role(x, "role");
            return new LocationConstraint(id, require(x, "rsc"), null, null, 0,
                    List.of(new Rule(id + "-rule", score(x, "score", scoreAttribute == null ? Score.INFINITY : 0),
                            scoreAttribute, true, List.of(e), List.of(), role, false)), role);
        }

        private static final java.util.Set<String> RULE_OPS = java.util.Set.of("lt", "gt", "lte", "gte", "eq", "ne");

        private static List<String> words(String v) {
            return v.isBlank() ? List.of() : Arrays.asList(v.trim().split("\\s+"));
        }

        private void options(Block x) throws ConfigFormatException {
            ClusterOptions d = ClusterOptions.defaults();
            NoQuorumPolicy nq = d.noQuorumPolicy();
            Block.Entry e = x.entry("no-quorum-policy");
            if (e != null) {
                try {
                    nq = NoQuorumPolicy.parse(e.value(), "no-quorum-policy");
                } catch (IllegalArgumentException ex) {
                    throw error(e.line(), ex.getMessage());
                }
            }
            boolean fencing = x.get("fencing-enabled") != null ? flag(x, "fencing-enabled", true)
                    : flag(x, "stonith-enabled", d.fencingEnabled());
            PlacementStrategy strategy = d.placementStrategy();
            Block.Entry ps = x.entry("placement-strategy");
            if (ps != null) {
                try {
                    strategy = PlacementStrategy.parse(ps.value(), "placement-strategy");
                } catch (IllegalArgumentException ex) {
                    throw error(ps.line(), ex.getMessage());
                }
            }
            java.time.Duration recheck = d.recheckInterval();
            Block.Entry ri = x.entry("cluster-recheck-interval");
            if (ri != null) {
                try {
                    recheck = java.time.Duration.ofSeconds(Meta.durationSeconds(ri.value(), "cluster-recheck-interval"));
                } catch (IllegalArgumentException ex) {
                    throw error(ri.line(), ex.getMessage());
                }
            }
            b.options(new ClusterOptions(nq, fencing, flag(x, "symmetric-cluster", d.symmetricCluster()),
                    flag(x, "start-failure-is-fatal", d.startFailureIsFatal()),
                    flag(x, "startup-fencing", d.startupFencing()), flag(x, "maintenance-mode", false), strategy,
                    recheck));
        }

        private void primitive(Block x) throws ConfigFormatException {
            String id = require(x, "id");
            String agent = require(x, "agent");
            String[] a = agent.split(":");
            if (a.length < 2 || a.length > 3) {
                throw error(x.entry("agent").line(), "agent must be class[:provider]:type, got '" + agent + "'");
            }
            List<Operation> ops = new ArrayList<>();
            for (Block.Entry e : x.entries) {
                if (e.key().equals("op")) {
                    ops.add(op(e));
                }
            }
            Primitive p = new Primitive(id, a[0], a.length == 3 ? a[1] : null, a[a.length - 1], pairs(x, "param"),
                    new Meta(pairs(x, "meta")), ops, utilization(x));
            if (primitives.put(id, p) != null) {
                throw error(x.line, "primitive id '" + id + "' is used twice");
            }
            lines.put(id, x.line);
        }

        private Operation op(Block.Entry e) throws ConfigFormatException {
            String[] w = e.value().trim().split("\\s+");
            long interval = 0;
            Role role = null;
            String onFail = null;
            for (int i = 1; i < w.length; i++) {
                int eq = w[i].indexOf('=');
                if (eq <= 0) {
                    throw error(e.line(), "op option must be name=value, got '" + w[i] + "'");
                }
                String k = w[i].substring(0, eq);
                String v = w[i].substring(eq + 1);
                switch (k) {
                    case "interval" -> interval = seconds(v, e.line());
                    case "role" -> {
                        try {
                            role = Role.parse(v, "op role");
                        } catch (IllegalArgumentException ex) {
                            throw error(e.line(), ex.getMessage());
                        }
                    }
                    case "on-fail" -> onFail = v;
                    default -> {
                        // timeout and friends matter to the executor, not to placement
                    }
                }
            }
            try {
                return new Operation(w[0], interval, role, onFail);
            } catch (IllegalArgumentException ex) {
                throw error(e.line(), ex.getMessage());
            }
        }

        private long seconds(String v, int line) throws ConfigFormatException {
            String t = v.toLowerCase(Locale.ROOT);
            try {
                if (t.endsWith("ms")) {
                    return Long.parseLong(t.substring(0, t.length() - 2));
                }
                if (t.endsWith("min")) {
                    return Long.parseLong(t.substring(0, t.length() - 3)) * 60_000;
                }
                if (t.endsWith("s")) {
                    return Long.parseLong(t.substring(0, t.length() - 1)) * 1000;
                }
                return Long.parseLong(t) * 1000;
            } catch (NumberFormatException e) {
                throw error(line, "not an interval: '" + v + "'");
            }
        }

        private void group(Block x) throws ConfigFormatException {
            String id = require(x, "id");
            List<Primitive> members = new ArrayList<>();
            for (String m : words(require(x, "members"))) {
                Primitive p = primitives.get(m);
                if (p == null) {
                    throw error(x.entry("members").line(), "group " + id + ": no primitive '" + m + "'");
                }
                members.add(p);
            }
            composites.put(id, new Group(id, members, new Meta(pairs(x, "meta"))));
        }

        private void clone(Block x) throws ConfigFormatException {
            String id = require(x, "id");
            String child = require(x, "child");
            Resource c = primitives.containsKey(child) ? primitives.get(child) : composites.get(child);
            if (c == null || c instanceof Clone) {
                throw error(x.entry("child").line(), "clone " + id + ": no primitive or group '" + child + "'");
            }
            composites.put(id, new Clone(id, c, new Meta(pairs(x, "meta"))));
        }

        private void order(Block x) throws ConfigFormatException {
            String kind = x.get("kind") == null ? "mandatory" : x.get("kind").toLowerCase(Locale.ROOT);
            OrderConstraint.Kind k = switch (kind) {
                case "mandatory" -> OrderConstraint.Kind.MANDATORY;
                case "optional" -> OrderConstraint.Kind.OPTIONAL;
                case "serialize" -> OrderConstraint.Kind.SERIALIZE;
                default -> throw error(x.entry("kind").line(), "kind must be Mandatory, Optional or Serialize");
            };
            String first = x.get("first-action") == null ? "start" : x.get("first-action");
            b.order(new OrderConstraint("order-" + x.line, require(x, "first"), first, require(x, "then"),
                    x.get("then-action") == null ? first : x.get("then-action"), k,
                    flag(x, "symmetrical", k != OrderConstraint.Kind.SERIALIZE)));
        }
    }
}
