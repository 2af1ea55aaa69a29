package org.ringmaster.fencing;

/**
 * The cluster's totally ordered multicast, as the fencer needs it: every member delivers every message, the
 * sender included, in the same order. Implemented over the Totem ring by the daemon; in memory by tests.
 */
public interface OrderedChannel {

    /**
     * Multicasts a message to all members, the sender included.
     *
     * @param payload never {@code null}; not retained after the call
     * @return false under back-pressure (nothing sent; try again later)
     */
    boolean multicast(byte[] payload);

    /**
     * Sets the receiver of delivered messages (one per channel; a later call replaces the earlier one).
     *
     * @param receiver never {@code null}
     */
    void subscribe(Receiver receiver);

    /** Receives messages in the total order. */
    @FunctionalInterface
    interface Receiver {
        /**
         * One delivered message.
         *
         * @param sender  member name of the node that multicast it
         * @param payload the bytes as multicast; the receiver may keep them
         */
        void onDeliver(String sender, byte[] payload);
    }
}
