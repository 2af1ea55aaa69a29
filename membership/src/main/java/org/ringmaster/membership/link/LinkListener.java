package org.ringmaster.membership.link;

/**
 * Told when a link to a peer goes up or down. Called on the transport's agent thread, from inside
 * {@code poll}, once per change; it must not block. The first report for each (peer, link) is
 * {@link LinkState#UP}: links start down and are not reported until they first answer.
 */
@FunctionalInterface
public interface LinkListener
{
    LinkListener NONE = (nodeId, link, state) -> { };

    /**
     * @param nodeId the peer.
     * @param link   link number (0 for ring0_addr, ...).
     * @param state  the new state.
     */
    void onLinkState(int nodeId, int link, LinkState state);
}
