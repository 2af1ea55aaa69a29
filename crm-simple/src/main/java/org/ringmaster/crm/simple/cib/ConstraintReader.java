package org.ringmaster.crm.simple.cib;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ringmaster.crm.simple.model.ColocationConstraint;
import org.ringmaster.crm.simple.model.DateExpression;
import org.ringmaster.crm.simple.model.Expression;
import org.ringmaster.crm.simple.model.LocationConstraint;
import org.ringmaster.crm.simple.model.OrderConstraint;
import org.ringmaster.crm.simple.model.Role;
import org.ringmaster.crm.simple.model.Rule;
import org.ringmaster.crm.simple.model.Score;
import org.w3c.dom.Element;

/** Reads the constraints section; resource sets are expanded into pairwise constraints. */
final class ConstraintReader {
    final List<LocationConstraint> locations = new ArrayList<>();
    final List<ColocationConstraint> colocations = new ArrayList<>();
    final List<OrderConstraint> orders = new ArrayList<>();

    void read(Element constraints) throws CibFormatException {
        for (Element c : Xml.children(constraints, null)) {
            switch (c.getTagName()) {
                case "rsc_location" -> location(c);
                case "rsc_colocation" -> colocation(c);
                case "rsc_order" -> order(c);
                default -> {
                    // rsc_ticket and others: out of scope
                }
            }
        }
    }

    private static Role role(Element e, String attr) throws CibFormatException {
        String v = Xml.attr(e, attr);
        if (v == null) {
            return null;
        }
        try {
            return Role.parse(v, Xml.describe(e) + " " + attr);
        } catch (IllegalArgumentException ex) {
            throw new CibFormatException(ex.getMessage(), ex);
        }
    }

    private void location(Element c) throws CibFormatException {
        String id = Xml.require(c, "id");
        List<Rule> rules = new ArrayList<>();
        for (Element r : Xml.children(c, "rule")) {
            rules.add(rule(r));
        }
        String node = Xml.attr(c, "node");
        int score = 0;
        if (rules.isEmpty()) {
            if (node == null) {
                throw new CibFormatException(Xml.describe(c) + ": needs a node and score, or rules");
            }
            if (Xml.attr(c, "score") == null) {
                throw new CibFormatException(Xml.describe(c) + ": missing attribute 'score'");
            }
            score = CibReader.score(c, "score", 0);
        }
        Role role = role(c, "role");
        List<Element> sets = Xml.children(c, "resource_set");
        if (!sets.isEmpty()) {
            for (Element set : sets) {
                Role setRole = role(set, "role");
                for (Element ref : Xml.children(set, "resource_ref")) {
                    locations.add(new LocationConstraint(id, Xml.require(ref, "id"), null, node, score, rules,
                            setRole != null ? setRole : role));
                }
            }
            return;
        }
        String rsc = Xml.attr(c, "rsc");
        String pattern = Xml.attr(c, "rsc-pattern");
        if (rsc == null && pattern == null) {
            throw new CibFormatException(Xml.describe(c) + ": missing attribute 'rsc'");
        }
        locations.add(new LocationConstraint(id, rsc, pattern, node, score, rules, role));
    }

    static Rule rule(Element r) throws CibFormatException {
        List<Expression> exprs = new ArrayList<>();
        List<DateExpression> dates = new ArrayList<>();
        List<Rule> nested = new ArrayList<>();
        boolean unsupported = false;
        for (Element e : Xml.children(r, null)) {
            switch (e.getTagName()) {
                case "expression" -> exprs.add(new Expression(Xml.require(e, "attribute"),
                        Xml.require(e, "operation").toLowerCase(Locale.ROOT), Xml.attr(e, "value"),
                        Xml.attr(e, "type")));
                case "date_expression" -> dates.add(date(e));
                case "rule" -> nested.add(rule(e));
                default -> unsupported = true; // rsc_expression, op_expression ...: never true here
            }
        }
        String op = Xml.attr(r, "boolean-op");
        return new Rule(Xml.attr(r, "id"), CibReader.score(r, "score", 0), Xml.attr(r, "score-attribute"),
                op == null || !op.equalsIgnoreCase("or"), exprs, dates, nested, role(r, "role"), unsupported);
    }

    /** A date_expression with its optional date_spec / duration child; errors name the element. */
    private static DateExpression date(Element e) throws CibFormatException {
        String where = Xml.describe(e);
        try {
            String start = Xml.attr(e, "start");
            String end = Xml.attr(e, "end");
            Map<String, String> spec = new LinkedHashMap<>();
            Element ds = Xml.child(e, "date_spec");
            if (ds != null) {
                for (String f : DateExpression.SPEC_FIELDS) {
                    if (Xml.attr(ds, f) != null) {
                        spec.put(f, Xml.attr(ds, f));
                    }
                }
            }
            Map<String, Integer> duration = new LinkedHashMap<>();
            Element du = Xml.child(e, "duration");
            if (du != null) {
                for (String f : DateExpression.DURATION_FIELDS) {
                    if (Xml.attr(du, f) != null) {
                        try {
                            duration.put(f, Integer.parseInt(Xml.attr(du, f).trim()));
                        } catch (NumberFormatException ex) {
                            throw new IllegalArgumentException("duration " + f + " is not an integer: '"
                                    + Xml.attr(du, f) + "'");
                        }
                    }
                }
            }
            return new DateExpression(Xml.attr(e, "id"), Xml.attr(e, "operation"),
                    start == null ? null : DateExpression.parseTime(start, "start"),
                    end == null ? null : DateExpression.parseTime(end, "end"), duration, spec);
        } catch (IllegalArgumentException ex) {
            throw new CibFormatException(where + ": " + ex.getMessage(), ex);
        }
    }

