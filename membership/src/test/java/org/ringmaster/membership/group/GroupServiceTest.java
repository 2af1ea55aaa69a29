package org.ringmaster.membership.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ringmaster.membership.ConfigurationChange;
import org.ringmaster.membership.group.GroupHandle.State;
import org.ringmaster.membership.group.MemberChange.Reason;
import org.ringmaster.totem.Guarantee;

@Timeout(value = 1, unit = TimeUnit.MINUTES)
class GroupServiceTest
{
    private static GroupMember m(final int node, final int member)
    {
        return new GroupMember(node, member);
    }

    @Test
    void twoGroupsShareARingWithoutSeeingEachOther()
    {
        final GroupCluster c = new GroupCluster(1, 1, 2, 3);
        final MemberLog a1 = c.join(1, "alpha");
        final MemberLog a2 = c.join(2, "alpha");
        final MemberLog b2 = c.join(2, "beta");
        final MemberLog b2bis = c.join(2, "beta");
        final MemberLog b3 = c.join(3, "beta");
        c.settle();
        assertThat(List.of(a1, a2, b2, b2bis, b3)).allMatch(l -> l.handle.state() == State.JOINED);

        final String fromA = c.send(a1, Guarantee.AGREED);
        final String fromB = c.send(b3, Guarantee.SAFE);
        final String fromB2 = c.send(b2bis, Guarantee.AGREED);
        c.settle();

        assertThat(a1.texts()).containsExactly(fromA);
        assertThat(a2.texts()).containsExactly(fromA);
        assertThat(b2.texts()).containsExactlyInAnyOrder(fromB, fromB2).isEqualTo(b3.texts()).isEqualTo(b2bis.texts());
        assertThat(a2.lastView().members()).containsExactly(a1.handle.member(), a2.handle.member());
        assertThat(b3.lastView().members()).containsExactly(b2.handle.member(), b2bis.handle.member(),
            b3.handle.member());
        assertThat(b2.events).filteredOn(MemberLog.Message.class::isInstance)
            .anyMatch(e -> ((MemberLog.Message)e).guarantee() == Guarantee.SAFE);
        assertThat(c.service(1).members("beta")).containsExactlyElementsOf(b3.lastView().members());
        assertThat(GroupHistoryChecker.check(c.logs, true)).isEmpty();
    }

    @Test
    void joinLeaveAndMessagesAreSeenInOneOrder()
    {
        final GroupCluster c = new GroupCluster(2, 1, 2, 3);
        final MemberLog x = c.join(1, "g");
        final MemberLog y = c.join(2, "g");
        c.settle();
        final String beforeZ = c.send(x, Guarantee.AGREED);
        c.settle();
        final MemberLog z = c.join(3, "g");
        c.settle();
        final String afterZ = c.send(y, Guarantee.AGREED);
        c.settle();
        y.handle.leave();
        assertThat(y.handle.state()).isEqualTo(State.LEAVING);
        c.settle();
        final String afterLeave = c.send(z, Guarantee.AGREED);
        c.settle();

        assertThat(y.handle.state()).isEqualTo(State.LEFT);
        assertThat(x.texts()).containsExactly(beforeZ, afterZ, afterLeave);
        assertThat(z.texts()).containsExactly(afterZ, afterLeave);
        assertThat(y.texts()).containsExactly(beforeZ, afterZ);
        final GroupView leaveView = y.lastView();
        assertThat(leaveView.left()).containsExactly(new MemberChange(y.handle.member(), Reason.LEAVE));
        assertThat(leaveView.members()).containsExactly(x.handle.member(), z.handle.member());
        assertThat(z.views().get(0).joined()).containsExactly(new MemberChange(z.handle.member(), Reason.JOIN));
        assertThat(x.views()).extracting(GroupView::viewId).containsSubsequence(
            z.views().stream().map(GroupView::viewId).toList());
        assertThat(x.views()).allMatch(GroupView::regular);
        assertThat(GroupHistoryChecker.check(c.logs, true)).isEmpty();
    }

    @Test
    void memberLeavingBeforeItsJoinIsOrderedSeesBoth()
    {
        final GroupCluster c = new GroupCluster(3, 1, 2);
        final MemberLog other = c.join(2, "g");
        c.settle();
        final MemberLog quick = c.join(1, "g");
        quick.handle.leave();
        c.settle();
        assertThat(quick.views()).hasSize(2);
        assertThat(quick.handle.state()).isEqualTo(State.LEFT);
        assertThat(other.lastView().members()).containsExactly(other.handle.member());
        assertThat(c.service(1).localMemberCount()).isZero();
    }

