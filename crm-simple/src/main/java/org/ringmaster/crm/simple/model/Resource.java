package org.ringmaster.crm.simple.model;

/** A configured resource: a primitive, a group of primitives, or a clone of either. */
public sealed interface Resource permits Primitive, Group, Clone {
    String id();

    /** Own meta attributes (not yet merged with parents or defaults). */
    Meta meta();
}
