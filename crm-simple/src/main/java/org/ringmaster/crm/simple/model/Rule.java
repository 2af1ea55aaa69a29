package org.ringmaster.crm.simple.model;

import java.util.List;

/**
 * A location rule: a score (or the name of a node attribute holding it) granted on nodes where the
 * expressions (and nested rules) hold, combined with and/or. {@code role} restricts the rule to a
 * role (null = any). {@code unsupported} marks date expressions: such a rule never matches.
 */
public record Rule(String id, int score, String scoreAttribute, boolean and, List<Expression> expressions,
                   List<Rule> rules, Role role, boolean unsupported) {
    public Rule {
        expressions = List.copyOf(expressions);
        rules = List.copyOf(rules);
    }
}
