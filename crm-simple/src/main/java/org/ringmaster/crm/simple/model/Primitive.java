package org.ringmaster.crm.simple.model;

import java.util.List;

/** A primitive resource {@code class:provider:type}. */
public record Primitive(String id, String agentClass, String provider, String type, Meta meta,
                        List<Operation> operations) implements Resource {
    public Primitive {
        operations = List.copyOf(operations);
    }

    /** {@code class:provider:type} (provider omitted when absent), as Pacemaker prints it. */
    public String agent() {
        return provider == null ? agentClass + ":" + type : agentClass + ":" + provider + ":" + type;
    }
}