    private void colocation(Element c) throws CibFormatException {
        String id = Xml.require(c, "id");
        // Pacemaker reads a missing score as 0, and a colocation of score 0 does nothing
        int score = CibReader.score(c, "score", 0);
        String nodeAttr = Xml.attr(c, "node-attribute");
        String infl = Xml.attr(c, "influence");
        boolean influence = infl == null || org.ringmaster.crm.simple.model.Meta.truthy(infl);
        List<Element> sets = Xml.children(c, "resource_set");
        if (sets.isEmpty()) {
            colocations.add(new ColocationConstraint(id, Xml.require(c, "rsc"), Xml.require(c, "with-rsc"), score,
                    role(c, "rsc-role"), role(c, "with-rsc-role"), nodeAttr, influence));
            return;
        }
        // Within a sequential set each resource is placed with the one before it; between sets,
        // the earlier set is placed with the later one.
        Element previous = null;
        for (Element set : sets) {
            Role setRole = role(set, "role");
            int setScore = CibReader.score(set, "score", score);
            List<String> refs = refs(set);
            if (sequential(set)) {
                for (int i = 1; i < refs.size(); i++) {
                    colocations.add(new ColocationConstraint(id, refs.get(i), refs.get(i - 1), setScore, setRole,
                            setRole, nodeAttr, influence));
                }
            }
            if (previous != null) {
                List<String> prevRefs = refs(previous);
                List<String> deps = sequential(previous) ? prevRefs.subList(0, Math.min(1, prevRefs.size()))
                        : prevRefs;
                List<String> prims = sequential(set) && !refs.isEmpty() ? refs.subList(refs.size() - 1, refs.size())
                        : refs;
                for (String d : deps) {
                    for (String p : prims) {
                        colocations.add(new ColocationConstraint(id, d, p, score, role(previous, "role"), setRole,
                                nodeAttr, influence));
                    }
                }
            }
            previous = set;
        }
    }

    private static boolean sequential(Element set) {
        String s = Xml.attr(set, "sequential");
        return s == null || org.ringmaster.crm.simple.model.Meta.truthy(s);
    }

    private static List<String> refs(Element set) throws CibFormatException {
        List<String> out = new ArrayList<>();
        for (Element ref : Xml.children(set, "resource_ref")) {
            out.add(Xml.require(ref, "id"));
        }
        return out;
    }

    private void order(Element c) throws CibFormatException {
        String id = Xml.require(c, "id");
        OrderConstraint.Kind kind = OrderConstraint.Kind.MANDATORY;
        String k = Xml.attr(c, "kind");
        if (k != null) {
            kind = switch (k.toLowerCase(Locale.ROOT)) {
                case "mandatory" -> OrderConstraint.Kind.MANDATORY;
                case "optional" -> OrderConstraint.Kind.OPTIONAL;
                case "serialize" -> OrderConstraint.Kind.SERIALIZE;
                default -> OrderConstraint.Kind.MANDATORY; // Pacemaker falls back to the default kind
            };
        } else if (Xml.attr(c, "score") != null && CibReader.score(c, "score", 0) == 0) {
            kind = OrderConstraint.Kind.OPTIONAL;
        }
        String sym = Xml.attr(c, "symmetrical");
        boolean symmetrical = sym == null ? kind != OrderConstraint.Kind.SERIALIZE
                : org.ringmaster.crm.simple.model.Meta.truthy(sym);
        List<Element> sets = Xml.children(c, "resource_set");
        if (sets.isEmpty()) {
            orders.add(new OrderConstraint(id, Xml.require(c, "first"), action(c, "first-action", "start"),
                    Xml.require(c, "then"), action(c, "then-action", action(c, "first-action", "start")), kind,
                    symmetrical));
            return;
        }
        Element previous = null;
        for (Element set : sets) {
            List<String> refs = refs(set);
            String act = action(set, "action", "start");
            if (sequential(set)) {
                for (int i = 1; i < refs.size(); i++) {
                    orders.add(new OrderConstraint(id, refs.get(i - 1), act, refs.get(i), act, kind, symmetrical));
                }
            }
            if (previous != null) {
                List<String> prevRefs = refs(previous);
                List<String> firsts = sequential(previous) && !prevRefs.isEmpty()
                        ? prevRefs.subList(prevRefs.size() - 1, prevRefs.size()) : prevRefs;
                List<String> thens = sequential(set) && !refs.isEmpty() ? refs.subList(0, 1) : refs;
                for (String f : firsts) {
                    for (String t : thens) {
                        orders.add(new OrderConstraint(id, f, action(previous, "action", "start"), t, act, kind,
                                symmetrical));
                    }
                }
            }
            previous = set;
        }
    }

    private static String action(Element e, String attr, String dflt) {
        String v = Xml.attr(e, attr);
        return v == null ? dflt : v.toLowerCase(Locale.ROOT);
    }
}
