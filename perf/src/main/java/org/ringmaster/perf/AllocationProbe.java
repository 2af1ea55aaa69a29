package org.ringmaster.perf;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.concurrent.locks.LockSupport;

/**
 * What a node process allocated and collected during the measured window: bytes allocated by all
 * its threads and by the ring's own thread (HotSpot's per-thread allocation counters), and the
 * collections that ran. A thread of its own takes one snapshot at the window's start and one at
 * its end, so nothing is added to the delivery path.
 */
public final class AllocationProbe
{
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    private record Snapshot(long totalBytes, long ringBytes, long[] gcCounts, long[] gcMillis)
    {
        static Snapshot take(final long ringThreadId)
        {
            final List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
            final long[] counts = new long[collectors.size()];
            final long[] millis = new long[collectors.size()];
            for (int i = 0; i < counts.length; i++)
            {
                counts[i] = Math.max(0, collectors.get(i).getCollectionCount());
                millis[i] = Math.max(0, collectors.get(i).getCollectionTime());
            }
            return new Snapshot(THREADS.getTotalThreadAllocatedBytes(),
                ringThreadId < 0 ? -1 : THREADS.getThreadAllocatedBytes(ringThreadId), counts, millis);
        }
    }

    private final Thread sampler;
    private volatile Snapshot start;
    private volatile Snapshot end;

    private AllocationProbe(final long windowStartNs, final long windowEndNs, final long ringThreadId)
    {
        sampler = new Thread(() ->
        {
            waitUntil(windowStartNs);
            start = Snapshot.take(ringThreadId);
            waitUntil(windowEndNs);
            end = Snapshot.take(ringThreadId);
        }, "allocation-probe");
        sampler.setDaemon(true);
    }

    /**
     * Starts sampling the window [start, end) of System.nanoTime(); {@code ringThread} is the
     * thread whose own allocation is reported separately (null: none, e.g. JGroups).
     */
    public static AllocationProbe start(final long windowStartNs, final long windowEndNs, final Thread ringThread)
    {
        THREADS.setThreadAllocatedMemoryEnabled(true);
        // One throwaway sample now, in the warm-up: the first one loads and links the management
        // beans, and doing that at the window's start stalled every thread of the node for ~3 ms
        // (seen with RINGMASTER_BENCH_TRACE: the window's first 8 messages 3.1-3.5 ms late on all
        // receivers alike).
        Snapshot.take(ringThread == null ? -1 : ringThread.getId());
        final AllocationProbe probe = new AllocationProbe(windowStartNs, windowEndNs,
            ringThread == null ? -1 : ringThread.getId());
        probe.sampler.start();
        return probe;
    }

    private static void waitUntil(final long deadlineNs)
    {
        long left;
        while ((left = deadlineNs - System.nanoTime()) > 0)
        {
            LockSupport.parkNanos(left);
        }
    }

    /**
     * JSON members (no braces, leading comma) for a result line: alloc_bytes_per_msg (all threads),
     * ring_alloc_bytes_per_msg (the ring thread, -1 if none), gc_count and gc_ms (all collectors)
     * in the window, and per collector "name count/ms" in gc. ZGC's "ZGC Cycles" time is concurrent
     * work, not a pause; its pauses are "ZGC Pauses". -1 figures if the window never ended.
     */
    public String json(final long deliveredInWindow)
    {
        // The last message can arrive before the sampler, woken at the window's end, took its snapshot.
        try
        {
            sampler.join(5000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        final Snapshot a = start;
        final Snapshot b = end;
        final List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
        final StringJoiner detail = new StringJoiner(",");
        if (a == null || b == null)
        {
            collectors.forEach(gc -> detail.add(gc.getName()));
            return String.format(Locale.ROOT, ",\"alloc_bytes_per_msg\":-1,\"ring_alloc_bytes_per_msg\":-1," +
                "\"gc_count\":-1,\"gc_ms\":-1,\"gc\":\"%s\"", detail);
        }
        long count = 0;
        long millis = 0;
        for (int i = 0; i < collectors.size() && i < a.gcCounts().length; i++)
        {
            final long c = b.gcCounts()[i] - a.gcCounts()[i];
            final long ms = b.gcMillis()[i] - a.gcMillis()[i];
            count += c;
            millis += ms;
            detail.add(collectors.get(i).getName() + " " + c + "/" + ms + "ms");
        }
        final double per = Math.max(1, deliveredInWindow);
        return String.format(Locale.ROOT, ",\"alloc_bytes_per_msg\":%.1f,\"ring_alloc_bytes_per_msg\":%.1f," +
            "\"gc_count\":%d,\"gc_ms\":%d,\"gc\":\"%s\"",
            (b.totalBytes() - a.totalBytes()) / per,
            a.ringBytes() < 0 || b.ringBytes() < 0 ? -1.0 : (b.ringBytes() - a.ringBytes()) / per,
            count, millis, detail);
    }
}
