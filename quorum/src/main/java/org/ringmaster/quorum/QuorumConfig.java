package org.ringmaster.quorum;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Immutable votequorum settings, identical on every node of the cluster. Keys and defaults follow
 * Corosync's votequorum(5); where we are stricter the difference is listed in {@code package-info}.
 *
 * <table>
 * <caption>settings</caption>
 * <tr><th>key</th><th>default</th></tr>
 * <tr><td>{@code nodelist.node.N.quorum_votes}</td><td>1</td></tr>
 * <tr><td>{@code quorum.votes} (no nodelist only)</td><td>1</td></tr>
 * <tr><td>{@code quorum.expected_votes}</td><td>sum of nodelist votes + device votes</td></tr>
 * <tr><td>{@code quorum.two_node}</td><td>false</td></tr>
 * <tr><td>{@code quorum.wait_for_all}</td><td>same as two_node</td></tr>
 * <tr><td>{@code quorum.last_man_standing}</td><td>false</td></tr>
 * <tr><td>{@code quorum.last_man_standing_window}</td><td>10000 ms</td></tr>
 * <tr><td>{@code quorum.auto_tie_breaker}</td><td>false</td></tr>
 * <tr><td>{@code quorum.auto_tie_breaker_node}</td><td>lowest</td></tr>
 * <tr><td>{@code quorum.allow_downscale}</td><td>false</td></tr>
 * <tr><td>{@code quorum.expected_votes_tracking}</td><td>false (needs an {@link ExpectedVotesStore})</td></tr>
 * <tr><td>{@code quorum.device.votes}</td><td>0 (no device); with a device and no value: nodes - 1</td></tr>
 * </table>
 *
 * Build with {@link #builder()} or from flattened Corosync keys with {@link #fromKeys(Map)}; both run
 * the same validation once and throw {@link QuorumConfigException} naming the bad key. Settings that
 * Corosync accepts but that weaken safety are kept and reported by {@link #warnings()}.
 */
public final class QuorumConfig
{
    public static final long DEFAULT_LMS_WINDOW_MS = 10_000;

    private final SortedMap<Integer, Integer> nodeVotes;
    private final int configuredExpectedVotes;
    private final int defaultVotes;
    private final boolean twoNode;
    private final boolean waitForAll;
    private final boolean lastManStanding;
    private final long lastManStandingWindowMs;
    private final boolean autoTieBreaker;
    private final TieBreaker tieBreaker;
    private final boolean allowDownscale;
    private final boolean expectedVotesTracking;
    private final int deviceVotes;
    private final List<String> warnings;

    private QuorumConfig(final Builder b, final boolean effectiveAtb, final List<String> warnings)
    {
        this.nodeVotes = Collections.unmodifiableSortedMap(new TreeMap<>(b.nodeVotes));
        this.configuredExpectedVotes = b.expectedVotes;
        this.defaultVotes = b.defaultVotes;
        this.twoNode = b.twoNode;
        this.waitForAll = b.waitForAll != null ? b.waitForAll : b.twoNode;
        this.lastManStanding = b.lastManStanding;
        this.lastManStandingWindowMs = b.lastManStandingWindowMs;
        this.autoTieBreaker = effectiveAtb;
        this.tieBreaker = b.tieBreaker;
        this.allowDownscale = b.allowDownscale;
        this.expectedVotesTracking = b.expectedVotesTracking;
        this.deviceVotes = b.deviceVotes;
        this.warnings = List.copyOf(warnings);
    }

    public static Builder builder()
    {
        return new Builder();
    }

    /** Node id to {@code quorum_votes} from the nodelist (possibly empty). */
    public SortedMap<Integer, Integer> nodeVotes()
    {
        return nodeVotes;
    }

    /** The votes a node starts with: its nodelist entry, else {@code quorum.votes}. */
    public int votesOf(final int nodeId)
    {
        return nodeVotes.getOrDefault(nodeId, defaultVotes);
    }

    /** Expected votes at start: {@code quorum.expected_votes} if set, else nodelist sum plus device votes. */
    public int expectedVotes()
    {
        if (configuredExpectedVotes > 0)
        {
            return configuredExpectedVotes;
        }
        int sum = deviceVotes;
        for (final int v : nodeVotes.values())
        {
            sum += v;
        }
        return sum;
    }

    /** The explicitly configured {@code quorum.expected_votes}, 0 when computed. */
    public int configuredExpectedVotes()
    {
        return configuredExpectedVotes;
    }

    public boolean twoNode()
    {
        return twoNode;
    }

    public boolean waitForAll()
    {
        return waitForAll;
    }

    public boolean lastManStanding()
    {
        return lastManStanding;
    }

    public long lastManStandingWindowMs()
    {
        return lastManStandingWindowMs;
    }

    /** Effective value: false when Corosync would disable it (odd cluster without wait_for_all). */
    public boolean autoTieBreaker()
    {
        return autoTieBreaker;
    }

    public TieBreaker tieBreaker()
    {
        return tieBreaker;
    }

    public boolean allowDownscale()
    {
        return allowDownscale;
    }

    /** Keep the highest expected votes across restarts ({@code quorum.expected_votes_tracking}). */
    public boolean expectedVotesTracking()
    {
        return expectedVotesTracking;
    }

    /** Votes of the quorum device (qdisk or ping), 0 when none is configured. */
    public int deviceVotes()
    {
        return deviceVotes;
    }

    /** Accepted but risky or ignored settings, one sentence each naming the key. */
    public List<String> warnings()
    {
        return warnings;
    }

    @Override
    public String toString()
    {
        return "QuorumConfig{nodes=" + nodeVotes + ", expected=" + expectedVotes() + ", two_node=" + twoNode +
            ", wait_for_all=" + waitForAll + ", lms=" + lastManStanding + "/" + lastManStandingWindowMs +
            "ms, atb=" + autoTieBreaker + "/" + tieBreaker + ", allow_downscale=" + allowDownscale +
            ", evt=" + expectedVotesTracking + ", device_votes=" + deviceVotes + "}";
    }

    private static final Pattern NODE_KEY = Pattern.compile("nodelist\\.node\\.(\\d+)\\.([a-z0-9_]+)");

    /**
     * Builds from flattened Corosync keys, e.g. {@code quorum.two_node=1},
     * {@code nodelist.node.0.nodeid=1}, {@code nodelist.node.0.quorum_votes=4}. Keys outside
     * {@code quorum.*} and {@code nodelist.*} are ignored; unknown {@code quorum.*} keys become warnings.
     */
    public static QuorumConfig fromKeys(final Map<String, String> keys)
    {
        final Builder b = builder();
        final SortedMap<Integer, Integer> nodeIdByPos = new TreeMap<>();
        final SortedMap<Integer, Integer> votesByPos = new TreeMap<>();
        boolean haveDevice = false;
        boolean haveDeviceVotes = false;
        for (final Map.Entry<String, String> e : new TreeMap<>(keys).entrySet())
        {
            final String key = e.getKey();
            final String value = e.getValue() == null ? "" : e.getValue().trim();
            final Matcher m = NODE_KEY.matcher(key);
            if (m.matches())
            {
                final int pos = Integer.parseInt(m.group(1));
                if (m.group(2).equals("nodeid"))
                {
                    nodeIdByPos.put(pos, parseInt(key, value, 1));
                }
                else if (m.group(2).equals("quorum_votes"))
                {
                    votesByPos.put(pos, parseInt(key, value, 0));
                }
                continue;
            }
            if (key.startsWith("quorum.device."))
            {
                if (key.equals("quorum.device.votes"))
                {
                    b.deviceVotes(parseInt(key, value, 1));
                    haveDeviceVotes = true;
                }
                else if (key.equals("quorum.device.model"))
                {
                    haveDevice = !value.isEmpty();
                }
                continue;
            }
            switch (key)
            {
                case "quorum.provider":
                    if (!value.equals("corosync_votequorum"))
                    {
                        throw new QuorumConfigException(key, "only corosync_votequorum is supported, got '" + value + "'");
                    }
                    break;
                case "quorum.expected_votes": b.expectedVotes(parseInt(key, value, 1)); break;
                case "quorum.votes": b.defaultVotes(parseInt(key, value, 0)); break;
                case "quorum.two_node": b.twoNode(parseBool(key, value)); break;
                case "quorum.wait_for_all": b.waitForAll(parseBool(key, value)); break;
                case "quorum.last_man_standing": b.lastManStanding(parseBool(key, value)); break;
                case "quorum.last_man_standing_window": b.lastManStandingWindowMs(parseInt(key, value, 1)); break;
                case "quorum.auto_tie_breaker": b.autoTieBreaker(parseBool(key, value)); break;
                case "quorum.auto_tie_breaker_node": b.tieBreaker(TieBreaker.parse(value)); b.tieBreakerGiven = true; break;
                case "quorum.allow_downscale": b.allowDownscale(parseBool(key, value)); break;
                case "quorum.expected_votes_tracking": b.expectedVotesTracking(parseBool(key, value)); break;
                default:
                    if (key.startsWith("quorum."))
                    {
                        b.extraWarnings.add(key + " is not supported by ringmaster and is ignored");
                    }
            }
        }
        for (final Map.Entry<Integer, Integer> e : votesByPos.entrySet())
        {
            if (!nodeIdByPos.containsKey(e.getKey()))
            {
                throw new QuorumConfigException("nodelist.node." + e.getKey() + ".nodeid",
                    "missing (needed to know whose quorum_votes these are)");
            }
        }
        for (final Map.Entry<Integer, Integer> e : nodeIdByPos.entrySet())
        {
            final int votes = votesByPos.getOrDefault(e.getKey(), 1);
            if (b.nodeVotes.containsKey(e.getValue()))
            {
                throw new QuorumConfigException("nodelist.node." + e.getKey() + ".nodeid",
                    "node id " + e.getValue() + " appears twice");
            }
            b.node(e.getValue(), votes);
        }
        if (haveDevice && !haveDeviceVotes)
        {
            // Corosync's rule: device votes default to nodes - 1, only computable when every node has 1 vote.
            final boolean allOnes = b.nodeVotes.values().stream().allMatch(v -> v == 1);
            if (b.expectedVotes > 0 || !allOnes || b.nodeVotes.isEmpty())
            {
                throw new QuorumConfigException("quorum.device.votes",
                    "must be given when quorum.expected_votes is set or not every node has 1 vote");
            }
            b.deviceVotes(b.nodeVotes.size() - 1);
        }
        return b.build();
    }

    private static int parseInt(final String key, final String value, final int min)
    {
        try
        {
            final long v = Long.parseLong(value);
            if (v < min || v > Integer.MAX_VALUE)
            {
                throw new QuorumConfigException(key, "must be an integer >= " + min + ", got '" + value + "'");
            }
            return (int)v;
        }
        catch (final NumberFormatException ex)
        {
            throw new QuorumConfigException(key, "must be an integer >= " + min + ", got '" + value + "'");
        }
    }

    private static boolean parseBool(final String key, final String value)
    {
        switch (value)
        {
            case "1": case "yes": case "on": case "true": return true;
            case "0": case "no": case "off": case "false": return false;
            default: throw new QuorumConfigException(key, "must be 0 or 1, got '" + value + "'");
        }
    }

    /** Mutable, single-use builder; {@link #build()} validates. */
    public static final class Builder
    {
        private final SortedMap<Integer, Integer> nodeVotes = new TreeMap<>();
        private final List<String> extraWarnings = new ArrayList<>();
        private int expectedVotes;
        private int defaultVotes = 1;
        private boolean twoNode;
        private Boolean waitForAll;
        private boolean lastManStanding;
        private long lastManStandingWindowMs = DEFAULT_LMS_WINDOW_MS;
        private boolean autoTieBreaker;
        private TieBreaker tieBreaker = TieBreaker.LOWEST;
        private boolean tieBreakerGiven;
        private boolean allowDownscale;
        private boolean expectedVotesTracking;
        private int deviceVotes;

        private Builder()
        {
        }

        /** Adds a nodelist entry ({@code nodelist.node.N.nodeid} with {@code quorum_votes}). */
        public Builder node(final int nodeId, final int votes)
        {
            if (nodeId <= 0)
            {
                throw new QuorumConfigException("nodelist.node.nodeid", "must be positive, got " + nodeId);
            }
            if (votes < 0)
            {
                throw new QuorumConfigException("nodelist.node." + nodeId + ".quorum_votes", "must be >= 0, got " + votes);
            }
            nodeVotes.put(nodeId, votes);
            return this;
        }

        /** Adds nodes 1..n with the given votes, in order. */
        public Builder nodesWithVotes(final int... votes)
        {
            for (int i = 0; i < votes.length; i++)
            {
                node(i + 1, votes[i]);
            }
            return this;
        }

        public Builder expectedVotes(final int expectedVotes)
        {
            this.expectedVotes = expectedVotes;
            return this;
        }

        public Builder defaultVotes(final int votes)
        {
            this.defaultVotes = votes;
            return this;
        }

        public Builder twoNode(final boolean twoNode)
        {
            this.twoNode = twoNode;
            return this;
        }

        public Builder waitForAll(final boolean waitForAll)
        {
            this.waitForAll = waitForAll;
            return this;
        }

        public Builder lastManStanding(final boolean lastManStanding)
        {
            this.lastManStanding = lastManStanding;
            return this;
        }

        public Builder lastManStandingWindowMs(final long windowMs)
        {
            this.lastManStandingWindowMs = windowMs;
            return this;
        }

        public Builder autoTieBreaker(final boolean autoTieBreaker)
        {
            this.autoTieBreaker = autoTieBreaker;
            return this;
        }

        public Builder tieBreaker(final TieBreaker tieBreaker)
        {
            this.tieBreaker = tieBreaker;
            this.tieBreakerGiven = true;
            return this;
        }

        public Builder allowDownscale(final boolean allowDownscale)
        {
            this.allowDownscale = allowDownscale;
            return this;
        }

        public Builder expectedVotesTracking(final boolean tracking)
        {
            this.expectedVotesTracking = tracking;
            return this;
        }

        public Builder deviceVotes(final int deviceVotes)
        {
            this.deviceVotes = deviceVotes;
            return this;
        }

        /** Validates once and freezes. */
        public QuorumConfig build()
        {
            final List<String> warnings = new ArrayList<>(extraWarnings);
            if (nodeVotes.isEmpty() && expectedVotes <= 0)
            {
                throw new QuorumConfigException("quorum.expected_votes",
                    "nodelist or quorum.expected_votes must be configured");
            }
            if (expectedVotes < 0)
            {
                throw new QuorumConfigException("quorum.expected_votes", "must be >= 1, got " + expectedVotes);
            }
            if (defaultVotes < 0)
            {
                throw new QuorumConfigException("quorum.votes", "must be >= 0, got " + defaultVotes);
            }
            if (deviceVotes < 0)
            {
                throw new QuorumConfigException("quorum.device.votes", "must be >= 0, got " + deviceVotes);
            }
            if (lastManStandingWindowMs < 1)
            {
                throw new QuorumConfigException("quorum.last_man_standing_window",
                    "must be >= 1 ms, got " + lastManStandingWindowMs);
            }
            final boolean device = deviceVotes > 0;
            if (twoNode)
            {
                if (!nodeVotes.isEmpty() && nodeVotes.size() != 2)
                {
                    throw new QuorumConfigException("quorum.two_node",
                        "needs exactly 2 nodes in the nodelist, found " + nodeVotes.size());
                }
                if (device)
                {
                    throw new QuorumConfigException("quorum.two_node",
                        "two_node and quorum.device.votes=" + deviceVotes + " cannot be configured together");
                }
                if (autoTieBreaker)
                {
                    // Corosync disables two_node here; we refuse so the operator decides which one was meant.
                    throw new QuorumConfigException("quorum.two_node",
                        "two_node and quorum.auto_tie_breaker=1 are not compatible (fence race vs node id)");
                }
            }
            if (device && lastManStanding)
            {
                throw new QuorumConfigException("quorum.last_man_standing",
                    "not compatible with a quorum device (quorum.device.votes=" + deviceVotes + ")");
            }
            if (device && autoTieBreaker)
            {
                throw new QuorumConfigException("quorum.auto_tie_breaker",
                    "not compatible with a quorum device (quorum.device.votes=" + deviceVotes + ")");
            }
            if (device && allowDownscale)
            {
                throw new QuorumConfigException("quorum.allow_downscale",
                    "not compatible with a quorum device (quorum.device.votes=" + deviceVotes + ")");
            }
            if (device && expectedVotes > 0 && expectedVotes - deviceVotes < 2)
            {
                throw new QuorumConfigException("quorum.device.votes",
                    deviceVotes + " is too high for quorum.expected_votes=" + expectedVotes);
            }
            final boolean wfa = waitForAll != null ? waitForAll : twoNode;
            boolean atb = autoTieBreaker;
            if (atb)
            {
                int sum = 0;
                for (final int v : nodeVotes.values())
                {
                    sum += v;
                }
                if (sum % 2 == 1 && !wfa)
                {
                    if (lastManStanding)
                    {
                        throw new QuorumConfigException("quorum.last_man_standing",
                            "auto_tie_breaker and last_man_standing need quorum.wait_for_all=1 in a cluster with an odd vote total (" + sum + ")");
                    }
                    warnings.add("quorum.auto_tie_breaker disabled: the cluster has an odd vote total (" + sum +
                        ") and quorum.wait_for_all is 0");
                    atb = false;
                }
                if (tieBreaker.mode() == TieBreaker.Mode.LIST)
                {
                    for (final int id : tieBreaker.nodes())
                    {
                        if (!nodeVotes.isEmpty() && !nodeVotes.containsKey(id))
                        {
                            warnings.add("quorum.auto_tie_breaker_node lists node " + id + " which is not in the nodelist");
                        }
                    }
                }
            }
            else if (tieBreakerGiven)
            {
                warnings.add("quorum.auto_tie_breaker_node is meaningless while quorum.auto_tie_breaker is 0");
            }
            if (lastManStanding && !wfa)
            {
                warnings.add("quorum.last_man_standing without quorum.wait_for_all: nodes that return partitioned " +
                    "can form a second quorate partition");
            }
            if (lastManStanding && nodeVotes.values().stream().anyMatch(v -> v != 1))
            {
                warnings.add("quorum.last_man_standing assumes every node has quorum_votes 1");
            }
            if (allowDownscale)
            {
                warnings.add("quorum.allow_downscale is incomplete in Corosync too; expected votes drop only on a clean leave" +
                    " (and, unlike Corosync, it does not switch on quorum.expected_votes_tracking; set that too if wanted)");
            }
            return new QuorumConfig(this, atb, warnings);
        }
    }
}
