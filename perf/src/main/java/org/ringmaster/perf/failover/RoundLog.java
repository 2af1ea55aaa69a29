package org.ringmaster.perf.failover;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the nodes of one failover round reported: their configuration changes and delivery counts,
 * each stamped with the node's {@code System.nanoTime()} (CLOCK_MONOTONIC on Linux, shared by every
 * process on the host, so the parent's kill timestamp compares directly). Parses the node
 * protocol lines and answers the round's questions: did the ring converge, did the survivors
 * reform, and what do the figures say. Thread-safe: reader threads feed it while the round waits.
 *
 * <p>Node protocol (one line each, space separated):
 * <pre>
 * CONF t_ns T|R ring_seq rep REASON m1,m2,...
 * RATE t_ns delivered sent max_gap_ns   (longest pause of the node's duty cycle since the last RATE)
 * LEAVE t_ns
 * </pre>
 */
final class RoundLog
{
    /** One configuration change as a node delivered it. */
    record Change(int node, long atNs, boolean regular, long ringSeq, int rep, String reason, int[] members)
    {
        boolean isRing(final long seq, final int ringRep)
        {
            return ringSeq == seq && rep == ringRep;
        }
    }

    /** A node's delivery and send counters at one instant. */
    record Rate(long atNs, long delivered, long sent, long maxGapNs)
    {
    }

    /** The first configuration all nodes shared, and when the last of them delivered it. */
    record Converged(long ringSeq, int rep, int[] members, long atNs)
    {
    }

    /** One survivor's figures for the round. */
    record Survivor(int node, long detectNs, long transitionalNs, int spurious, int spuriousMemberChanges,
        String spuriousDetail, int changesAfter, String afterDetail,
        String reason, int[] members, double msgsPerSecond, long maxStallNs, long leaveCalledNs)
    {
    }

    private final Map<Integer, List<Change>> changes = new TreeMap<>();
    private final Map<Integer, List<Rate>> rates = new TreeMap<>();
    private final Map<Integer, Long> leaves = new TreeMap<>();

    /**
     * Take one line from node {@code node}.
     *
     * @return {@code false} if it is not a protocol line (the caller passes it on).
     * @throws IllegalArgumentException naming the node and the line, if a protocol line is malformed.
     */
    boolean accept(final int node, final String line)
    {
        final String[] f = line.trim().split(" ");
        try
        {
            switch (f[0])
            {
                case "CONF":
                    if (f.length != 7 || !("T".equals(f[2]) || "R".equals(f[2])))
                    {
                        throw new IllegalArgumentException("expected CONF t_ns T|R seq rep REASON members");
                    }
                    final int[] members = f[6].isEmpty() ? new int[0]
                        : Arrays.stream(f[6].split(",")).mapToInt(Integer::parseInt).sorted().toArray();
                    add(new Change(node, Long.parseLong(f[1]), "R".equals(f[2]), Long.parseLong(f[3]),
                        Integer.parseInt(f[4]), f[5], members));
                    return true;
                case "RATE":
                    if (f.length != 5)
                    {
                        throw new IllegalArgumentException("expected RATE t_ns delivered sent max_gap_ns");
                    }
                    synchronized (this)
                    {
                        rates.computeIfAbsent(node, k -> new ArrayList<>())
                            .add(new Rate(Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]),
                                Long.parseLong(f[4])));
                    }
                    return true;
                case "LEAVE":
                    if (f.length != 2)
                    {
                        throw new IllegalArgumentException("expected LEAVE t_ns");
                    }
                    synchronized (this)
                    {
                        leaves.put(node, Long.parseLong(f[1]));
                    }
                    return true;
                default:
                    return false;
            }
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("node " + node + ": malformed line '" + line + "': " + ex.getMessage(), ex);
        }
    }

    synchronized void add(final Change change)
    {
        changes.computeIfAbsent(change.node(), k -> new ArrayList<>()).add(change);
    }

    synchronized List<Change> changes(final int node)
    {
        return List.copyOf(changes.getOrDefault(node, List.of()));
    }

    /** The configuration every node in {@code all} is in now, if they all share one with exactly them. */
    synchronized Converged converged(final int[] all)
    {
        Change first = null;
        long at = Long.MIN_VALUE;
        for (final int node : all)
        {
            final Change last = lastRegular(node);
            if (last == null || !Arrays.equals(last.members(), all) ||
                (first != null && !last.isRing(first.ringSeq(), first.rep())))
            {
                return null;
            }
            first = first == null ? last : first;
            at = Math.max(at, last.atNs());
        }
        return first == null ? null : new Converged(first.ringSeq(), first.rep(), first.members(), at);
    }

    /** Whether every survivor delivered a regular configuration of exactly the survivors after {@code afterNs}. */
    synchronized boolean reformed(final int[] survivors, final long afterNs)
    {
        for (final int node : survivors)
        {
            if (firstRegularOf(node, survivors, afterNs) == null)
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Figures for each survivor: detection (event to the survivors' regular configuration),
     * spurious changes (after the node delivered the converged ring and before the event), changes
     * after the event, and the delivery rate over the quiet period.
     */
    synchronized List<Survivor> survivors(final Converged converged, final int[] survivors, final long eventNs,
        final int victim)
    {
        final List<Survivor> out = new ArrayList<>();
        for (final int node : survivors)
        {
            final Change reformed = firstRegularOf(node, survivors, eventNs);
            Change transitional = null;
            int after = 0;
            for (final Change c : changes.getOrDefault(node, List.of()))
            {
                if (c.atNs() >= eventNs)
                {
                    after++;
                    if (!c.regular() && transitional == null)
                    {
                        transitional = c;
                    }
                }
            }
            out.add(new Survivor(node,
                reformed == null ? -1 : reformed.atNs() - eventNs,
                transitional == null ? -1 : transitional.atNs() - eventNs,
                spurious(node, converged, eventNs), spuriousMemberChanges(node, converged, eventNs),
                spuriousDetail(node, converged, eventNs), after, afterDetail(node, eventNs),
                reformed == null ? "NONE" : reformed.reason(),
                reformed == null ? new int[0] : reformed.members(),
                rate(node, converged.atNs(), eventNs), maxStall(node, converged.atNs(), eventNs),
                leaves.getOrDefault(victim, -1L)));
        }
        return out;
    }

    /** Configuration changes {@code node} delivered after the converged ring and before {@code eventNs}. */
    synchronized int spurious(final int node, final Converged converged, final long eventNs)
    {
        return spuriousChanges(node, converged, eventNs).size();
    }

    /**
     * Spurious regular configurations whose members are not the converged ring's: a member was
     * wrongly declared gone (the rest, a ring re-formed with the same members after a lost token,
     * stalls delivery but changes no membership).
     */
    synchronized int spuriousMemberChanges(final int node, final Converged converged, final long eventNs)
    {
        int count = 0;
        for (final Change c : spuriousChanges(node, converged, eventNs))
        {
            if (c.regular() && !Arrays.equals(c.members(), converged.members()))
            {
                count++;
            }
        }
        return count;
    }

    /**
     * The spurious changes as {@code ms-after-convergence:T|R:REASON:members} separated by
     * spaces, so a report says what happened and when.
     */
    synchronized String spuriousDetail(final int node, final Converged converged, final long eventNs)
    {
        return describe(spuriousChanges(node, converged, eventNs), converged.atNs());
    }

    /** The changes {@code node} delivered from {@code eventNs} on, timed from it, as {@link #spuriousDetail}. */
    synchronized String afterDetail(final int node, final long eventNs)
    {
        return describe(changes.getOrDefault(node, List.of()).stream().filter(c -> c.atNs() >= eventNs).toList(),
            eventNs);
    }

    private static String describe(final List<Change> list, final long sinceNs)
    {
        final StringBuilder b = new StringBuilder();
        for (final Change c : list)
        {
            b.append(b.length() == 0 ? "" : " ").append((c.atNs() - sinceNs) / 1_000_000).append("ms:")
                .append(c.regular() ? 'R' : 'T').append(':').append(c.reason()).append(':')
                .append(Arrays.toString(c.members()).replace(" ", ""));
        }
        return b.toString();
    }

    private List<Change> spuriousChanges(final int node, final Converged converged, final long eventNs)
    {
        final List<Change> out = new ArrayList<>();
        boolean seen = false;
        for (final Change c : changes.getOrDefault(node, List.of()))
        {
            if (c.atNs() >= eventNs)
            {
                break;
            }
            if (seen)
            {
                out.add(c);
            }
            else if (c.regular() && c.isRing(converged.ringSeq(), converged.rep()))
            {
                seen = true;
            }
        }
        return out;
    }

    /** Delivered messages per second between the first and last rate samples inside [fromNs, toNs]. */
    synchronized double rate(final int node, final long fromNs, final long toNs)
    {
        Rate first = null;
        Rate last = null;
        for (final Rate r : rates.getOrDefault(node, List.of()))
        {
            if (r.atNs() >= fromNs && r.atNs() <= toNs)
            {
                first = first == null ? r : first;
                last = r;
            }
        }
        if (first == null || last.atNs() == first.atNs())
        {
            return 0;
        }
        return (last.delivered() - first.delivered()) * 1e9 / (last.atNs() - first.atNs());
    }

    /**
     * The longest pause of {@code node}'s duty cycle reported for [fromNs, toNs] (a sample covers
     * the period before it, so the first one after {@code toNs} is included).
     */
    synchronized long maxStall(final int node, final long fromNs, final long toNs)
    {
        long max = 0;
        for (final Rate r : rates.getOrDefault(node, List.of()))
        {
            if (r.atNs() > fromNs)
            {
                max = Math.max(max, r.maxGapNs());
                if (r.atNs() >= toNs)
                {
                    break;
                }
            }
        }
        return max;
    }

    private Change lastRegular(final int node)
    {
        final List<Change> list = changes.getOrDefault(node, List.of());
        for (int i = list.size() - 1; i >= 0; i--)
        {
            if (list.get(i).regular())
            {
                return list.get(i);
            }
        }
        return null;
    }

    private Change firstRegularOf(final int node, final int[] members, final long afterNs)
    {
        for (final Change c : changes.getOrDefault(node, List.of()))
        {
            if (c.regular() && c.atNs() >= afterNs && Arrays.equals(c.members(), members))
            {
                return c;
            }
        }
        return null;
    }
}
