package org.ringmaster.totem.transport;

import java.util.Arrays;

/**
 * Which sequence numbers of one sender were accepted (in the manner of IPsec's anti-replay sliding
 * window): the sender's current session and a bitmap of the last {@value #WINDOW} numbers.
 * Deterministic; time is passed in. Used against replays (datagram security) and against copies
 * (redundant links).
 *
 * <p>A session id carries the sender's start time in its high bits (above {@code randomBits}). A
 * session that started later (the sender restarted) replaces the current one at once; an earlier
 * or unordered one only after the current one has been silent for {@code takeoverNs} (a restart
 * with the clock stepped back), so stray datagrams from before a restart cannot reset the window.
 */
public final class SessionWindow
{
    public static final int WINDOW = 1024;

    private final long[] seen = new long[WINDOW / 64];
    private final long takeoverNs;
    private final int randomBits;
    private boolean started;
    private long session;
    private long highest;
    private long lastAcceptNs;

    /** @param randomBits how many low bits of a session id are random rather than start time. */
    public SessionWindow(final long takeoverNs, final int randomBits)
    {
        if (randomBits < 0 || randomBits > 63)
        {
            throw new IllegalArgumentException("randomBits must be within 0..63: " + randomBits);
        }
        this.takeoverNs = takeoverNs;
        this.randomBits = randomBits;
    }

    /** @return true the first time (session, seq) is seen; false for a copy, a replay or one too old to tell. */
    public boolean accept(final long session, final long seq, final long nowNs)
    {
        if (!started || session != this.session)
        {
            if (started && !startedLater(session, this.session, randomBits) && nowNs - lastAcceptNs < takeoverNs)
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
            if (seq - highest >= WINDOW)
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

    /** The current session id. */
    public long session()
    {
        return session;
    }

    /** Whether session {@code candidate} started after {@code current}, by their start-time bits. */
    public static boolean startedLater(final long candidate, final long current, final int randomBits)
    {
        return Long.compareUnsigned(candidate >>> randomBits, current >>> randomBits) > 0;
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
