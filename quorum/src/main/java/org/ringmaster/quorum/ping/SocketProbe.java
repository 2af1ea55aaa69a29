package org.ringmaster.quorum.ping;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Blocking reachability checks on a small daemon thread pool, so the device's duty cycle never
 * blocks. {@link TcpProbe} and {@link IcmpProbe} are its two flavours.
 */
abstract class SocketProbe implements ReachabilityProbe
{
    private static final AtomicInteger THREADS = new AtomicInteger();
    private final ExecutorService pool = Executors.newFixedThreadPool(2, r -> {
        final Thread t = new Thread(r, "ping-probe-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    @Override
    public final void probe(final PingTarget target, final long timeoutMs, final Callback callback)
    {
        try
        {
            pool.execute(() -> {
                try
                {
                    callback.done(check(target, (int)Math.min(Integer.MAX_VALUE, timeoutMs)), "ok");
                }
                catch (final IOException ex)
                {
                    callback.done(false, ex.getClass().getSimpleName() + ": " + ex.getMessage());
                }
            });
        }
        catch (final RejectedExecutionException ex)
        {
            callback.done(false, "probe closed");
        }
    }

    abstract boolean check(PingTarget target, int timeoutMs) throws IOException;

    @Override
    public void close()
    {
        pool.shutdownNow();
    }

    static boolean tcpConnect(final PingTarget target, final int timeoutMs) throws IOException
    {
        try (Socket s = new Socket())
        {
            s.connect(new InetSocketAddress(InetAddress.getByName(target.host()), target.port()), timeoutMs);
            return true;
        }
    }
}
