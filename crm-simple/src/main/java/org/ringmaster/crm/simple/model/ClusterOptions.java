package org.ringmaster.crm.simple.model;

import java.time.Duration;

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
 * @param recheckInterval     cluster-recheck-interval, default 15 minutes: the running CRM's coordinator decides
 *                            again at least this often even without any event, so that time-based changes
 *                            (failure-timeout, date rules) take effect; it also wakes at the next boundary the
 *                            engine knows of. Zero disables the periodic recheck (not the boundaries).
 */
public record ClusterOptions(NoQuorumPolicy noQuorumPolicy, boolean fencingEnabled, boolean symmetricCluster,
                             boolean startFailureIsFatal, boolean startupFencing, boolean maintenanceMode,
                             PlacementStrategy placementStrategy, Duration recheckInterval) {
    /** Pacemaker's default cluster-recheck-interval. */
    public static final Duration DEFAULT_RECHECK_INTERVAL = Duration.ofMinutes(15);

    public ClusterOptions {
        if (noQuorumPolicy == null || placementStrategy == null) {
            throw new IllegalArgumentException("cluster options: no-quorum-policy and placement-strategy are required");
        }
        if (recheckInterval == null || recheckInterval.isNegative()) {
            throw new IllegalArgumentException("cluster option cluster-recheck-interval: must be 0 or positive, got "
                    + recheckInterval);
        }
    }

    /** Options with the default recheck interval. */
    public ClusterOptions(NoQuorumPolicy noQuorumPolicy, boolean fencingEnabled, boolean symmetricCluster,
                          boolean startFailureIsFatal, boolean startupFencing, boolean maintenanceMode,
                          PlacementStrategy placementStrategy) {
        this(noQuorumPolicy, fencingEnabled, symmetricCluster, startFailureIsFatal, startupFencing, maintenanceMode,
                placementStrategy, DEFAULT_RECHECK_INTERVAL);
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
                startupFencing, on, placementStrategy, recheckInterval);
    }

    /** These options with another placement strategy. */
    public ClusterOptions withPlacementStrategy(PlacementStrategy p) {
        return new ClusterOptions(noQuorumPolicy, fencingEnabled, symmetricCluster, startFailureIsFatal,
                startupFencing, maintenanceMode, p, recheckInterval);
    }

    /** These options with another cluster-recheck-interval. */
    public ClusterOptions withRecheckInterval(Duration d) {
        return new ClusterOptions(noQuorumPolicy, fencingEnabled, symmetricCluster, startFailureIsFatal,
                startupFencing, maintenanceMode, placementStrategy, d);
    }
}
