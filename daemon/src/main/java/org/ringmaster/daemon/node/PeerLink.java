package org.ringmaster.daemon.node;

/**
 * One link from this node to one peer, as {@code ringctl links} shows it.
 *
 * @param link      the link's index (0 = the first interface in linknumber order)
 * @param nodeId    the peer
 * @param address   the peer's address on this link (host:port)
 * @param connected whether the link to that peer is usable now
 * @param source    how {@code connected} is known: {@code heartbeat} (redundant links ping every
 *                  peer on every link) or {@code membership} (a single link: the peer is a member
 *                  of the current configuration)
 */
public record PeerLink(int link, int nodeId, String address, boolean connected, String source) {
}
