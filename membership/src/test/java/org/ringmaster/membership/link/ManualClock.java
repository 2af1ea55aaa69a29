package org.ringmaster.membership.link;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/** A nanosecond clock that only moves when told to. */
final class ManualClock implements LongSupplier
{
    private long nowNs = TimeUnit.SECONDS.toNanos(1000);

    @Override
    public long getAsLong()
    {
        return nowNs;
    }

    void advanceMs(final long ms)
    {
        nowNs += TimeUnit.MILLISECONDS.toNanos(ms);
    }
}
