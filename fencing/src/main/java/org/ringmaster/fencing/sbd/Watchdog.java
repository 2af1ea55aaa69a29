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

    /**
     * No watchdog: nothing resets a hung node. Only for labs and tests; a node that cannot read its pill then stays
     * up, so msgwait no longer guarantees it is gone.
     */
    static Watchdog none() {
        return new Watchdog() {
            @Override
            public void arm(Duration timeout, long nowNs) {
            }

            @Override
            public void feed(long nowNs) {
            }

            @Override
            public void disarm(long nowNs) {
            }

            @Override
            public String toString() {
                return "no watchdog";
            }
        };
    }
}
