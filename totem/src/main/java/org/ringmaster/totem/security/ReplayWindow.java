package org.ringmaster.totem.security;

import org.ringmaster.totem.transport.SessionWindow;

/**
 * Anti-replay state for one sender: a {@link SessionWindow} over sessions whose ids carry the start
 * time in unix seconds in the high 32 bits. A replayed datagram of an older session is refused while
 * the sender is alive.
 */
final class ReplayWindow
{
    static final int WINDOW = SessionWindow.WINDOW;
    static final int SESSION_RANDOM_BITS = 32;

    private final SessionWindow window;

    ReplayWindow(final long takeoverNs)
    {
        window = new SessionWindow(takeoverNs, SESSION_RANDOM_BITS);
    }

    /** Record an authentic datagram; false if it was seen before or is too old to tell. */
    boolean accept(final long session, final long counter, final long nowNs)
    {
        return window.accept(session, counter, nowNs);
    }

    long session()
    {
        return window.session();
    }

    static boolean startedLater(final long candidate, final long current)
    {
        return SessionWindow.startedLater(candidate, current, SESSION_RANDOM_BITS);
    }
}
