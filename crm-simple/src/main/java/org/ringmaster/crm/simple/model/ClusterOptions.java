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
 * @param maintenanceMode     maintenance-mode, default false: every resource is unmanaged (left as it is)
 * @param placementStrategy   placement-strategy, default {@link PlacementStrategy#DEFAULT}
 */
public record ClusterOptions(NoQuorumPolicy noQuorumPolicy, boolean fencingEnabled, boolean symmetricCluster,
                             boolean startFailureIsFatal, boolean startupFencing, boolean maintenanceMode,
                             PlacementStrategy placementStrategy) {
    public ClusterOptions {
        if (noQuorumPolicy == null || placementStrategy == null) {
            throw new IllegalArgumentException("cluster options: no-quorum-policy and placement-strategy are required");
        }
    }

    /** Options without maintenance mode, with the default placement strategy. */
    public ClusterOptions(NoQuorumPolicy noQuorumPolicy, boolean fencingEnabled, boolean symmetricCluster,
                          boolean startFailureIsFatal, boolean startupFencing) {
        this(noQuorumPolicy, fencingEnabled, symmetricCluster, startFailureIsFatal, startupFencing, false,
                PlacementStrategy.DEFAULT);
    }

    /** All defaults. */
    public static ClusterOptions defaults() {
        return new ClusterOptions(NoQuorumPolicy.STOP, true, true, true, true);
    }

    /** These options with maintenance-mode set. */
    public ClusterOptions withMaintenanceMode(boolean on) {
        return new ClusterOptions(noQuorumPolicy, fencingEnabled, symmetricCluster, startFailureIsFatal,
                startupFencing, on, placementStrategy);
    }

    /** These options with another placement strategy. */
    public ClusterOptions withPlacementStrategy(PlacementStrategy p) {
        return new ClusterOptions(noQuorumPolicy, fencingEnabled, symmetricCluster, startFailureIsFatal,
                startupFencing, maintenanceMode, p);
    }
}
