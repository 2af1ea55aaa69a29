package org.ringmaster.crm.simple.model;

import java.util.List;

/** An ordered, colocated group: members start in order and all run on one node. */
public record Group(String id, List<Primitive> members, Meta meta) implements Resource {
    public Group {
        members = List.copyOf(members);
        if (members.isEmpty()) {
            throw new IllegalArgumentException("group " + id + ": no members");
        }
    }
}
