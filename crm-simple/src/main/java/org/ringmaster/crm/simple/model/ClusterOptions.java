package org.ringmaster.crm.simple.model;

/**
 * Cluster-wide scheduler options.
 *
 * @param noQuorumPolicy      default STOP
 * @param fencingEnabled      fencing-enabled / stonith-enabled, default true: a lost node's resources are
 *                            recovered only after it is fenced
 * @param symmetricCluster    default true: resources may run anywhere unless banned
 * @param startFailureIsFatal default true: a failed start bans the node for that resource
 * @param startupFencing      default true: configured nodes never seen are unclean
 */
public record ClusterOptions(NoQuorumPolicy noQuorumPolicy, boolean fencingEnabled, boolean symmetricCluster,
                             boolean startFailureIsFatal, boolean startupFencing) {
    /** All defaults. */
    public static ClusterOptions defaults() {
        return new ClusterOptions(NoQuorumPolicy.STOP, true, true, true, true);
    }
}
