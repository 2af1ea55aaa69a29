package org.ringmaster.totem;

import org.agrona.DirectBuffer;

/**
 * Receives messages in agreed (or safe) total order, on the ring's agent thread. The buffer is
 * only valid during the call; copy what you keep.
 */
@FunctionalInterface
public interface DeliveryListener
{
    /**
     * @param sender    node id of the originator.
     * @param seq       ring sequence number of the datagram that completed the message; several
     *                  packed messages share one, and it never goes down.
     * @param guarantee the guarantee the originator asked for.
     */
    void onMessage(int sender, long seq, Guarantee guarantee, DirectBuffer buffer, int offset, int length);
}
