package org.ringmaster.crm.simple.model;

import java.util.List;

/**
 * A rule: a score (or the name of a node attribute holding it) granted on nodes where the
 * expressions, date expressions (at the engine's "now") and nested rules hold, combined with and/or.
 * {@code role} restricts a location rule to a role (null = any). {@code unsupported} marks rules
 * with an element the engine does not know: such a rule never matches.
 */
public record Rule(String id, int score, String scoreAttribute, boolean and, List<Expression> expressions,
                   List<DateExpression> dates, List<Rule> rules, Role role, boolean unsupported) {
    public Rule {
        expressions = List.copyOf(expressions);
        dates = List.copyOf(dates);
        rules = List.copyOf(rules);
    }

    /** A rule without date expressions. */
    public Rule(String id, int score, String scoreAttribute, boolean and, List<Expression> expressions,
                List<Rule> rules, Role role, boolean unsupported) {
        this(id, score, scoreAttribute, and, expressions, List.of(), rules, role, unsupported);
    }
}
