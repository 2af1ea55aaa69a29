package org.ringmaster.daemon.client;

import java.io.IOException;
import org.ringmaster.membership.group.GroupMember;
import org.ringmaster.membership.group.GroupView;

/**
 * Receives a connection's events, in the ring's total order, on the client's reader thread: keep the
 * work short (hand it to your own executor otherwise), or the daemon disconnects a client that falls
 * more than 32 MiB of events behind.
 */
public interface ClusterListener {

    /** A configuration change of the node the client is connected to (after {@link RingmasterClient#subscribe()}). */
    default void onConfiguration(Configuration configuration) {
    }

    /**
     * A new view of a group this connection joined: the same {@link GroupView} the embedded group
     * API delivers (members, who joined and left and why, the agreed leader of a regular view).
     */
    default void onView(GroupView view) {
    }

    /** A message multicast to a group this connection joined (its own messages included, in their place). */
    default void onMessage(String group, GroupMember sender, byte[] payload) {
    }

    /** The connection ended (daemon stopped, slow consumer, or {@link RingmasterClient#close()}). */
    default void onDisconnect(IOException cause) {
    }
}
