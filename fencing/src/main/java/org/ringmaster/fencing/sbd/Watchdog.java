package org.ringmaster.fencing.sbd;

import java.time.Duration;

/**
 * A watchdog that resets the machine unless fed in time. The node feeds it only while healthy, so a hung or
 * cut-off node is reset even if it cannot read its pill.
 *
 * <p>Ringmaster ships no implementation over {@code /dev/watchdog}: arming a real watchdog on a test or build
 * machine would reboot it. Production deployments plug one in here; tests use {@link SimulatedWatchdog}.
 */
public interface Watchdog {

    /** Starts the countdown: from now on it must be fed at least every {@code timeout}. */
    void arm(Duration timeout, long nowNs);

    /** Restarts the countdown. */
    void feed(long nowNs);

    /** Stops the countdown cleanly (orderly shutdown only, never on a health failure). */
    void disarm(long nowNs);
}