    @Test
    void crashedNodesMembersLeaveWithNodeDownThenARegularViewFollows()
    {
        final GroupCluster c = new GroupCluster(4, 1, 2, 3);
        final MemberLog m1 = c.join(1, "g");
        final MemberLog m3 = c.join(3, "g");
        final MemberLog m3b = c.join(3, "g");
        final MemberLog m2 = c.join(2, "g");
        c.settle();
        assertThat(m1.handle.isLeader()).isTrue();

        c.crash(1);
        c.settle();

        for (final MemberLog log : List.of(m2, m3, m3b))
        {
            final List<GroupView> views = log.views();
            final GroupView down = views.get(views.size() - 2);
            assertThat(down.left()).containsExactly(new MemberChange(m1.handle.member(), Reason.NODE_DOWN));
            assertThat(down.cause()).isEqualTo(ConfigurationChange.Reason.TOKEN_LOSS);
            assertThat(down.regular()).isFalse();
            assertThat(down.leader()).isEmpty();
            final GroupView settled = log.lastView();
            assertThat(settled.regular()).isTrue();
            assertThat(settled.joined()).isEmpty();
            assertThat(settled.left()).isEmpty();
            assertThat(settled.members()).containsExactly(m2.handle.member(), m3.handle.member(), m3b.handle.member());
            assertThat(settled.leader()).contains(m2.handle.member());
        }
        assertThat(m2.handle.isLeader()).isTrue();
        assertThat(m3.handle.isLeader()).isFalse();
        final String after = c.send(m3b, Guarantee.AGREED);
        c.settle();
        assertThat(m2.texts()).endsWith(after);
        assertThat(GroupHistoryChecker.check(c.logs, true)).isEmpty();
    }

    @Test
    void cleanShutdownIsNodeDownCausedByLeave()
    {
        final GroupCluster c = new GroupCluster(5, 1, 2);
        c.join(1, "g");
        final MemberLog m2 = c.join(2, "g");
        c.settle();
        c.shutdown(1);
        c.settle();
        final GroupView down = m2.views().get(m2.views().size() - 2);
        assertThat(down.left()).extracting(MemberChange::reason).containsExactly(Reason.NODE_DOWN);
        assertThat(down.cause()).isEqualTo(ConfigurationChange.Reason.LEAVE);
    }

    @Test
    void partitionThenMergeConvergesOnOneMembership()
    {
        final GroupCluster c = new GroupCluster(6, 1, 2, 3, 4);
        final MemberLog[] logs = {c.join(1, "g"), c.join(2, "g"), c.join(3, "g"), c.join(4, "g")};
        c.settle();

        c.evs.partition(List.of(Set.of(1, 2), Set.of(3, 4)));
        c.settle();
        assertThat(logs[0].lastView().members()).containsExactly(m(1, 1), m(2, 1));
        assertThat(logs[2].lastView().members()).containsExactly(m(3, 1), m(4, 1));
        assertThat(logs[0].lastView().leader()).contains(m(1, 1));
        assertThat(logs[3].lastView().leader()).contains(m(3, 1));
        // Each side goes on: a member leaves on one side, one joins on the other, both sides talk.
        logs[1].handle.leave();
        final MemberLog late = c.join(4, "g");
        c.send(logs[0], Guarantee.AGREED);
        c.send(logs[2], Guarantee.AGREED);
        c.settle();

        c.evs.mergeAll();
        c.settle();
        final GroupView merged = logs[0].lastView();
        assertThat(merged.members()).containsExactly(m(1, 1), m(3, 1), m(4, 1), late.handle.member());
        assertThat(merged.joined()).extracting(MemberChange::reason).containsOnly(Reason.MERGE);
        assertThat(merged.cause()).isEqualTo(ConfigurationChange.Reason.MERGE);
        assertThat(logs[3].lastView().viewId()).isEqualTo(merged.viewId());
        assertThat(logs[3].lastView().joined()).containsExactly(new MemberChange(m(1, 1), Reason.MERGE));
        assertThat(GroupHistoryChecker.check(c.logs, true)).isEmpty();
    }

    @Test
    void syncCutShortByAnotherChangeStillConverges()
    {
        final GroupCluster c = new GroupCluster(7, 1, 2, 3, 4);
        final MemberLog[] logs = {c.join(1, "g"), c.join(2, "g"), c.join(3, "g"), c.join(4, "g")};
        c.settle();
        c.evs.partition(List.of(Set.of(1, 2), Set.of(3, 4)));
        c.settle();
        c.evs.mergeAll();
        // Some of the sync is delivered, then node 2 crashes before it completes.
        c.evs.steps(3);
        final MemberLog extra = c.join(3, "g");
        c.evs.steps(2);
        c.crash(2);
        c.settle();
        assertThat(c.service(1).counters().get(GroupCounters.Counter.SYNCS_ABORTED)).isPositive();
        assertThat(logs[0].lastView().members()).containsExactly(m(1, 1), m(3, 1), extra.handle.member(), m(4, 1));
        assertThat(logs[0].lastView().regular()).isTrue();
        assertThat(GroupHistoryChecker.check(c.logs, true)).isEmpty();
    }

