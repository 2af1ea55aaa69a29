package org.ringmaster.membership.link;

import java.util.Arrays;

/**
 * Which data sequence numbers of one sender were handed up: the sender's session and a bitmap of
 * the last {@value #WINDOW} numbers. Deterministic; time is passed in.
 *
 * <p>A datagram older than the window is dropped as a copy: every link carries the same sequence,
 * so one that far behind has almost surely come through already on a faster link, and the ring
 * above retransmits anything that was really lost. A session id carries its start time in the
 * high bits: a later session (the sender restarted) replaces the current one at once; an earlier
 * or unordered one only after the current one has been silent for {@code takeoverNs} (a restart
 * with the wall clock stepped back), so stray copies from before a restart cannot reset the window.
 */
final class DuplicateWindow
{
    static final int WINDOW = 1024;
    /** Bits of a session id below its start time (milliseconds). */
    static final int SESSION_RANDOM_BITS = 20;

    private final long[] seen = new long[WINDOW / 64];
    private final long takeoverNs;
    private boolean started;
    private long session;
    private long highest;
    private long lastAcceptNs;

    DuplicateWindow(final long takeoverNs)
    {
        this.takeoverNs = takeoverNs;
    }

    /** @return true the first time (session, seq) is seen; false for a copy or one too old to tell. */
    boolean accept(final long session, final long seq, final long nowNs)
    {
        if (!started || session != this.session)
        {
            if (started && !startedLater(session, this.session) && nowNs - lastAcceptNs < takeoverNs)
            {
                return false;
            }
            started = true;
            this.session = session;
            Arrays.fill(seen, 0L);
            highest = seq;
            mark(seq);
            lastAcceptNs = nowNs;
            return true;
        }
        if (seq > highest)
        {
            final long advance = seq - highest;
            if (advance >= WINDOW)
            {
                Arrays.fill(seen, 0L);
            }
            else
            {
                for (long s = highest + 1; s < seq; s++)
                {
                    clear(s);
                }
            }
            highest = seq;
            mark(seq);
            lastAcceptNs = nowNs;
            return true;
        }
        if (highest - seq >= WINDOW || isMarked(seq))
        {
            return false;
        }
        mark(seq);
        lastAcceptNs = nowNs;
        return true;
    }

    static boolean startedLater(final long candidate, final long current)
    {
        return (candidate >>> SESSION_RANDOM_BITS) > (current >>> SESSION_RANDOM_BITS);
    }

    private void mark(final long seq)
    {
        final int bit = (int)(seq & (WINDOW - 1));
        seen[bit >>> 6] |= 1L << (bit & 63);
    }

    private void clear(final long seq)
    {
        final int bit = (int)(seq & (WINDOW - 1));
        seen[bit >>> 6] &= ~(1L << (bit & 63));
    }

    private boolean isMarked(final long seq)
    {
        final int bit = (int)(seq & (WINDOW - 1));
        return (seen[bit >>> 6] & (1L << (bit & 63))) != 0;
    }
}
