package org.ringmaster.crm.simple.policy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Locale;
import org.ringmaster.crm.simple.model.DateExpression;
import org.ringmaster.crm.simple.model.Expression;
import org.ringmaster.crm.simple.model.Rule;
import org.ringmaster.crm.simple.model.Score;

/**
 * Evaluates rules against one node's attributes and the decision's "now" (date expressions never
 * hold when it is unknown).
 */
final class RuleEvaluator {
    private final NodeTable nodes;
    private final Instant now;
    /** The soonest instant after "now" at which a date expression evaluated so far may change. */
    private Instant nextChange;

    RuleEvaluator(NodeTable nodes, Instant now) {
        this.nodes = nodes;
        this.now = now;
    }

    /** A rule outside any node (meta attribute sets): node attribute expressions do not hold. */
    boolean matchesAnywhere(Rule rule) {
        return matches(rule, -1);
    }

    boolean matches(Rule rule, int node) {
        if (rule.unsupported()) {
            return false;
        }
        boolean any = false;
        boolean all = true;
        int count = 0;
        for (Expression e : rule.expressions()) {
            boolean m = node >= 0 && test(e, node);
            any |= m;
            all &= m;
            count++;
        }
        for (DateExpression d : rule.dates()) {
            boolean m = now != null && d.holds(now);
            if (now != null) {
                Instant c = d.nextChange(now);
                if (c != null && (nextChange == null || c.isBefore(nextChange))) {
                    nextChange = c;
                }
            }
            any |= m;
            all &= m;
            count++;
        }
        for (Rule r : rule.rules()) {
            boolean m = matches(r, node);
            any |= m;
            all &= m;
            count++;
        }
        if (count == 0) {
            return true;
        }
        return rule.and() ? all : any;
    }

    /** The soonest instant at which a date expression evaluated so far may change its value; null = none. */
    Instant nextChange() {
        return nextChange;
    }

    /** The rule's score on the node: its fixed score or the node attribute named by score-attribute. */
    int score(Rule rule, int node) {
        if (rule.scoreAttribute() != null) {
            String v = nodes.attribute(node, rule.scoreAttribute());
            if (v == null) {
                return 0;
            }
            try {
                return Score.parse(v, "node attribute " + rule.scoreAttribute());
            } catch (IllegalArgumentException e) {
                return 0; // a garbage attribute value counts as no preference, as Pacemaker does
            }
        }
        return rule.score();
    }

    boolean test(Expression e, int node) {
        String actual = nodes.attribute(node, e.attribute());
        String op = e.operation();
        if (op.equals("defined")) {
            return actual != null;
        }
        if (op.equals("not_defined")) {
            return actual == null;
        }
        if (actual == null || e.value() == null) {
            return op.equals("ne") && actual == null;
        }
        int c = compare(actual, e.value(), e.type());
        return switch (op) {
            case "eq" -> c == 0;
            case "ne" -> c != 0;
            case "lt" -> c < 0;
            case "lte" -> c <= 0;
            case "gt" -> c > 0;
            case "gte" -> c >= 0;
            default -> false;
        };
    }

    static int compare(String a, String b, String type) {
        String t = type == null ? guess(b) : type.toLowerCase(Locale.ROOT);
        try {
            switch (t) {
                case "integer":
                    return Long.compare(Long.parseLong(a.trim()), Long.parseLong(b.trim()));
                case "number":
                    return new BigDecimal(a.trim()).compareTo(new BigDecimal(b.trim()));
                case "version":
                    return compareVersions(a, b);
                default:
                    return a.compareTo(b);
            }
        } catch (NumberFormatException e) {
            return a.compareTo(b);
        }
    }

    private static String guess(String v) {
        try {
            Long.parseLong(v.trim());
            return "integer";
        } catch (NumberFormatException e) {
            try {
                new BigDecimal(v.trim());
                return "number";
            } catch (NumberFormatException e2) {
                return "string";
            }
        }
    }

    private static int compareVersions(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            long p = i < x.length ? Long.parseLong(x[i].trim()) : 0;
            long q = i < y.length ? Long.parseLong(y[i].trim()) : 0;
            if (p != q) {
                return Long.compare(p, q);
            }
        }
        return 0;
    }
}
