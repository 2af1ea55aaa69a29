package org.ringmaster.perf.failover;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Measures how late the host wakes a thread that asks to sleep 10 ms, from a process that does no
 * other work (the bench parent). If this is seconds late, every process on the host is starved and a
 * lost token says more about the machine than about the ring.
 */
final class SchedulingProbe
{
    private static final long PERIOD_NS = TimeUnit.MILLISECONDS.toNanos(10);

    private final Thread thread;
    private volatile boolean running = true;
    private volatile long maxLateNs;

    private SchedulingProbe()
    {
        thread = new Thread(this::run, "failover-scheduling-probe");
        thread.setDaemon(true);
    }

    static SchedulingProbe start()
    {
        final SchedulingProbe probe = new SchedulingProbe();
        probe.thread.start();
        return probe;
    }

    private void run()
    {
        while (running)
        {
            final long before = System.nanoTime();
            LockSupport.parkNanos(PERIOD_NS);
            final long late = System.nanoTime() - before - PERIOD_NS;
            if (late > maxLateNs)
            {
                maxLateNs = late;
            }
        }
    }

    /** Stop and return the largest lateness seen, in ns. */
    long stop() throws InterruptedException
    {
        running = false;
        thread.join(1000);
        return maxLateNs;
    }
}
