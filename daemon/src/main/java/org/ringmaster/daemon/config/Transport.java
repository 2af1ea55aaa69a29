package org.ringmaster.daemon.config;

import java.util.Locale;

/** {@code totem.transport}. Corosync 3 defaults to knet. */
public enum Transport {
    /** UDP unicast to every node of the node list. */
    UDPU,
    /** UDP multicast ({@code interface.mcastaddr}, or one derived from cluster_name). */
    UDP,
    /**
     * Corosync 3's Kronosnet: unicast over up to 8 links. Ringmaster runs its own unicast UDP links
     * with the same node list and link numbers; the {@code knet_*} tuning options are not implemented.
     */
    KNET;

    /** The word used in the file. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Highest link number allowed: 7 for knet, 0 otherwise. */
    public int maxLinkNumber() {
        return this == KNET ? 7 : 0;
    }
}
