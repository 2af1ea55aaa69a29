package org.ringmaster.membership.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ringmaster.membership.ConfigurationChange;
import org.ringmaster.membership.ConfigurationChange.Kind;
import org.ringmaster.membership.ConfigurationChange.Reason;
import org.ringmaster.membership.group.GroupCounters.Counter;
import org.ringmaster.membership.group.GroupMembership.Announcement;
import org.ringmaster.totem.Guarantee;

/** The deterministic core, driven directly with hand-written streams. */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class GroupMembershipTest
{
    private final List<String> out = new ArrayList<>();
    private final List<GroupView> views = new ArrayList<>();
    private final List<List<Announcement>> announced = new ArrayList<>();
    private final GroupCounters counters = new GroupCounters();
    private final GroupMembership core = new GroupMembership(1, new GroupMembership.Output()
    {
        @Override
        public void view(final GroupView view, final int[] localMemberIds)
        {
            views.add(view);
            out.add("view " + view.members() + (view.regular() ? " regular" : ""));
        }

        @Override
        public void message(final String group, final int[] localMemberIds, final GroupMember sender,
            final Guarantee guarantee, final DirectBuffer buffer, final int offset, final int length)
        {
            out.add("msg " + sender + " " + buffer.getStringWithoutLengthAscii(offset, length));
        }

        @Override
        public void announce(final long ringSeq, final int ringRep, final List<Announcement> localMembers)
        {
            announced.add(localMembers);
            out.add("announce " + ringSeq + " " + localMembers.size());
        }
    }, counters);

    private static ConfigurationChange regular(final long seq, final int... members)
    {
        return new ConfigurationChange(Kind.REGULAR, seq, members[0], members, new int[0], new int[0], Reason.MERGE);
    }

    private static ConfigurationChange transitional(final long seq, final int... members)
    {
        return new ConfigurationChange(Kind.TRANSITIONAL, seq, members[0], members, new int[0], new int[0],
            Reason.TOKEN_LOSS);
    }

    private void data(final int sender, final String text)
    {
        final UnsafeBuffer b = new UnsafeBuffer(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        core.onData(sender, "g", 1, Guarantee.AGREED, b, 0, b.capacity());
    }

    /** Bring node 1 into ring 1 of {1,2,3} with a settled group: 1/1 and 2/1 and 3/1. */
    private void settledRing()
    {
        core.onConfigurationChange(regular(1, 1, 2, 3));
        core.onSync(1, 1, 1, true, List.of());
        core.onSync(2, 1, 1, true, List.of());
        core.onSync(3, 1, 1, true, List.of());
        core.onJoin(1, "g", 1);
        core.onJoin(2, "g", 1);
        core.onJoin(3, "g", 1);
        out.clear();
        views.clear();
    }

    @Test
    void messagesDuringTheSyncWaitForItAndFollowTheRegularView()
    {
        settledRing();
        core.onConfigurationChange(transitional(2, 1, 2));
        core.onConfigurationChange(regular(2, 1, 2, 4));
        assertThat(announced.get(announced.size() - 1)).containsExactly(new Announcement("g", 1));
        data(2, "early");
        core.onJoin(4, "g", 7);
        core.onSync(1, 2, 1, true, List.of(new Announcement("g", 1)));
        core.onSync(2, 2, 1, false, List.of(new Announcement("g", 1)));
        core.onSync(4, 2, 1, true, List.of(new Announcement("g", 2)));
        assertThat(core.syncing()).isTrue();
        core.onSync(2, 2, 1, true, List.of());
        assertThat(core.syncing()).isFalse();
        assertThat(out).containsExactly(
            "view [1/1, 2/1]",                   // node 3 down, in the transitional configuration
            "announce 2 1",
            "view [1/1, 2/1, 4/2] regular",      // the sync: node 4's member arrives (MERGE)
            "msg 2/1 early",                     // then what was held back, in order
            "view [1/1, 2/1, 4/2, 4/7] regular");
        assertThat(views.get(0).left()).containsExactly(new MemberChange(new GroupMember(3, 1),
            MemberChange.Reason.NODE_DOWN));
        assertThat(views.get(1).joined()).containsExactly(new MemberChange(new GroupMember(4, 2),
            MemberChange.Reason.MERGE));
    }

    @Test
    void staleAndStrayAnnouncementsAreIgnored()
    {
        settledRing();
        core.onConfigurationChange(regular(5, 1, 2));
        core.onSync(2, 4, 1, true, List.of(new Announcement("g", 9)));
        assertThat(counters.get(Counter.SYNC_STALE)).isEqualTo(1);
        core.onSync(3, 5, 1, true, List.of(new Announcement("g", 9)));
        core.onSync(2, 5, 1, true, List.of());
        core.onSync(2, 5, 1, true, List.of(new Announcement("g", 9)));
        assertThat(counters.get(Counter.IGNORED)).isEqualTo(2);
        core.onSync(1, 5, 1, true, List.of(new Announcement("g", 1)));
        assertThat(core.members("g")).containsExactly(new GroupMember(1, 1));
    }

    @Test
    void oldRingJoinFromADepartedNodeIsIgnoredButItsDataIsDelivered()
    {
        settledRing();
        core.onConfigurationChange(transitional(2, 1, 2));
        core.onJoin(3, "g", 5);
        data(3, "recovered");
        assertThat(core.members("g")).containsExactly(new GroupMember(1, 1), new GroupMember(2, 1));
        assertThat(out).contains("msg 3/1 recovered");
        assertThat(counters.get(Counter.IGNORED)).isEqualTo(1);
    }

    @Test
    void syncCutShortAppliesWhatWasHeldBackAndTheNextSyncSettles()
    {
        settledRing();
        core.onConfigurationChange(regular(2, 1, 2, 3, 4));
        data(2, "held");
        core.onLeave(2, "g", 1);
        core.onSync(1, 2, 1, true, List.of(new Announcement("g", 1)));
        core.onConfigurationChange(transitional(3, 1, 3));
        assertThat(counters.get(Counter.SYNCS_ABORTED)).isEqualTo(1);
        assertThat(out).containsSubsequence("msg 2/1 held", "view [1/1, 3/1]");
        assertThat(views).noneMatch(GroupView::regular);
        core.onConfigurationChange(regular(3, 1, 3));
        core.onSync(1, 3, 1, true, List.of(new Announcement("g", 1)));
        core.onSync(3, 3, 1, true, List.of(new Announcement("g", 1)));
        assertThat(views.get(views.size() - 1).regular()).isTrue();
        assertThat(core.members("g")).containsExactly(new GroupMember(1, 1), new GroupMember(3, 1));
    }

    @Test
    void nodesWithDifferentHistoriesAgreeOnTheViewIdAfterASync()
    {
        // Node 1 saw group g as {1/1, 2/1}; a second core for node 5 saw {5/1}. After one sync in the
        // same ring both hold the same members under the same id.
        settledRing();
        final List<GroupView> other = new ArrayList<>();
        final GroupMembership node5 = new GroupMembership(5, new GroupMembership.Output()
        {
            @Override
            public void view(final GroupView view, final int[] localMemberIds)
            {
                other.add(view);
            }

            @Override
            public void message(final String group, final int[] ids, final GroupMember sender, final Guarantee g,
                final DirectBuffer buffer, final int offset, final int length)
            {
            }

            @Override
            public void announce(final long ringSeq, final int ringRep, final List<Announcement> localMembers)
            {
            }
        }, new GroupCounters());
        node5.onConfigurationChange(regular(1, 5));
        node5.onSync(5, 1, 5, true, List.of());
        node5.onJoin(5, "g", 1);
        for (final GroupMembership m : List.of(core, node5))
        {
            m.onConfigurationChange(regular(9, 1, 2, 5));
            m.onSync(1, 9, 1, true, List.of(new Announcement("g", 1)));
            m.onSync(2, 9, 1, true, List.of(new Announcement("g", 1)));
            m.onSync(5, 9, 1, true, List.of(new Announcement("g", 1)));
        }
        final GroupView mine = views.get(views.size() - 1);
        final GroupView theirs = other.get(other.size() - 1);
        assertThat(mine.viewId()).isEqualTo(theirs.viewId());
        assertThat(mine.members()).isEqualTo(theirs.members()).hasSize(3);
        assertThat(mine.joined()).extracting(c -> c.member().nodeId()).containsExactly(5);
        assertThat(theirs.joined()).extracting(c -> c.member().nodeId()).containsExactly(1, 2);
    }
}
