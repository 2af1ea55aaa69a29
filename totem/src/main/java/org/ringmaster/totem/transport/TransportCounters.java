package org.ringmaster.totem.transport;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Why datagrams were dropped below the ring, readable from any thread (metrics, ringctl).
 * Writers are the single agent thread that owns the transport.
 */
public final class TransportCounters
{
    /** Why a datagram was dropped. Codes are stable. */
    public enum Drop
    {
        /** Failed authentication or decryption. */
        AUTH_FAILED,
        /** Came from an address or node id that is not in the node list. */
        UNKNOWN_SENDER,
        /** Shorter than a header, or longer than the configured maximum. */
        BAD_LENGTH,
        /** Already seen (replayed datagram). */
        REPLAYED,
        /** The socket refused it (buffer full) on send. */
        SEND_FAILED
    }

    private final AtomicLongArray drops = new AtomicLongArray(Drop.values().length);
    private final AtomicLongArray totals = new AtomicLongArray(2);

    public void drop(final Drop reason)
    {
        drops.lazySet(reason.ordinal(), drops.get(reason.ordinal()) + 1);
    }

    public long drops(final Drop reason)
    {
        return drops.get(reason.ordinal());
    }

    public void received()
    {
        totals.lazySet(0, totals.get(0) + 1);
    }

    public void sent()
    {
        totals.lazySet(1, totals.get(1) + 1);
    }

    public long receivedCount()
    {
        return totals.get(0);
    }

    public long sentCount()
    {
        return totals.get(1);
    }
}
