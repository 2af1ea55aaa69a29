package org.ringmaster.membership;

import java.util.Arrays;

/**
 * A configuration change delivered in extended virtual synchrony (EVS): first a
 * {@link Kind#TRANSITIONAL} configuration (the members of the new ring that came from this node's
 * previous ring), then the {@link Kind#REGULAR} configuration (all members of the new ring).
 * Messages are delivered in exactly one configuration, between the changes that bound it.
 *
 * @param kind    transitional or regular.
 * @param ringSeq the ring sequence number identifying the configuration (with {@code rep}).
 * @param rep     the representative (lowest node id) of the ring the configuration belongs to.
 * @param members node ids in the configuration, ascending.
 * @param joined  members that were not in this node's previous configuration (regular only).
 * @param left    members of the previous configuration that are not in this one.
 * @param reason  why the previous configuration ended.
 */
public record ConfigurationChange(Kind kind, long ringSeq, int rep, int[] members, int[] joined, int[] left,
    Reason reason)
{
    /** Which half of an EVS configuration change. */
    public enum Kind
    {
        TRANSITIONAL,
        REGULAR
    }

    /** Why the previous configuration ended, as far as this node can tell. */
    public enum Reason
    {
        /** The node's first configuration. */
        START,
        /** A member announced a clean leave. */
        LEAVE,
        /** The token was lost: a member crashed, hung or became unreachable. */
        TOKEN_LOSS,
        /** Another ring was seen: partitions merged or a node joined. */
        MERGE,
        /** A member kept failing to receive messages and was excluded. */
        FAIL_TO_RECEIVE
    }

    public ConfigurationChange
    {
        members = members.clone();
        joined = joined.clone();
        left = left.clone();
    }

    public boolean isRegular()
    {
        return kind == Kind.REGULAR;
    }

    public boolean contains(final int nodeId)
    {
        return Arrays.binarySearch(members, nodeId) >= 0;
    }

    @Override
    public int[] members()
    {
        return members.clone();
    }

    @Override
    public int[] joined()
    {
        return joined.clone();
    }

    @Override
    public int[] left()
    {
        return left.clone();
    }

    @Override
    public String toString()
    {
        return kind + " " + ringSeq + "/" + rep + " members=" + Arrays.toString(members) + " joined=" +
            Arrays.toString(joined) + " left=" + Arrays.toString(left) + " (" + reason + ")";
    }
}
