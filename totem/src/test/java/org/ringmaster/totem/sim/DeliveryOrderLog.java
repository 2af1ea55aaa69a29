package org.ringmaster.totem.sim;

import java.util.concurrent.atomic.AtomicLong;

import org.agrona.DirectBuffer;
import org.ringmaster.totem.DeliveryListener;
import org.ringmaster.totem.Guarantee;

/**
 * Records one real-socket node's delivery order of {@link Payloads} as (sender, counter) pairs, and
 * whether any delivered payload was damaged or came from another sender than it says. Written by
 * the ring thread, read by the test thread once {@link #count} has reached the expected total.
 */
public final class DeliveryOrderLog implements DeliveryListener
{
    /** (sender &lt;&lt; 40 | counter) of each delivery, in delivery order; the first {@code capacity} only. */
    public final long[] order;
    public final AtomicLong count = new AtomicLong();
    public volatile boolean corrupt;

    public DeliveryOrderLog(final int capacity)
    {
        this.order = new long[capacity];
    }

    @Override
    public void onMessage(final int sender, final long seq, final Guarantee guarantee, final DirectBuffer buffer,
        final int offset, final int length)
    {
        if (!Payloads.intact(buffer, offset, length) || Payloads.sender(buffer, offset) != sender)
        {
            corrupt = true;
        }
        final long n = count.get();
        if (n < order.length)
        {
            order[(int)n] = ((long)sender << 40) | Payloads.counter(buffer, offset);
        }
        count.lazySet(n + 1);
    }
}
