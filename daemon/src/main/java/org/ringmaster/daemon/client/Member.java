package org.ringmaster.daemon.client;

/**
 * A member of the current configuration.
 *
 * @param nodeId  its node id
 * @param name    its name from the node list (its id when it has none)
 * @param address its ring0 address from the node list
 */
public record Member(int nodeId, String name, String address) {
}
