package org.ringmaster.crm.simple.model;

import java.util.Map;

/**
 * A meta_attributes set that applies only while its rule holds (e.g. a date rule giving a resource
 * more stickiness during working hours). Among matching sets the higher score wins a name; a matching
 * set wins over the unconditional values.
 */
public record ConditionalMeta(String id, int score, Rule rule, Map<String, String> values) {
    public ConditionalMeta {
        if (rule == null) {
            throw new IllegalArgumentException("meta_attributes " + id + ": a conditional set needs a rule");
        }
        values = Map.copyOf(values);
    }
}
