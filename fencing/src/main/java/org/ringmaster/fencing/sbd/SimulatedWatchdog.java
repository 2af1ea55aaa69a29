package org.ringmaster.fencing.sbd;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * A watchdog that never touches hardware: it records feeds and, when asked with {@link #check(long)}, whether and
 * when a real one would have reset the machine. Deterministic (virtual clock).
 */
public final class SimulatedWatchdog implements Watchdog {

    private long timeoutNs;
    private boolean armed;
    private long lastFeedNs;
    private long resetAtNs = Long.MIN_VALUE;
    private final List<Long> feeds = new ArrayList<>();

    @Override
    public synchronized void arm(Duration timeout, long nowNs) {
        timeoutNs = timeout.toNanos();
        armed = true;
        lastFeedNs = nowNs;
    }

    @Override
    public synchronized void feed(long nowNs) {
        if (!armed || resetAtNs != Long.MIN_VALUE) {
            return; // a machine that was reset does not come back by feeding
        }
        check(nowNs);
        if (resetAtNs == Long.MIN_VALUE) {
            lastFeedNs = nowNs;
            feeds.add(nowNs);
        }
    }

    @Override
    public synchronized void disarm(long nowNs) {
        check(nowNs);
        armed = false;
    }

    /**
     * Whether a real watchdog would have reset the machine by {@code nowNs}.
     *
     * @return the time of the reset (last feed + timeout), or empty
     */
    public synchronized OptionalLong check(long nowNs) {
        if (armed && resetAtNs == Long.MIN_VALUE && nowNs - lastFeedNs >= timeoutNs) {
            resetAtNs = lastFeedNs + timeoutNs;
        }
        return resetAtNs == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(resetAtNs);
    }

    public synchronized boolean isArmed() {
        return armed;
    }

    /** Times of every accepted feed. */
    public synchronized List<Long> feeds() {
        return List.copyOf(feeds);
    }
}
