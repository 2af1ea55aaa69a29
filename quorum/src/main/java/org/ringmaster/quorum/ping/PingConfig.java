package org.ringmaster.quorum.ping;

import java.util.ArrayList;
import java.util.List;

/**
 * Immutable ping-device settings, after heartbeat's {@code ping} / {@code ping_group} and pacemaker's
 * {@code ocf:pacemaker:ping}. Each group is one pseudo-member: it is reachable when any of its
 * addresses answers ({@code ping a b} is two groups of one address; {@code ping_group g a b} one
 * group of two).
 *
 * <table>
 * <caption>settings</caption>
 * <tr><th>key</th><th>default</th><th>meaning</th></tr>
 * <tr><td>ping.interval</td><td>1000 ms</td><td>probe period per address</td></tr>
 * <tr><td>ping.timeout</td><td>1000 ms</td><td>one probe's deadline</td></tr>
 * <tr><td>ping.deadping</td><td>5000 ms</td><td>no answer for this long: address is down</td></tr>
 * <tr><td>ping.required</td><td>1</td><td>reachable groups needed to cast the device votes</td></tr>
 * <tr><td>ping.multiplier</td><td>1</td><td>score per reachable group (pingd)</td></tr>
 * </table>
 */
public final class PingConfig
{
    private final List<List<PingTarget>> groups;
    private final long intervalMs;
    private final long timeoutMs;
    private final long deadPingMs;
    private final int required;
    private final int multiplier;

    private PingConfig(final Builder b)
    {
        if (b.groups.isEmpty())
        {
            throw new PingConfigException("ping", "at least one ping address or ping_group is needed");
        }
        if (b.intervalMs < 1)
        {
            throw new PingConfigException("ping.interval", "must be >= 1 ms, got " + b.intervalMs);
        }
        if (b.timeoutMs < 1)
        {
            throw new PingConfigException("ping.timeout", "must be >= 1 ms, got " + b.timeoutMs);
        }
        if (b.deadPingMs < b.intervalMs)
        {
            throw new PingConfigException("ping.deadping", b.deadPingMs + " ms must be >= ping.interval=" + b.intervalMs + " ms");
        }
        if (b.required < 1 || b.required > b.groups.size())
        {
            throw new PingConfigException("ping.required", "must be 1.." + b.groups.size() + ", got " + b.required);
        }
        if (b.multiplier < 1)
        {
            throw new PingConfigException("ping.multiplier", "must be >= 1, got " + b.multiplier);
        }
        final List<List<PingTarget>> gs = new ArrayList<>();
        for (final List<PingTarget> g : b.groups)
        {
            gs.add(List.copyOf(g));
        }
        this.groups = List.copyOf(gs);
        this.intervalMs = b.intervalMs;
        this.timeoutMs = b.timeoutMs;
        this.deadPingMs = b.deadPingMs;
        this.required = b.required;
        this.multiplier = b.multiplier;
    }

    public static Builder builder()
    {
        return new Builder();
    }

    public List<List<PingTarget>> groups()
    {
        return groups;
    }

    public long intervalMs()
    {
        return intervalMs;
    }

    public long timeoutMs()
    {
        return timeoutMs;
    }

    public long deadPingMs()
    {
        return deadPingMs;
    }

    public int required()
    {
        return required;
    }

    public int multiplier()
    {
        return multiplier;
    }

    /** Mutable builder; {@link #build()} validates and names the bad key. */
    public static final class Builder
    {
        private final List<List<PingTarget>> groups = new ArrayList<>();
        private long intervalMs = 1000;
        private long timeoutMs = 1000;
        private long deadPingMs = 5000;
        private int required = 1;
        private int multiplier = 1;

        private Builder()
        {
        }

        /** heartbeat {@code ping host...}: one group per address. */
        public Builder ping(final String... hosts)
        {
            for (final String h : hosts)
            {
                groups.add(List.of(PingTarget.parse(h)));
            }
            return this;
        }

        /** heartbeat {@code ping_group name host...}: one group, reachable if any address answers. */
        public Builder pingGroup(final String... hosts)
        {
            if (hosts.length == 0)
            {
                throw new PingConfigException("ping_group", "needs at least one address");
            }
            final List<PingTarget> g = new ArrayList<>();
            for (final String h : hosts)
            {
                g.add(PingTarget.parse(h));
            }
            groups.add(g);
            return this;
        }

        public Builder intervalMs(final long v)
        {
            intervalMs = v;
            return this;
        }

        public Builder timeoutMs(final long v)
        {
            timeoutMs = v;
            return this;
        }

        public Builder deadPingMs(final long v)
        {
            deadPingMs = v;
            return this;
        }

        public Builder required(final int v)
        {
            required = v;
            return this;
        }

        public Builder multiplier(final int v)
        {
            multiplier = v;
            return this;
        }

        public PingConfig build()
        {
            return new PingConfig(this);
        }
    }
}
