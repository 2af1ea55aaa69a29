package org.ringmaster.daemon.client;

import java.util.Arrays;

/**
 * A configuration change in extended virtual synchrony: a transitional configuration (the
 * survivors of the previous ring) is followed by the regular one (everyone on the new ring).
 *
 * @param regular whether this is the regular configuration
 * @param ringSeq the ring's sequence number
 * @param rep     the ring's representative node
 * @param members node ids, ascending
 * @param joined  members new since the previous configuration
 * @param left    members of the previous configuration that are gone
 * @param reason  START, LEAVE, TOKEN_LOSS, MERGE or FAIL_TO_RECEIVE
 */
public record Configuration(boolean regular, long ringSeq, int rep, int[] members, int[] joined, int[] left,
                            String reason) {

    public Configuration {
        members = members.clone();
        joined = joined.clone();
        left = left.clone();
    }

    @Override
    public int[] members() {
        return members.clone();
    }

    @Override
    public int[] joined() {
        return joined.clone();
    }

    @Override
    public int[] left() {
        return left.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Configuration c && regular == c.regular && ringSeq == c.ringSeq && rep == c.rep
                && Arrays.equals(members, c.members) && Arrays.equals(joined, c.joined)
                && Arrays.equals(left, c.left) && reason.equals(c.reason);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(ringSeq) * 31 + Arrays.hashCode(members);
    }

    @Override
    public String toString() {
        return (regular ? "regular" : "transitional") + " " + ringSeq + "/" + rep + " members "
                + Arrays.toString(members) + " joined " + Arrays.toString(joined) + " left " + Arrays.toString(left)
                + " (" + reason + ")";
    }
}
