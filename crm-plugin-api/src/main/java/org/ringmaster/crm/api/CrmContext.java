package org.ringmaster.crm.api;

import java.nio.file.Path;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import org.ringmaster.crm.api.fencing.Fencer;
import org.ringmaster.crm.api.resource.LocalResourceManager;
import org.ringmaster.membership.EvsChannel;

/**
 * The services a host gives a CRM. Every accessor returns the same non-null object for the CRM's
 * lifetime.
 */
public interface CrmContext
{
    /** The cluster as the host sees it: members, quorum, node names and attributes. */
    ClusterView view();

    /**
     * Totally ordered multicast with EVS configuration changes, reserved for this CRM (shared with
     * no one else). Set its listener in {@link ClusterResourceManager#start}. After every regular
     * configuration change the CRM runs its own sync step (e.g. re-announcing its state).
     */
    EvsChannel channel();

    /** The local resource manager that runs resource agents on this node. */
    LocalResourceManager resources();

    /** The fencer; where no fencing is configured it refuses every request with a clear reason. */
    Fencer fencer();

    /** Meters, to be named {@code ringmaster.crm.*}. */
    MeterRegistry meters();

    /** A directory only this CRM writes, kept across restarts (replicated configuration, epochs). */
    Path stateDirectory();

    /** The {@code crm { ... }} settings other than {@code plugin}, as written. */
    Map<String, String> settings();

    /**
     * Takes this node out of the cluster at once, as fencing would (no-quorum-policy {@code fence}/{@code suicide}
     * in a partition without quorum): the host kills what this node still runs where it can and stops the node
     * without announcing a leave, so that the quorate side sees it lost. Called on the CRM's thread, after the CRM
     * stopped its resources; once it returns true the CRM gets no further calls except {@link
     * ClusterResourceManager#close}.
     *
     * @param reason one line for the log
     * @return false when the host cannot fence this node itself (the default): the CRM then keeps its resources
     *         stopped, as with no-quorum-policy {@code stop}
     */
    default boolean selfFence(String reason) {
        return false;
    }
}
