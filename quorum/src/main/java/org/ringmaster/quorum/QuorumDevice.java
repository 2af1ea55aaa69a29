package org.ringmaster.quorum;

/**
 * A tiebreaker that can add its votes ({@code quorum.device.votes}) to the partition this node is in:
 * a quorum disk or ping targets. Implementations are single-threaded and driven from the owner's
 * duty cycle; they never block for long and read no clock themselves.
 *
 * <p>How many votes a device is worth is cluster-wide configuration ({@link QuorumConfig#deviceVotes()}),
 * not a property of the device, so every node counts it the same. One device per node; to combine
 * tiebreakers, use ping as a qdisk heuristic (a program such as {@code ping -c1 gateway}).
 */
public interface QuorumDevice
{
    /** Short name for logs and metrics, e.g. {@code qdisk} or {@code ping}. */
    String name();

    /**
     * Advances the device (heartbeats, probes, heuristics) to {@code nowNs}.
     *
     * @return amount of work done, 0 when idle.
     */
    int doWork(long nowNs);

    /** Whether this node currently claims the device's votes for its partition. */
    boolean castsVote();

    /** The device's own health score (qdisk heuristics, number of reachable ping targets). */
    int score();

    /**
     * What the device sees, for status displays: short lower-case keys to one-line values (e.g. a
     * quorum disk's {@code master} and {@code online} nodes). Called on the owner's thread.
     */
    default java.util.SortedMap<String, String> details()
    {
        return java.util.Collections.emptySortedMap();
    }
}
