package org.ringmaster.daemon.node;

import org.ringmaster.membership.ConfigurationChange;
import org.ringmaster.totem.Guarantee;

/**
 * What a subscriber of a {@link ClusterNode} is told, on the node's agent thread, in the ring's
 * total order. Implementations must not block: they queue and return.
 */
public interface NodeEvents {

    /** A transitional or regular configuration. */
    void onConfiguration(ConfigurationChange change);

    /** A client message multicast to the subscribed group (the payload is the subscriber's to keep). */
    void onMessage(String group, int sender, Guarantee guarantee, byte[] payload);
}
