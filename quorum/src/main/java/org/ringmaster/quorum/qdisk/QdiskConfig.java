package org.ringmaster.quorum.qdisk;

import java.util.ArrayList;
import java.util.List;

/**
 * Immutable quorum-disk settings, after RHCS qdisk(5) {@code <quorumd>} (keys named {@code quorumd.*}).
 *
 * <table>
 * <caption>settings</caption>
 * <tr><th>key</th><th>default</th><th>meaning</th></tr>
 * <tr><td>interval</td><td>1000 ms</td><td>one read/write cycle</td></tr>
 * <tr><td>tko</td><td>10</td><td>cycles without a new heartbeat before a node is dead on the disk</td></tr>
 * <tr><td>tko_up</td><td>max(1, tko/3)</td><td>fresh heartbeats before a node counts as online</td></tr>
 * <tr><td>master_wait</td><td>max(tko_up, tko/2)</td><td>cycles to observe the disk before bidding</td></tr>
 * <tr><td>upgrade_wait</td><td>2</td><td>cycles a bid must stand unopposed before becoming master</td></tr>
 * <tr><td>min_score</td><td>floor((n+1)/2), n = sum of heuristic scores</td><td>score needed to claim</td></tr>
 * <tr><td>max_error_cycles</td><td>0</td><td>consecutive I/O-error cycles tolerated before giving up the vote</td></tr>
 * <tr><td>max_nodes</td><td>16</td><td>node slots on the disk (node ids 1..max_nodes)</td></tr>
 * <tr><td>label</td><td>none</td><td>if set, the disk header label must match</td></tr>
 * </table>
 */
public final class QdiskConfig
{
    static final int MAX_NODES_LIMIT = 256;
    static final int MAX_HEURISTICS = 10;

    private final String label;
    private final long intervalMs;
    private final int tko;
    private final int tkoUp;
    private final int masterWait;
    private final int upgradeWait;
    private final int minScore;
    private final int maxErrorCycles;
    private final int maxNodes;
    private final List<Heuristic> heuristics;

    private QdiskConfig(final Builder b)
    {
        if (b.intervalMs < 1)
        {
            throw new QdiskException("quorumd.interval", "must be >= 1 ms, got " + b.intervalMs);
        }
        if (b.tko < 2)
        {
            throw new QdiskException("quorumd.tko", "must be >= 2, got " + b.tko);
        }
        final int up = b.tkoUp > 0 ? b.tkoUp : Math.max(1, b.tko / 3);
        if (up > b.tko)
        {
            throw new QdiskException("quorumd.tko_up", up + " must not exceed quorumd.tko=" + b.tko);
        }
        final int mw = b.masterWait > 0 ? b.masterWait : Math.max(up, b.tko / 2);
        if (mw < up)
        {
            throw new QdiskException("quorumd.master_wait", mw + " must be >= quorumd.tko_up=" + up +
                " so that other nodes are seen before bidding");
        }
        if (b.upgradeWait < 1)
        {
            throw new QdiskException("quorumd.upgrade_wait", "must be >= 1, got " + b.upgradeWait);
        }
        if (b.maxErrorCycles < 0)
        {
            throw new QdiskException("quorumd.max_error_cycles", "must be >= 0, got " + b.maxErrorCycles);
        }
        if (b.maxNodes < 1 || b.maxNodes > MAX_NODES_LIMIT)
        {
            throw new QdiskException("quorumd.max_nodes", "must be 1.." + MAX_NODES_LIMIT + ", got " + b.maxNodes);
        }
        if (b.heuristics.size() > MAX_HEURISTICS)
        {
            throw new QdiskException("quorumd.heuristic", "at most " + MAX_HEURISTICS + " heuristics, got " + b.heuristics.size());
        }
        int maxScore = 0;
        for (final Heuristic h : b.heuristics)
        {
            maxScore += h.score();
        }
        final int ms = b.minScore >= 0 ? b.minScore : (maxScore + 1) / 2;
        if (ms > maxScore && !b.heuristics.isEmpty())
        {
            throw new QdiskException("quorumd.min_score", ms + " can never be reached: heuristics score at most " + maxScore);
        }
        this.label = b.label;
        this.intervalMs = b.intervalMs;
        this.tko = b.tko;
        this.tkoUp = up;
        this.masterWait = mw;
        this.upgradeWait = b.upgradeWait;
        this.minScore = b.heuristics.isEmpty() ? 0 : ms;
        this.maxErrorCycles = b.maxErrorCycles;
        this.maxNodes = b.maxNodes;
        this.heuristics = List.copyOf(b.heuristics);
    }

    public static Builder builder()
    {
        return new Builder();
    }

    public String label()
    {
        return label;
    }

    public long intervalMs()
    {
        return intervalMs;
    }

    public int tko()
    {
        return tko;
    }

    public int tkoUp()
    {
        return tkoUp;
    }

    public int masterWait()
    {
        return masterWait;
    }

    public int upgradeWait()
    {
        return upgradeWait;
    }

    public int minScore()
    {
        return minScore;
    }

    public int maxErrorCycles()
    {
        return maxErrorCycles;
    }

    public int maxNodes()
    {
        return maxNodes;
    }

    public List<Heuristic> heuristics()
    {
        return heuristics;
    }

    /** Sum of all heuristic scores. */
    public int maxScore()
    {
        int s = 0;
        for (final Heuristic h : heuristics)
        {
            s += h.score();
        }
        return s;
    }

    @Override
    public String toString()
    {
        return "QdiskConfig{interval=" + intervalMs + "ms, tko=" + tko + ", tko_up=" + tkoUp + ", master_wait=" +
            masterWait + ", upgrade_wait=" + upgradeWait + ", min_score=" + minScore + "/" + maxScore() +
            ", max_error_cycles=" + maxErrorCycles + ", max_nodes=" + maxNodes + ", label=" + label + "}";
    }

    /** Mutable builder; {@link #build()} validates and names the bad key. */
    public static final class Builder
    {
        private String label;
        private long intervalMs = 1000;
        private int tko = 10;
        private int tkoUp;
        private int masterWait;
        private int upgradeWait = 2;
        private int minScore = -1;
        private int maxErrorCycles;
        private int maxNodes = 16;
        private final List<Heuristic> heuristics = new ArrayList<>();

        private Builder()
        {
        }

        public Builder label(final String label)
        {
            this.label = label;
            return this;
        }

        public Builder intervalMs(final long intervalMs)
        {
            this.intervalMs = intervalMs;
            return this;
        }

        public Builder tko(final int tko)
        {
            this.tko = tko;
            return this;
        }

        public Builder tkoUp(final int tkoUp)
        {
            this.tkoUp = tkoUp;
            return this;
        }

        public Builder masterWait(final int masterWait)
        {
            this.masterWait = masterWait;
            return this;
        }

        public Builder upgradeWait(final int upgradeWait)
        {
            this.upgradeWait = upgradeWait;
            return this;
        }

        public Builder minScore(final int minScore)
        {
            this.minScore = minScore;
            return this;
        }

        public Builder maxErrorCycles(final int maxErrorCycles)
        {
            this.maxErrorCycles = maxErrorCycles;
            return this;
        }

        public Builder maxNodes(final int maxNodes)
        {
            this.maxNodes = maxNodes;
            return this;
        }

        public Builder heuristic(final Heuristic h)
        {
            heuristics.add(h);
            return this;
        }

        public QdiskConfig build()
        {
            return new QdiskConfig(this);
        }
    }
}
