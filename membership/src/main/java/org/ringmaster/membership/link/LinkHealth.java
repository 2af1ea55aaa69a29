package org.ringmaster.membership.link;

import java.util.Arrays;

/**
 * Heartbeat state of every (peer, link): when to ping, whether the answers come back. Plain
 * deterministic logic, time passed in; the transport does the sending and the reporting.
 *
 * <p>Only a pong (an answer to our own ping) counts as a sign of life: it proves the link works
 * both ways, whereas a link cut in one direction still delivers the peer's traffic to us. A link
 * is <em>suspect</em> once a ping has gone a whole interval without an answer (passive mode then
 * also sends on the next link), <em>down</em> when no answer came for the ping timeout, and up
 * again after {@code pong_count} answers with no unanswered ping between them.
 */
final class LinkHealth
{
    static final long NEVER = Long.MAX_VALUE;

    private final int links;
    private final long[] intervalNs;
    private final long[] timeoutNs;
    private final int[] pongCount;
    private final boolean[] up;
    private final boolean[] suspect;
    private final boolean[] awaitingPong;
    private final int[] streak;
    private final long[] nextPingNs;
    private final long[] lastPongNs;
    private final long[] lastRttNs;

    LinkHealth(final int peers, final int links, final RedundantConfig config, final long nowNs)
    {
        this.links = links;
        this.intervalNs = new long[links];
        this.timeoutNs = new long[links];
        this.pongCount = new int[links];
        for (int link = 0; link < links; link++)
        {
            intervalNs[link] = config.pingIntervalNs(link);
            timeoutNs[link] = config.pingTimeoutNs(link);
            pongCount[link] = config.pongCount(link);
        }
        final int n = peers * links;
        this.up = new boolean[n];
        this.suspect = new boolean[n];
        this.awaitingPong = new boolean[n];
        this.streak = new int[n];
        this.nextPingNs = new long[n];
        this.lastPongNs = new long[n];
        this.lastRttNs = new long[n];
        Arrays.fill(nextPingNs, nowNs);
        Arrays.fill(lastRttNs, -1);
    }

    boolean up(final int peer, final int link)
    {
        return up[peer * links + link];
    }

    boolean suspect(final int peer, final int link)
    {
        return suspect[peer * links + link];
    }

    long timeoutNs(final int link)
    {
        return timeoutNs[link];
    }

    long lastRttNs(final int peer, final int link)
    {
        return lastRttNs[peer * links + link];
    }

    boolean pingDue(final int peer, final int link, final long nowNs)
    {
        return nowNs >= nextPingNs[peer * links + link];
    }

    /** A ping is going out now: an earlier one still unanswered breaks the streak and makes the link suspect. */
    void pingSent(final int peer, final int link, final long nowNs)
    {
        final int i = peer * links + link;
        if (awaitingPong[i])
        {
            streak[i] = 0;
            suspect[i] = true;
        }
        awaitingPong[i] = true;
        nextPingNs[i] = nowNs + intervalNs[link];
    }

    /**
     * An answer to the ping we sent at {@code pingSentNs}.
     *
     * @return true if this brought the link up.
     */
    boolean pongReceived(final int peer, final int link, final long pingSentNs, final long nowNs)
    {
        final int i = peer * links + link;
        final long rtt = nowNs - pingSentNs;
        if (rtt < 0 || rtt > timeoutNs[link])
        {
            return false; // an answer to a ping we no longer wait for, or not one of ours
        }
        awaitingPong[i] = false;
        suspect[i] = false;
        lastPongNs[i] = nowNs;
        lastRttNs[i] = rtt;
        if (streak[i] < Integer.MAX_VALUE)
        {
            streak[i]++;
        }
        if (!up[i] && streak[i] >= pongCount[link])
        {
            up[i] = true;
            return true;
        }
        return false;
    }

    /** @return true if the link has just gone down: up, and no answer for the timeout. */
    boolean timedOut(final int peer, final int link, final long nowNs)
    {
        final int i = peer * links + link;
        if (up[i] && nowNs - lastPongNs[i] > timeoutNs[link])
        {
            up[i] = false;
            suspect[i] = false;
            streak[i] = 0;
            return true;
        }
        return false;
    }

    /**
     * This node did not run for {@code pausedNs} (no poll): answers that came meanwhile are still
     * unread, so the pause does not count towards any timeout.
     */
    void paused(final long pausedNs)
    {
        for (int i = 0; i < lastPongNs.length; i++)
        {
            lastPongNs[i] += pausedNs;
        }
    }

    /** Earliest time a ping is due or a link may time out. */
    long nextDeadlineNs(final int peer, final int link)
    {
        final int i = peer * links + link;
        final long timeout = up[i] ? lastPongNs[i] + timeoutNs[link] + 1 : NEVER;
        return Math.min(nextPingNs[i], timeout);
    }
}
