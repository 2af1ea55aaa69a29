package org.ringmaster.daemon.node;

import org.ringmaster.membership.ConfigurationChange;

/**
 * Told of every configuration change of a {@link ClusterNode}, on the node's agent thread, in the
 * ring's order. Implementations must not block: they queue and return.
 */
@FunctionalInterface
public interface NodeEvents {

    /** A transitional or regular configuration. */
    void onConfiguration(ConfigurationChange change);
}
