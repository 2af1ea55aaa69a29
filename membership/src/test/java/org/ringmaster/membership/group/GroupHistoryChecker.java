package org.ringmaster.membership.group;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks the group layer's guarantees on recorded member histories. Returns violations (empty when
 * all hold) so a failing seed can print all of them.
 *
 * <ul>
 *   <li>Same view id (in a group) means same members.</li>
 *   <li>Virtual synchrony: members that deliver the same two consecutive views delivered the same
 *       messages, in the same order, between them; members live at the end delivered the same
 *       messages after their (shared) last view.</li>
 *   <li>Any two members deliver the messages they both deliver in the same relative order; nobody
 *       delivers a message twice; one sender's messages arrive in the order it sent them.</li>
 *   <li>A member's first view is its own JOIN; it is in every view it gets except a final one that
 *       shows it leaving.</li>
 *   <li>Optionally (at quiescence): all live members of a group share one last view, it is regular,
 *       it lists exactly the live members, and its leader is the lowest of them.</li>
 * </ul>
 */
final class GroupHistoryChecker
{
    private GroupHistoryChecker()
    {
    }

    static List<String> check(final List<MemberLog> logs, final boolean quiescent)
    {
        final List<String> violations = new ArrayList<>();
        final Map<String, List<MemberLog>> byGroup = new HashMap<>();
        logs.forEach(l -> byGroup.computeIfAbsent(l.group(), k -> new ArrayList<>()).add(l));
        for (final Map.Entry<String, List<MemberLog>> e : byGroup.entrySet())
        {
            checkGroup(e.getKey(), e.getValue(), quiescent, violations);
        }
        return violations;
    }

    private static void checkGroup(final String group, final List<MemberLog> logs, final boolean quiescent,
        final List<String> violations)
    {
        final Map<Long, GroupView> viewsById = new HashMap<>();
        final Map<List<Long>, List<String>> segments = new HashMap<>();
        final Map<List<Long>, MemberLog> segmentOwner = new HashMap<>();
        for (final MemberLog log : logs)
        {
            checkOwnViews(log, violations);
            checkMessages(log, violations);
            Long current = null;
            List<String> texts = new ArrayList<>();
            for (final Object event : log.events)
            {
                if (event instanceof GroupView view)
                {
                    final GroupView seen = viewsById.putIfAbsent(view.viewId(), view);
                    if (seen != null && !seen.members().equals(view.members()))
                    {
                        violations.add(group + ": view " + Long.toHexString(view.viewId()) + " has members " +
                            seen.members() + " and " + view.members() + " (at " + log + ")");
                    }
                    if (current != null)
                    {
                        compareSegment(group, List.of(current, view.viewId()), texts, log, segments, segmentOwner,
                            violations);
                    }
                    current = view.viewId();
                    texts = new ArrayList<>();
                }
                else
                {
                    texts.add(((MemberLog.Message)event).text());
                }
            }
            if (current != null && quiescent && log.live())
            {
                compareSegment(group, List.of(current, 0L), texts, log, segments, segmentOwner, violations);
            }
        }
        checkPairwiseOrder(group, logs, violations);
        if (quiescent)
        {
            checkConverged(group, logs, violations);
        }
    }

    private static void compareSegment(final String group, final List<Long> key, final List<String> texts,
        final MemberLog log, final Map<List<Long>, List<String>> segments, final Map<List<Long>, MemberLog> owners,
        final List<String> violations)
    {
        final List<String> seen = segments.putIfAbsent(key, texts);
        if (seen != null && !seen.equals(texts))
        {
            violations.add(group + ": between views " + Long.toHexString(key.get(0)) + " and " +
                Long.toHexString(key.get(1)) + " " + owners.get(key) + " delivered " + seen + " but " + log +
                " delivered " + texts);
        }
        owners.putIfAbsent(key, log);
    }

    private static void checkOwnViews(final MemberLog log, final List<String> violations)
    {
        final List<GroupView> views = log.views();
        final GroupMember self = log.handle.member();
        if (views.isEmpty())
        {
            if (!log.events.isEmpty())
            {
                violations.add(log + ": messages before its join view");
            }
            return;
        }
        if (!(log.events.get(0) instanceof GroupView first) ||
            !first.joined().contains(new MemberChange(self, MemberChange.Reason.JOIN)))
        {
            violations.add(log + ": first event is not its own join: " + log.events.get(0));
        }
        for (int i = 0; i < views.size(); i++)
        {
            final GroupView v = views.get(i);
            final boolean last = i == views.size() - 1;
            if (!v.contains(self) && !(last && v.left().contains(new MemberChange(self, MemberChange.Reason.LEAVE))))
            {
                violations.add(log + ": not in its own view " + v);
            }
        }
    }

    private static void checkMessages(final MemberLog log, final List<String> violations)
    {
        final Set<String> seen = new HashSet<>();
        final Map<String, Integer> lastFromSender = new HashMap<>();
        for (final String text : log.texts())
        {
            if (!seen.add(text))
            {
                violations.add(log + ": delivered " + text + " twice");
            }
            final String sender = text.substring(0, text.indexOf('#'));
            final int n = Integer.parseInt(text.substring(text.indexOf('#') + 1));
            final Integer previous = lastFromSender.put(sender, n);
            if (previous != null && previous > n)
            {
                violations.add(log + ": delivered " + text + " after #" + previous + " from the same sender");
            }
        }
    }

    private static void checkPairwiseOrder(final String group, final List<MemberLog> logs,
        final List<String> violations)
    {
        for (int i = 0; i < logs.size(); i++)
        {
            final Map<String, Integer> position = new HashMap<>();
            final List<String> a = logs.get(i).texts();
            for (int k = 0; k < a.size(); k++)
            {
                position.put(a.get(k), k);
            }
            for (int j = i + 1; j < logs.size(); j++)
            {
                int last = -1;
                for (final String text : logs.get(j).texts())
                {
                    final Integer p = position.get(text);
                    if (p != null)
                    {
                        if (p < last)
                        {
                            violations.add(group + ": " + logs.get(i) + " and " + logs.get(j) + " deliver " + text +
                                " in different orders");
                            break;
                        }
                        last = p;
                    }
                }
            }
        }
    }

    private static void checkConverged(final String group, final List<MemberLog> logs, final List<String> violations)
    {
        final List<MemberLog> live = logs.stream().filter(MemberLog::live).toList();
        if (live.isEmpty())
        {
            return;
        }
        final TreeSet<GroupMember> expected = new TreeSet<>();
        live.forEach(l -> expected.add(l.handle.member()));
        final GroupView reference = live.get(0).lastView();
        for (final MemberLog log : live)
        {
            final GroupView last = log.lastView();
            if (last == null || last.viewId() != reference.viewId())
            {
                violations.add(group + ": " + log + " ends in " + last + ", " + live.get(0) + " in " + reference);
                continue;
            }
            if (!last.regular())
            {
                violations.add(group + ": " + log + " ends in a non-regular view " + last);
            }
            if (!last.members().equals(List.copyOf(expected)))
            {
                violations.add(group + ": " + log + " ends with members " + last.members() + ", live are " + expected);
            }
            if (!last.leader().equals(java.util.Optional.of(expected.first())))
            {
                violations.add(group + ": leader " + last.leader() + " is not the lowest live member " + expected.first());
            }
            if (log.handle.isLeader() != log.handle.member().equals(expected.first()))
            {
                violations.add(group + ": " + log + " isLeader=" + log.handle.isLeader());
            }
        }
    }
}
