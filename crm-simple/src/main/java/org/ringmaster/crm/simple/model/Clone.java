package org.ringmaster.crm.simple.model;

/**
 * A clone of a primitive or group. Promotable clones ({@code promotable=true}) add the roles
 * Promoted/Unpromoted.
 */
public record Clone(String id, Resource child, Meta meta) implements Resource {
    public Clone {
        if (child instanceof Clone) {
            throw new IllegalArgumentException("clone " + id + ": a clone cannot contain a clone");
        }
    }

    public boolean promotable() {
        return meta.flag("promotable", false);
    }

    /** globally-unique; defaults to true when clone-node-max is above 1. */
    public boolean globallyUnique() {
        return meta.flag("globally-unique", cloneNodeMax() > 1);
    }

    public boolean interleave() {
        return meta.flag("interleave", false);
    }

    /** clone-max; defaults to the number of configured nodes. */
    public int cloneMax(int nodeCount) {
        return meta.integer("clone-max", nodeCount, "clone " + id);
    }

    /** clone-node-max; default 1. */
    public int cloneNodeMax() {
        return meta.integer("clone-node-max", 1, "clone " + id);
    }

    /** promoted-max (legacy master-max); default 1. */
    public int promotedMax() {
        return meta.integer("promoted-max", meta.integer("master-max", 1, "clone " + id), "clone " + id);
    }

    /** promoted-node-max (legacy master-node-max); default 1. */
    public int promotedNodeMax() {
        return meta.integer("promoted-node-max", meta.integer("master-node-max", 1, "clone " + id),
                "clone " + id);
    }

    /** The primitives inside (one, or the group's members). */
    public java.util.List<Primitive> primitives() {
        return child instanceof Group g ? g.members() : java.util.List.of((Primitive) child);
    }
}
