package org.ringmaster.totem.transport;

import org.agrona.DirectBuffer;

/** Receives one datagram. The buffer is only valid during the call. */
@FunctionalInterface
public interface DatagramHandler
{
    void onDatagram(DirectBuffer buffer, int offset, int length);
}
