package org.ringmaster.daemon.client;

import java.io.IOException;

/**
 * Receives a subscription's events, in the ring's total order, on the client's reader thread: keep
 * the work short (hand it to your own executor otherwise), or the daemon disconnects a client that
 * falls more than 32 MiB of events behind.
 */
public interface ClusterListener {

    /** A configuration change of the node the client is connected to. */
    default void onConfiguration(Configuration configuration) {
    }

    /** A message multicast to the subscribed group by any node's client (this one's included). */
    default void onMessage(String group, int senderNode, byte[] payload) {
    }

    /** The connection ended (daemon stopped, slow consumer, or {@link RingmasterClient#close()}). */
    default void onDisconnect(IOException cause) {
    }
}
