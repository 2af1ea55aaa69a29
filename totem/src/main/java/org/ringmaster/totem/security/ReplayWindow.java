package org.ringmaster.totem.security;

/**
 * Anti-replay state for one sender (in the manner of IPsec's sliding window): the sender's current
 * session and a bitmap of the last {@value #WINDOW} counters. Deterministic; time is passed in.
 *
 * <p>A session id carries its start time (unix seconds) in the high 32 bits. Another session is
 * accepted when it started later (the sender restarted), or when the current session has been
 * silent for {@code takeoverNs} (covers a sender whose clock stepped back across a restart). A
 * replayed datagram of an older session is therefore refused while the sender is alive.
 */
final class ReplayWindow
{
    static final int WINDOW = 1024;

    private final long[] seen = new long[WINDOW / 64];
    private final long takeoverNs;
    private boolean started;
    private long session;
    private long highest;
    private long lastAcceptNs;

    ReplayWindow(final long takeoverNs)
    {
        this.takeoverNs = takeoverNs;
    }

    /** Record an authentic datagram; false if it was seen before or is too old to tell. */
    boolean accept(final long session, final long counter, final long nowNs)
    {
        if (!started || session != this.session)
        {
            if (started && !startedLater(session, this.session) && nowNs - lastAcceptNs < takeoverNs)
            {
                return false;
            }
            started = true;
            this.session = session;
            java.util.Arrays.fill(seen, 0L);
            highest = counter;
            mark(counter);
            lastAcceptNs = nowNs;
            return true;
        }
        if (counter > highest)
        {
            final long advance = counter - highest;
            if (advance >= WINDOW)
            {
                java.util.Arrays.fill(seen, 0L);
            }
            else
            {
                for (long c = highest + 1; c < counter; c++)
                {
                    clear(c);
                }
            }
            highest = counter;
            mark(counter);
            lastAcceptNs = nowNs;
            return true;
        }
        if (highest - counter >= WINDOW || isMarked(counter))
        {
            return false;
        }
        mark(counter);
        lastAcceptNs = nowNs;
        return true;
    }

    long session()
    {
        return session;
    }

    static boolean startedLater(final long candidate, final long current)
    {
        return Long.compareUnsigned(candidate >>> 32, current >>> 32) > 0;
    }

    private void mark(final long counter)
    {
        final int bit = (int)(counter & (WINDOW - 1));
        seen[bit >>> 6] |= 1L << (bit & 63);
    }

    private void clear(final long counter)
    {
        final int bit = (int)(counter & (WINDOW - 1));
        seen[bit >>> 6] &= ~(1L << (bit & 63));
    }

    private boolean isMarked(final long counter)
    {
        final int bit = (int)(counter & (WINDOW - 1));
        return (seen[bit >>> 6] & (1L << (bit & 63))) != 0;
    }
}