    @Test
    void restartedNodeComesBackWithNewMembersOnly()
    {
        final GroupCluster c = new GroupCluster(8, 1, 2, 3);
        c.join(1, "g");
        c.join(2, "g");
        final MemberLog old3 = c.join(3, "g");
        c.settle();
        c.crash(3);
        c.settle();
        c.restart(3);
        final MemberLog new3 = c.join(3, "g");
        c.settle();
        // Alone in its own ring, the new member sees only itself.
        assertThat(new3.lastView().members()).containsExactly(m(3, 1));
        c.evs.mergeAll();
        c.settle();
        assertThat(new3.lastView().members()).containsExactly(m(1, 1), m(2, 1), m(3, 1));
        assertThat(old3.dead).isTrue();
        assertThat(GroupHistoryChecker.check(c.logs, true)).isEmpty();
    }

    @Test
    void leaderIsLowestNodeThenMemberOfARegularView()
    {
        final GroupCluster c = new GroupCluster(9, 1, 2, 3);
        final MemberLog n3 = c.join(3, "g");
        final MemberLog n2a = c.join(2, "g");
        final MemberLog n2b = c.join(2, "g");
        c.settle();
        assertThat(n3.lastView().leader()).contains(n2a.handle.member());
        assertThat(n2a.handle.isLeader()).isTrue();
        assertThat(n2b.handle.isLeader()).isFalse();
        n2a.handle.leave();
        c.settle();
        assertThat(n3.lastView().leader()).contains(n2b.handle.member());
        assertThat(n2b.handle.isLeader()).isTrue();
        final MemberLog n1 = c.join(1, "g");
        c.settle();
        assertThat(List.of(n1, n2b, n3)).allMatch(l -> l.lastView().leader().equals(Optional.of(n1.handle.member())));

        final GroupView changing = new GroupView("g", 1, 1, 1, false, List.of(m(1, 1)), List.of(), List.of(), null);
        assertThat(changing.leader()).isEmpty();
        final GroupView empty = new GroupView("g", 1, 1, 1, true, List.of(), List.of(), List.of(), null);
        assertThat(empty.leader()).isEmpty();
    }

    @Test
    void listenerThatThrowsIsCountedAndTheStreamGoesOn()
    {
        final GroupCluster c = new GroupCluster(10, 1, 2);
        final GroupListener throwing = new GroupListener()
        {
            @Override
            public void onView(final GroupHandle self, final GroupView view)
            {
                throw new IllegalStateException("boom");
            }

            @Override
            public void onMessage(final GroupHandle self, final GroupMember sender, final Guarantee guarantee,
                final org.agrona.DirectBuffer buffer, final int offset, final int length)
            {
                throw new IllegalStateException("boom");
            }
        };
        final GroupHandle bad = c.service(1).join("g", throwing);
        final MemberLog good = c.join(1, "g");
        final MemberLog remote = c.join(2, "g");
        c.settle();
        final String text = c.send(remote, Guarantee.AGREED);
        c.settle();
        assertThat(bad.state()).isEqualTo(State.JOINED);
        assertThat(good.texts()).containsExactly(text);
        assertThat(c.service(1).counters().get(GroupCounters.Counter.LISTENER_ERRORS)).isGreaterThanOrEqualTo(3);
    }

    @Test
    void listenerMayLeaveAndSendFromItsCallback()
    {
        final GroupCluster c = new GroupCluster(11, 1, 2);
        final MemberLog echo = new MemberLog(0)
        {
            @Override
            public void onMessage(final GroupHandle self, final GroupMember sender, final Guarantee guarantee,
                final org.agrona.DirectBuffer buffer, final int offset, final int length)
            {
                super.onMessage(self, sender, guarantee, buffer, offset, length);
                if (!sender.equals(self.member()))
                {
                    final byte[] reply = MemberLog.bytes(self.member() + ".0#1000000");
                    self.multicast(new org.agrona.concurrent.UnsafeBuffer(reply), 0, reply.length, guarantee);
                    self.leave();
                }
            }
        };
        echo.handle = c.service(2).join("g", echo);
        c.logs.add(echo);
        final MemberLog asker = c.join(1, "g");
        c.settle();
        final String question = c.send(asker, Guarantee.AGREED);
        c.settle();
        assertThat(asker.texts()).containsExactly(question, "2/1.0#1000000");
        assertThat(echo.handle.state()).isEqualTo(State.LEFT);
        assertThat(asker.lastView().members()).containsExactly(asker.handle.member());
    }
}
