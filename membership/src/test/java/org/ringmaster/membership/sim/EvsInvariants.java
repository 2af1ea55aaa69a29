package org.ringmaster.membership.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.ringmaster.membership.ConfigurationChange;

/**
 * Extended virtual synchrony, checked on the logs of a {@link SimCluster} run (TOTEM-NOTES §4):
 * unique configurations, configuration shape, delivery in exactly one configuration, identical
 * deliveries for members that move on together, no duplicates, one total order across nodes,
 * per-sender FIFO, self-delivery, and at the end one regular configuration per live component
 * with identical deliveries in it.
 */
public final class EvsInvariants
{
    private EvsInvariants()
    {
    }

    /** A node's deliveries within one configuration, and the configuration it installed next. */
    private record Segment(int node, String config, List<Long> messages, String next)
    {
    }

    /**
     * @param finalComponents the groups of live nodes that must each end in one regular
     *                        configuration of exactly those nodes (the run ended quiet and healed).
     */
    public static List<String> check(final SimCluster cluster, final int[]... finalComponents)
    {
        final List<String> v = new ArrayList<>();
        final Map<String, String> membersOfConfig = new HashMap<>();
        final Map<Long, String> regularOfMessage = new HashMap<>();
        final List<Segment> segments = new ArrayList<>();
        final Map<Integer, Map<Long, Integer>> position = new HashMap<>();

        for (final int id : cluster.ids())
        {
            final List<EvsEvent> log = cluster.log(id);
            final Map<Long, Integer> pos = new HashMap<>();
            position.put(id, pos);
            final Map<Integer, Long> lastCounter = new HashMap<>();
            String config = null;
            String regular = null;
            ConfigurationChange lastRegular = null;
            ConfigurationChange lastChange = null;
            long lastRegularSeq = -1;
            List<Long> current = null;
            int index = 0;
            for (final EvsEvent e : log)
            {
                switch (e.type())
                {
                    case CRASH:
                        if (current != null)
                        {
                            segments.add(new Segment(id, config, current, "CRASH"));
                        }
                        config = null;
                        regular = null;
                        current = null;
                        lastChange = null;
                        lastRegular = null;
                        break;
                    case CONFIGURATION:
                    {
                        final ConfigurationChange c = e.change();
                        final String key = EvsEvent.key(c);
                        final String members = Arrays.toString(c.members());
                        final String known = membersOfConfig.putIfAbsent(key, members);
                        if (known != null && !known.equals(members))
                        {
                            v.add("configuration " + key + " has members " + known + " and " + members + " (node " + id + ")");
                        }
                        if (!c.contains(id))
                        {
                            v.add("node " + id + " installed " + c + " without being a member");
                        }
                        if (c.isRegular())
                        {
                            if (lastChange != null && lastChange.isRegular())
                            {
                                v.add("node " + id + " installed regular " + key + " right after regular " +
                                    EvsEvent.key(lastChange) + " (no transitional configuration)");
                            }
                            if (lastChange != null && !lastChange.isRegular() && !subset(lastChange.members(), c.members()))
                            {
                                v.add("node " + id + ": transitional " + EvsEvent.key(lastChange) +
                                    " is not within the regular " + key);
                            }
                            if (c.ringSeq() <= lastRegularSeq)
                            {
                                v.add("node " + id + ": regular ring seq went from " + lastRegularSeq + " to " + c.ringSeq());
                            }
                            lastRegularSeq = c.ringSeq();
                            lastRegular = c;
                            regular = key;
                        }
                        else
                        {
                            if (lastChange == null || !lastChange.isRegular())
                            {
                                v.add("node " + id + ": transitional " + key + " does not follow a regular configuration");
                            }
                            else if (!subset(c.members(), lastRegular.members()))
                            {
                                v.add("node " + id + ": transitional " + key + " is not within the previous regular " +
                                    EvsEvent.key(lastRegular));
                            }
                        }
                        if (current != null)
                        {
                            segments.add(new Segment(id, config, current, key));
                        }
                        config = key;
                        current = new ArrayList<>();
                        lastChange = c;
                        break;
                    }
                    case DELIVERY:
                    {
                        final long m = e.messageId();
                        if (config == null)
                        {
                            v.add("node " + id + " delivered " + e + " outside any configuration");
                            break;
                        }
                        if (pos.put(m, index++) != null)
                        {
                            v.add("node " + id + " delivered " + e.sender() + "#" + e.counter() + " twice");
                        }
                        current.add(m);
                        final String known = regularOfMessage.putIfAbsent(m, regular);
                        if (known != null && !known.equals(regular))
                        {
                            v.add("message " + e.sender() + "#" + e.counter() + " delivered after regular " + known +
                                " at one node and after " + regular + " at node " + id);
                        }
                        final Long previous = lastCounter.put(e.sender(), e.counter());
                        if (previous != null && previous >= e.counter())
                        {
                            v.add("node " + id + " broke FIFO of sender " + e.sender() + ": " + previous + " then " +
                                e.counter());
                        }
                        break;
                    }
                    default:
                        break;
                }
            }
            if (current != null)
            {
                segments.add(new Segment(id, config, current, null));
            }
        }

        // Members of one configuration deliver prefixes of one sequence; identical if they move on together.
        final Map<String, List<Segment>> byConfig = new HashMap<>();
        segments.forEach(s -> byConfig.computeIfAbsent(s.config, k -> new ArrayList<>()).add(s));
        for (final List<Segment> group : byConfig.values())
        {
            for (int i = 0; i < group.size(); i++)
            {
                for (int j = i + 1; j < group.size(); j++)
                {
                    final Segment a = group.get(i);
                    final Segment b = group.get(j);
                    final int common = Math.min(a.messages.size(), b.messages.size());
                    if (!a.messages.subList(0, common).equals(b.messages.subList(0, common)))
                    {
                        if (!a.config.startsWith("TRANSITIONAL"))
                        {
                            v.add("nodes " + a.node + " and " + b.node + " delivered different sequences in " + a.config);
                        }
                        else if (a.next != null && a.next.equals(b.next))
                        {
                            v.add("nodes " + a.node + " and " + b.node + " delivered different sequences in " + a.config);
                        }
                    }
                    final boolean bothCurrent = a.next == null && b.next == null && cluster.isUp(a.node) &&
                        cluster.isUp(b.node);
                    if ((bothCurrent || (a.next != null && a.next.equals(b.next) && !"CRASH".equals(a.next))) &&
                        !a.messages.equals(b.messages))
                    {
                        v.add("nodes " + a.node + " and " + b.node + " both went from " + a.config + " to " + a.next +
                            " but delivered " + a.messages.size() + " and " + b.messages.size() + " messages in it");
                    }
                }
            }
        }

        // One total order: common messages in the same relative order at every pair of nodes.
        final int[] ids = cluster.ids();
        for (int i = 0; i < ids.length; i++)
        {
            for (int j = i + 1; j < ids.length; j++)
            {
                final Map<Long, Integer> p = position.get(ids[i]);
                final Map<Long, Integer> q = position.get(ids[j]);
                final List<long[]> both = new ArrayList<>();
                p.forEach((m, at) ->
                {
                    final Integer other = q.get(m);
                    if (other != null)
                    {
                        both.add(new long[] {at, other});
                    }
                });
                both.sort((x, y) -> Long.compare(x[0], y[0]));
                for (int k = 1; k < both.size(); k++)
                {
                    if (both.get(k)[1] < both.get(k - 1)[1])
                    {
                        v.add("nodes " + ids[i] + " and " + ids[j] + " delivered common messages in different orders");
                        break;
                    }
                }
            }
        }

        // Self-delivery: a sender that never crashed delivers everything it sent.
        for (final int id : ids)
        {
            if (cluster.lastCrash(id) < 0 && cluster.isUp(id))
            {
                final Set<Long> delivered = position.get(id).keySet();
                for (final long m : cluster.sentBy(id))
                {
                    if (!delivered.contains(m))
                    {
                        v.add("node " + id + " never delivered its own message #" + (m & 0xFF_FFFF_FFFFL));
                        break;
                    }
                }
            }
        }

        // Liveness: each final component ends in one regular configuration of exactly its members.
        for (final int[] component : finalComponents)
        {
            final int[] sorted = component.clone();
            Arrays.sort(sorted);
            String expected = null;
            for (final int id : sorted)
            {
                final List<EvsEvent> log = cluster.log(id);
                ConfigurationChange last = null;
                for (final EvsEvent e : log)
                {
                    if (e.type() == EvsEvent.Type.CONFIGURATION)
                    {
                        last = e.change();
                    }
                }
                if (last == null || !last.isRegular() || !Arrays.equals(last.members(), sorted))
                {
                    v.add("node " + id + " ended in " + last + ", not a regular configuration of " + Arrays.toString(sorted));
                }
                else if (expected == null)
                {
                    expected = EvsEvent.key(last);
                }
                else if (!expected.equals(EvsEvent.key(last)))
                {
                    v.add("node " + id + " ended in " + EvsEvent.key(last) + ", others in " + expected);
                }
            }
        }
        return v.size() > 30 ? v.subList(0, 30) : v;
    }

    private static boolean subset(final int[] small, final int[] big)
    {
        final Set<Integer> set = new HashSet<>();
        for (final int b : big)
        {
            set.add(b);
        }
        for (final int s : small)
        {
            if (!set.contains(s))
            {
                return false;
            }
        }
        return true;
    }
}
