package org.ringmaster.totem.transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import org.agrona.concurrent.IdleStrategy;

/**
 * Idles an agent thread by sleeping in the kernel until a datagram arrives on the transport's
 * sockets ({@link Transport#readableChannels()}), its next timer is due, or {@link #wake()} is called.
 *
 * <p>Why: a token hop is a datagram. A thread parked blind (Agrona's {@code BackoffIdleStrategy})
 * notices it only when its park ends, up to the maximum park plus the kernel's timer slack (50 µs by
 * default), at every hop; a thread that spins or yields instead keeps a core that the token's next
 * holder needs (three ring processes on two cores is the benchmark's case). A thread waiting in
 * epoll costs neither: the kernel makes it runnable when the datagram lands. After work it first
 * spins {@code spins} times, which is cheap and catches a reply that is already on its way.
 *
 * <p>The wait never passes {@code deadlineNs} (for a ring: {@code TotemRing#nextDeadlineNs}, which
 * also reports "now" when queued messages wait on a held token) nor {@code maxWaitNs}, so work
 * the deadline does not cover is still looked at that often. The wait is in whole milliseconds
 * (epoll's unit), at least one; a due deadline is never waited for. A transport without sockets
 * (Aeron, in memory) gets the same strategy with a park instead of epoll.
 *
 * <p>{@link #wake()} ends a wait early: a ring calls it when the application offers a message, so a
 * node holding an idle token sends at once. It reads one volatile flag and only then makes a
 * system call, so it is cheap when the agent is busy. No allocation per idle or wake.
 *
 * <p>{@link #idle} and {@link #close} belong to the agent thread; {@link #wake()} is for any thread.
 */
public final class SocketIdleStrategy implements IdleStrategy, AutoCloseable
{
    /** Spins after the last work before waiting; a few microseconds. */
    public static final int DEFAULT_SPINS = 50;
    /** Longest wait, so work that no deadline reports is polled at least this often. */
    public static final long DEFAULT_MAX_WAIT_NS = TimeUnit.MILLISECONDS.toNanos(1);

    private final Selector selector;
    private final LongSupplier deadlineNs;
    private final int spins;
    private final int yields;
    private final long maxWaitNs;
    private final Consumer<SelectionKey> ignoreReady = key -> { };
    private volatile boolean waiting;
    private volatile Thread agent;
    private int spun;

    /** Default spins and longest wait. */
    public SocketIdleStrategy(final Transport transport, final LongSupplier deadlineNs)
    {
        this(transport, deadlineNs, DEFAULT_SPINS, DEFAULT_MAX_WAIT_NS);
    }

    /** No yields before waiting. */
    public SocketIdleStrategy(final Transport transport, final LongSupplier deadlineNs, final int spins,
        final long maxWaitNs)
    {
        this(transport, deadlineNs, spins, 0, maxWaitNs);
    }

    /**
     * @param transport  whose sockets to wait on; registered now, so open them first
     * @param deadlineNs the agent's next timer in {@link System#nanoTime()} terms, {@code Long.MAX_VALUE} for none
     * @param spins      spins after work before waiting, 0 or more
     * @param yields     {@link Thread#yield()}s after the spins before waiting, 0 or more
     * @param maxWaitNs  longest wait, at least one millisecond
     */
    public SocketIdleStrategy(final Transport transport, final LongSupplier deadlineNs, final int spins,
        final int yields, final long maxWaitNs)
    {
        if (spins < 0)
        {
            throw new IllegalArgumentException("SocketIdleStrategy.spins=" + spins + " must be 0 or more");
        }
        if (yields < 0)
        {
            throw new IllegalArgumentException("SocketIdleStrategy.yields=" + yields + " must be 0 or more");
        }
        if (maxWaitNs < TimeUnit.MILLISECONDS.toNanos(1))
        {
            throw new IllegalArgumentException("SocketIdleStrategy.maxWaitNs=" + maxWaitNs + " must be at least 1 ms");
        }
        this.deadlineNs = deadlineNs;
        this.spins = spins;
        this.yields = yields;
        this.maxWaitNs = maxWaitNs;
        this.selector = open(transport.readableChannels());
    }

    private static Selector open(final List<SelectableChannel> channels)
    {
        if (channels.isEmpty())
        {
            return null;
        }
        Selector selector = null;
        try
        {
            selector = Selector.open();
            for (final SelectableChannel channel : channels)
            {
                channel.register(selector, SelectionKey.OP_READ);
            }
            return selector;
        }
        catch (final ClosedChannelException ex)
        {
            closeQuietly(selector);
            throw new IllegalStateException("SocketIdleStrategy: the transport's socket is already closed", ex);
        }
        catch (final IOException ex)
        {
            closeQuietly(selector);
            throw new UncheckedIOException("SocketIdleStrategy: cannot open a selector", ex);
        }
    }

    /** Whether the agent is waiting in the kernel (true) or parks instead (no sockets). */
    public boolean waitsOnSockets()
    {
        return selector != null;
    }

    @Override
    public void idle(final int workCount)
    {
        if (workCount > 0)
        {
            spun = 0;
            return;
        }
        idle();
    }

    @Override
    public void idle()
    {
        if (spun < spins)
        {
            spun++;
            Thread.onSpinWait();
            return;
        }
        if (spun < spins + yields)
        {
            spun++;
            Thread.yield();
            return;
        }
        if (agent == null)
        {
            agent = Thread.currentThread();
        }
        // Flag first, deadline second: an offer made after the deadline was read sees the flag and
        // wakes us; one made before it is in the deadline ("now" for a message on a held token).
        waiting = true;
        try
        {
            final long now = System.nanoTime();
            final long deadline = deadlineNs.getAsLong();
            final long waitNs = deadline == Long.MAX_VALUE ? maxWaitNs : Math.min(maxWaitNs, deadline - now);
            if (waitNs <= 0)
            {
                return;
            }
            if (selector == null)
            {
                LockSupport.parkNanos(waitNs);
            }
            else
            {
                selector.select(ignoreReady, Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNs)));
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("SocketIdleStrategy: waiting on the transport's sockets failed", ex);
        }
        finally
        {
            waiting = false;
        }
    }

    @Override
    public void reset()
    {
        spun = 0;
    }

    /** Ends the agent's current wait early, or does nothing if it is not waiting. Any thread. */
    public void wake()
    {
        if (waiting)
        {
            if (selector != null)
            {
                selector.wakeup();
            }
            else
            {
                final Thread t = agent;
                if (t != null)
                {
                    LockSupport.unpark(t);
                }
            }
        }
    }

    @Override
    public String alias()
    {
        return "socket";
    }

    /** Releases the selector; the transport's sockets stay open (they belong to the transport). */
    @Override
    public void close()
    {
        closeQuietly(selector);
    }

    private static void closeQuietly(final Selector selector)
    {
        if (selector != null)
        {
            try
            {
                selector.close();
            }
            catch (final IOException ignored)
            {
                // Nothing is left to release.
            }
        }
    }
}
