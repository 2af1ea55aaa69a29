package org.ringmaster.membership.link;

import org.ringmaster.totem.transport.SessionWindow;

/**
 * Which data sequence numbers of one sender were handed up: a {@link SessionWindow} over sessions
 * whose ids carry the start time in milliseconds above {@value #SESSION_RANDOM_BITS} random bits.
 * A datagram older than the window is dropped as a copy: every link carries the same sequence, so
 * one that far behind has almost surely come through already on a faster link, and the ring above
 * retransmits anything that was really lost.
 */
final class DuplicateWindow
{
    static final int WINDOW = SessionWindow.WINDOW;
    /** Bits of a session id below its start time (milliseconds). */
    static final int SESSION_RANDOM_BITS = 20;

    private final SessionWindow window;

    DuplicateWindow(final long takeoverNs)
    {
        window = new SessionWindow(takeoverNs, SESSION_RANDOM_BITS);
    }

    /** @return true the first time (session, seq) is seen; false for a copy or one too old to tell. */
    boolean accept(final long session, final long seq, final long nowNs)
    {
        return window.accept(session, seq, nowNs);
    }

    static boolean startedLater(final long candidate, final long current)
    {
        return SessionWindow.startedLater(candidate, current, SESSION_RANDOM_BITS);
    }
}
