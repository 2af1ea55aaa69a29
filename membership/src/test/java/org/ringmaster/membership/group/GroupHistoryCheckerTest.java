package org.ringmaster.membership.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ringmaster.totem.Guarantee;

/** The checker must catch what it claims to check, or a green simulation means nothing. */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class GroupHistoryCheckerTest
{
    private final GroupCluster cluster = new GroupCluster(1, 1, 2);
    private final MemberLog p = cluster.join(1, "g");
    private final MemberLog q = cluster.join(2, "g");
    private final GroupMember pm = new GroupMember(1, 1);
    private final GroupMember qm = new GroupMember(2, 1);

    private static GroupView view(final long id, final List<GroupMember> members, final GroupMember joined)
    {
        return new GroupView("g", id, 1, 1, true, members, List.of(new MemberChange(joined, MemberChange.Reason.JOIN)),
            List.of(), null);
    }

    private static MemberLog.Message msg(final String text)
    {
        return new MemberLog.Message(new GroupMember(1, 1), Guarantee.AGREED, text);
    }

    @Test
    void realHistoryPasses()
    {
        cluster.settle();
        cluster.send(p, Guarantee.AGREED);
        cluster.settle();
        assertThat(GroupHistoryChecker.check(cluster.logs, true)).isEmpty();
    }

    @Test
    void catchesOneViewIdWithTwoMemberLists()
    {
        p.events.add(view(7, List.of(pm, qm), pm));
        q.events.add(view(7, List.of(qm), qm));
        assertThat(GroupHistoryChecker.check(cluster.logs, false)).anyMatch(v -> v.contains("has members"));
    }

    @Test
    void catchesDifferentMessagesBetweenTheSameViews()
    {
        p.events.addAll(List.of(view(1, List.of(pm), pm), view(2, List.of(pm, qm), qm), msg("1/1.0#1"),
            view(3, List.of(pm, qm), qm)));
        q.events.addAll(List.of(view(2, List.of(pm, qm), qm), view(3, List.of(pm, qm), qm)));
        assertThat(GroupHistoryChecker.check(cluster.logs, false)).anyMatch(v -> v.contains("between views"));
    }

    @Test
    void catchesDuplicatesReorderingAndFifo()
    {
        p.events.addAll(List.of(view(1, List.of(pm, qm), pm), msg("1/1.0#2"), msg("1/1.0#1"), msg("1/1.0#1")));
        q.events.addAll(List.of(view(2, List.of(pm, qm), qm), msg("1/1.0#1"), msg("1/1.0#2")));
        assertThat(GroupHistoryChecker.check(cluster.logs, false))
            .anyMatch(v -> v.contains("twice"))
            .anyMatch(v -> v.contains("after #2"))
            .anyMatch(v -> v.contains("different orders"));
    }

    @Test
    void catchesMissingOwnJoinAndDivergentEnd()
    {
        cluster.settle();
        q.events.remove(0);
        q.events.add(new GroupView("g", 99, 9, 1, false, List.of(qm), List.of(), List.of(), null));
        assertThat(GroupHistoryChecker.check(cluster.logs, true))
            .anyMatch(v -> v.contains("first event is not its own join"))
            .anyMatch(v -> v.contains(" ends in "));
    }
}
