package org.ringmaster.crm.simple.model;

import java.util.List;

/**
 * A primitive resource {@code class:provider:type} with its agent parameters (instance attributes),
 * meta attributes, configured operations and utilization (what it needs of each node capacity
 * attribute, e.g. cpu=2; empty = nothing).
 */
public record Primitive(String id, String agentClass, String provider, String type,
                        java.util.Map<String, String> params, Meta meta,
                        List<Operation> operations, java.util.Map<String, Integer> utilization) implements Resource {
    /** A primitive without utilization. */
    public Primitive(String id, String agentClass, String provider, String type, java.util.Map<String, String> params,
                     Meta meta, List<Operation> operations) {
        this(id, agentClass, provider, type, params, meta, operations, java.util.Map.of());
    }

    public Primitive {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("primitive without an id");
        }
        if (agentClass == null || type == null) {
            throw new IllegalArgumentException("primitive " + id + ": class and type are required");
        }
        params = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
        operations = List.copyOf(operations);
        utilization = java.util.Map.copyOf(utilization);
    }

    /** A primitive with no parameters, meta attributes or operations (tests, simple configs). */
    public static Primitive of(String id, String agent) {
        String[] p = agent.split(":");
        return switch (p.length) {
            case 3 -> new Primitive(id, p[0], p[1], p[2], java.util.Map.of(), Meta.EMPTY, List.of());
            case 2 -> new Primitive(id, p[0], null, p[1], java.util.Map.of(), Meta.EMPTY, List.of());
            default -> throw new IllegalArgumentException("primitive " + id + ": agent '" + agent
                    + "' is not class[:provider]:type");
        };
    }

    /** This primitive with different meta attributes. */
    public Primitive withMeta(Meta m) {
        return new Primitive(id, agentClass, provider, type, params, m, operations, utilization);
    }

    /** This primitive with a utilization (what it needs of each capacity attribute). */
    public Primitive withUtilization(java.util.Map<String, Integer> u) {
        return new Primitive(id, agentClass, provider, type, params, meta, operations, u);
    }

    /** {@code class:provider:type} (provider omitted when absent), as Pacemaker prints it. */
    public String agent() {
        return provider == null ? agentClass + ":" + type : agentClass + ":" + provider + ":" + type;
    }
}
