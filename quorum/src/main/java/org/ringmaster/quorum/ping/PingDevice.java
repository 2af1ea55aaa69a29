package org.ringmaster.quorum.ping;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.ringmaster.quorum.QuorumDevice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ping nodes as a quorum device (heartbeat ping / ping_group, pacemaker pingd). Every address is
 * probed each {@code interval}; an address is up from its first answer until {@code deadping} passes
 * without one; a group is up while any of its addresses is. The node casts the device votes while at
 * least {@code required} groups are up, and its score is {@code multiplier} per group up.
 *
 * <p>Safety note: the votes go to every partition that reaches the targets, so ping breaks ties only
 * when the targets sit behind the same network split as the nodes (e.g. the upstream gateway of one
 * side). If both halves still reach them, both cast: use qdisk or fencing for a hard guarantee.
 */
public final class PingDevice implements QuorumDevice, AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(PingDevice.class);
    private static final long UNSET = Long.MIN_VALUE;

    /** {@code sentNs}: when the probe was started, on the device's clock. */
    private record Result(int group, int index, long sentNs, boolean reachable, String detail)
    {
    }

    private final PingConfig config;
    private final ReachabilityProbe probe;
    private final long intervalNs;
    private final long deadNs;
    private final long[][] nextProbeNs;
    private final long[][] lastOkNs;
    private final boolean[][] running;
    private final boolean[] groupUp;
    private final ConcurrentLinkedQueue<Result> results = new ConcurrentLinkedQueue<>();
    private int groupsUp;

    public PingDevice(final PingConfig config, final ReachabilityProbe probe)
    {
        this.config = config;
        this.probe = probe;
        this.intervalNs = config.intervalMs() * 1_000_000L;
        this.deadNs = config.deadPingMs() * 1_000_000L;
        final int g = config.groups().size();
        nextProbeNs = new long[g][];
        lastOkNs = new long[g][];
        running = new boolean[g][];
        groupUp = new boolean[g];
        for (int i = 0; i < g; i++)
        {
            final int n = config.groups().get(i).size();
            nextProbeNs[i] = new long[n];
            lastOkNs[i] = new long[n];
            running[i] = new boolean[n];
            java.util.Arrays.fill(nextProbeNs[i], UNSET);
            java.util.Arrays.fill(lastOkNs[i], UNSET);
        }
    }

    @Override
    public String name()
    {
        return "ping";
    }

    @Override
    public int doWork(final long nowNs)
    {
        int work = 0;
        Result r;
        while ((r = results.poll()) != null)
        {
            running[r.group()][r.index()] = false;
            if (r.reachable())
            {
                // An answer proves the target was reachable no earlier than the probe was sent; a
                // result picked up late (a stalled agent thread) must not stretch it to "now", or a
                // node cut off meanwhile would carry a fresh-looking claim into its next ring.
                lastOkNs[r.group()][r.index()] = Math.max(lastOkNs[r.group()][r.index()], r.sentNs());
            }
            else
            {
                LOG.debug("ping {} failed: {}", config.groups().get(r.group()).get(r.index()), r.detail());
            }
            work++;
        }
        for (int g = 0; g < nextProbeNs.length; g++)
        {
            final List<PingTarget> targets = config.groups().get(g);
            for (int i = 0; i < targets.size(); i++)
            {
                if (!running[g][i] && (nextProbeNs[g][i] == UNSET || nowNs - nextProbeNs[g][i] >= 0))
                {
                    running[g][i] = true;
                    nextProbeNs[g][i] = nowNs + intervalNs;
                    final int group = g;
                    final int index = i;
                    final long sentNs = nowNs;
                    probe.probe(targets.get(i), config.timeoutMs(),
                        (ok, detail) -> results.add(new Result(group, index, sentNs, ok, detail)));
                    work++;
                }
            }
        }
        int up = 0;
        for (int g = 0; g < groupUp.length; g++)
        {
            boolean any = false;
            for (final long ok : lastOkNs[g])
            {
                any |= ok != UNSET && nowNs - ok <= deadNs;
            }
            if (any != groupUp[g])
            {
                LOG.info("ping group {} is {}", config.groups().get(g), any ? "reachable" : "unreachable");
                groupUp[g] = any;
            }
            up += any ? 1 : 0;
        }
        groupsUp = up;
        return work;
    }

    @Override
    public boolean castsVote()
    {
        return groupsUp >= config.required();
    }

    @Override
    public int score()
    {
        return groupsUp * config.multiplier();
    }

    /**
     * {@code groups_up} (reachable groups of all) and {@code reachable} / {@code unreachable}: the
     * groups' addresses (a group's addresses joined with {@code |}), comma-separated, or {@code -}.
     */
    @Override
    public java.util.SortedMap<String, String> details()
    {
        final java.util.TreeMap<String, String> d = new java.util.TreeMap<>();
        d.put("groups_up", groupsUp + "/" + groupUp.length);
        final StringBuilder up = new StringBuilder();
        final StringBuilder down = new StringBuilder();
        for (int g = 0; g < groupUp.length; g++)
        {
            final StringBuilder b = groupUp[g] ? up : down;
            b.append(b.length() == 0 ? "" : ",");
            final List<PingTarget> targets = config.groups().get(g);
            for (int i = 0; i < targets.size(); i++)
            {
                b.append(i == 0 ? "" : "|").append(targets.get(i));
            }
        }
        d.put("reachable", up.length() == 0 ? "-" : up.toString());
        d.put("unreachable", down.length() == 0 ? "-" : down.toString());
        return d;
    }

    /** Groups currently reachable. */
    public int groupsUp()
    {
        return groupsUp;
    }

    @Override
    public void close()
    {
        probe.close();
    }
}
