package org.ringmaster.membership.link;

import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Settings of the redundant links, immutable; {@link Builder#build()} validates once and names the
 * bad key in corosync.conf spelling. Settings exist for all {@value #MAX_LINKS} link numbers; a
 * transport uses those of the links it is given.
 *
 * <p>Defaults (corosync.conf(5) for knet):
 * <ul>
 *   <li>{@code totem.link_mode}: {@code passive};</li>
 *   <li>{@code knet_link_priority}: {@value #DEFAULT_PRIORITY} on every link; in passive mode the
 *       highest value wins and a tie goes to the lower link number;</li>
 *   <li>{@code knet_pong_count}: {@value #DEFAULT_PONG_COUNT} answers in a row before a link is up;</li>
 *   <li>{@code knet_ping_interval}: {@code token / (pong_count x 2)}, and {@code knet_ping_timeout}:
 *       {@code token / pong_count}, with {@code token} {@value #DEFAULT_TOKEN_MS} ms unless
 *       {@link Builder#tokenMs} says otherwise: 100 ms and 200 ms by default.</li>
 * </ul>
 * Unlike corosync, which ignores a timeout shorter than the interval at its peril, a
 * {@code knet_ping_timeout} not above {@code knet_ping_interval} is refused: the link would flap.
 */
public final class RedundantConfig
{
    public static final int MAX_LINKS = 8;
    public static final int DEFAULT_PRIORITY = 1;
    public static final int MAX_PRIORITY = 255;
    public static final int DEFAULT_PONG_COUNT = 2;
    public static final int MAX_PONG_COUNT = 255;
    public static final long DEFAULT_TOKEN_MS = 400;

    private final LinkMode mode;
    private final int[] priority;
    private final long[] pingIntervalNs;
    private final long[] pingTimeoutNs;
    private final int[] pongCount;

    private RedundantConfig(final Builder b)
    {
        if (b.mode == null)
        {
            throw new IllegalArgumentException("totem.link_mode is missing: passive or active");
        }
        if (b.tokenMs <= 0)
        {
            throw new IllegalArgumentException("totem.token=" + b.tokenMs + " must be > 0 ms");
        }
        this.mode = b.mode;
        this.priority = b.priority.clone();
        this.pongCount = b.pongCount.clone();
        this.pingIntervalNs = new long[MAX_LINKS];
        this.pingTimeoutNs = new long[MAX_LINKS];
        for (int link = 0; link < MAX_LINKS; link++)
        {
            final String key = "totem.interface[linknumber=" + link + "].";
            if (priority[link] < 0 || priority[link] > MAX_PRIORITY)
            {
                throw new IllegalArgumentException(key + "knet_link_priority=" + priority[link]
                    + " is out of range 0.." + MAX_PRIORITY);
            }
            if (pongCount[link] < 1 || pongCount[link] > MAX_PONG_COUNT)
            {
                throw new IllegalArgumentException(key + "knet_pong_count=" + pongCount[link]
                    + " is out of range 1.." + MAX_PONG_COUNT);
            }
            final long intervalMs = b.pingIntervalMs[link] != 0 ? b.pingIntervalMs[link]
                : Math.max(1, b.tokenMs / (pongCount[link] * 2L));
            final long timeoutMs = b.pingTimeoutMs[link] != 0 ? b.pingTimeoutMs[link]
                : Math.max(2, b.tokenMs / pongCount[link]);
            if (intervalMs <= 0)
            {
                throw new IllegalArgumentException(key + "knet_ping_interval=" + intervalMs + " must be > 0 ms");
            }
            if (timeoutMs <= intervalMs)
            {
                throw new IllegalArgumentException(key + "knet_ping_timeout=" + timeoutMs
                    + " must be greater than knet_ping_interval=" + intervalMs + " (ms), or the link flaps");
            }
            pingIntervalNs[link] = TimeUnit.MILLISECONDS.toNanos(intervalMs);
            pingTimeoutNs[link] = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        }
    }

    public static Builder builder()
    {
        return new Builder();
    }

    /** All defaults: passive, derived from the default 400 ms token. */
    public static RedundantConfig defaults()
    {
        return builder().build();
    }

    public LinkMode mode()
    {
        return mode;
    }

    /** {@code knet_link_priority} of a link: higher is preferred in passive mode. */
    public int priority(final int link)
    {
        return priority[checkLink(link)];
    }

    /** {@code knet_ping_interval}: how often each peer is pinged on that link. */
    public long pingIntervalNs(final int link)
    {
        return pingIntervalNs[checkLink(link)];
    }

    /** {@code knet_ping_timeout}: an up link with no answer for this long is down. */
    public long pingTimeoutNs(final int link)
    {
        return pingTimeoutNs[checkLink(link)];
    }

    /** {@code knet_pong_count}: answers in a row that bring a down link up. */
    public int pongCount(final int link)
    {
        return pongCount[checkLink(link)];
    }

    private static int checkLink(final int link)
    {
        if (link < 0 || link >= MAX_LINKS)
        {
            throw new IllegalArgumentException("linknumber " + link + " is out of range 0.." + (MAX_LINKS - 1));
        }
        return link;
    }

    @Override
    public String toString()
    {
        final StringBuilder sb = new StringBuilder("RedundantConfig{link_mode=").append(mode.configName());
        for (int link = 0; link < MAX_LINKS; link++)
        {
            sb.append(", link").append(link).append("={priority=").append(priority[link])
                .append(", ping_interval=").append(TimeUnit.NANOSECONDS.toMillis(pingIntervalNs[link]))
                .append("ms, ping_timeout=").append(TimeUnit.NANOSECONDS.toMillis(pingTimeoutNs[link]))
                .append("ms, pong_count=").append(pongCount[link]).append('}');
        }
        return sb.append('}').toString();
    }

    /** Collects settings; the per-link setters take a link number 0..7, the others set every link. */
    public static final class Builder
    {
        private LinkMode mode = LinkMode.PASSIVE;
        private long tokenMs = DEFAULT_TOKEN_MS;
        private final int[] priority = new int[MAX_LINKS];
        private final long[] pingIntervalMs = new long[MAX_LINKS];
        private final long[] pingTimeoutMs = new long[MAX_LINKS];
        private final int[] pongCount = new int[MAX_LINKS];

        private Builder()
        {
            Arrays.fill(priority, DEFAULT_PRIORITY);
            Arrays.fill(pongCount, DEFAULT_PONG_COUNT);
        }

        /** {@code totem.link_mode}. */
        public Builder mode(final LinkMode mode)
        {
            this.mode = Objects.requireNonNull(mode, "totem.link_mode");
            return this;
        }

        /** {@code totem.token}: only used to derive ping interval and timeout that are not set. */
        public Builder tokenMs(final long tokenMs)
        {
            this.tokenMs = tokenMs;
            return this;
        }

        /** {@code knet_link_priority} of one link. */
        public Builder priority(final int link, final int priority)
        {
            this.priority[builderLink(link, "knet_link_priority")] = priority;
            return this;
        }

        /** {@code knet_ping_interval} of every link; 0 derives it from the token. */
        public Builder pingIntervalMs(final long ms)
        {
            Arrays.fill(pingIntervalMs, positiveOrZero(ms, "totem.knet_ping_interval"));
            return this;
        }

        /** {@code knet_ping_interval} of one link; 0 derives it from the token. */
        public Builder pingIntervalMs(final int link, final long ms)
        {
            pingIntervalMs[builderLink(link, "knet_ping_interval")] =
                positiveOrZero(ms, "totem.interface[linknumber=" + link + "].knet_ping_interval");
            return this;
        }

        /** {@code knet_ping_timeout} of every link; 0 derives it from the token. */
        public Builder pingTimeoutMs(final long ms)
        {
            Arrays.fill(pingTimeoutMs, positiveOrZero(ms, "totem.knet_ping_timeout"));
            return this;
        }

        /** {@code knet_ping_timeout} of one link; 0 derives it from the token. */
        public Builder pingTimeoutMs(final int link, final long ms)
        {
            pingTimeoutMs[builderLink(link, "knet_ping_timeout")] =
                positiveOrZero(ms, "totem.interface[linknumber=" + link + "].knet_ping_timeout");
            return this;
        }

        /** {@code knet_pong_count} of every link. */
        public Builder pongCount(final int count)
        {
            Arrays.fill(pongCount, count);
            return this;
        }

        /** {@code knet_pong_count} of one link. */
        public Builder pongCount(final int link, final int count)
        {
            pongCount[builderLink(link, "knet_pong_count")] = count;
            return this;
        }

        public RedundantConfig build()
        {
            return new RedundantConfig(this);
        }

        private static int builderLink(final int link, final String key)
        {
            if (link < 0 || link >= MAX_LINKS)
            {
                throw new IllegalArgumentException("totem.interface[linknumber=" + link + "]." + key
                    + ": linknumber is out of range 0.." + (MAX_LINKS - 1));
            }
            return link;
        }

        private static long positiveOrZero(final long ms, final String key)
        {
            if (ms < 0)
            {
                throw new IllegalArgumentException(key + "=" + ms + " must be > 0 ms (or 0 to derive it from the token)");
            }
            return ms;
        }
    }
}
