package org.ringmaster.daemon.client;

import java.util.List;

/**
 * The node's links, as {@code ringctl links} shows them (like {@code corosync-cfgtool -s}).
 *
 * @param mode  {@code single} (one link), or the redundant {@code link_mode}: {@code passive} or {@code active}
 * @param local this node's address on each link, by link index
 * @param peers every link to every other node
 */
public record Links(String mode, List<String> local, List<Peer> peers) {

    public Links {
        local = List.copyOf(local);
        peers = List.copyOf(peers);
    }

    /**
     * One link to one peer.
     *
     * @param link      link index (0 = first interface in linknumber order)
     * @param nodeId    the peer
     * @param name      its name from the node list (its id when it has none)
     * @param address   its address on this link, host:port
     * @param connected whether the link to it works now
     * @param source    {@code heartbeat} (redundant links ping each peer) or {@code membership}
     *                  (single link: the peer is in the current configuration)
     */
    public record Peer(int link, int nodeId, String name, String address, boolean connected, String source) {
    }
}
