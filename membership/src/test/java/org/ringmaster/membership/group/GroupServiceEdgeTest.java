package org.ringmaster.membership.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ringmaster.membership.group.GroupCounters.Counter;
import org.ringmaster.membership.group.GroupHandle.State;
import org.ringmaster.totem.Guarantee;

@Timeout(value = 1, unit = TimeUnit.MINUTES)
class GroupServiceEdgeTest
{
    @Test
    void badArgumentsAreRefusedWithTheReason()
    {
        final GroupCluster c = new GroupCluster(1, 1);
        final GroupService s = c.service(1);
        final MemberLog log = new MemberLog(0);
        assertThatThrownBy(() -> s.join("", log)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> s.join("a\tb", log)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("index 1").hasMessageContaining("\\u0009");
        assertThatThrownBy(() -> s.join("g", 0, log)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("member id must be > 0, was 0");
        final GroupHandle h = s.join("g", 5, log);
        assertThatThrownBy(() -> s.join("g", 5, new MemberLog(0))).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("member id 5 is in use in group \"g\" on node 1");
        assertThat(s.join("other", 5, new MemberLog(0)).member()).isEqualTo(new GroupMember(1, 5));
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[2000]);
        assertThatThrownBy(() -> h.multicast(payload, 0, 1, Guarantee.AGREED)).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("JOINING");
        c.settle();
        assertThat(h.state()).isEqualTo(State.JOINED);
        assertThat(h.maxPayloadLength()).isEqualTo(1024 - 10 - 1);
        assertThatThrownBy(() -> h.multicast(payload, 0, 2000, Guarantee.AGREED))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exceeds");
        assertThat(h.multicast(payload, 0, h.maxPayloadLength(), Guarantee.AGREED)).isTrue();
        h.leave();
        h.leave();
        c.settle();
        assertThatThrownBy(() -> h.multicast(payload, 0, 1, Guarantee.AGREED)).hasMessageContaining("LEFT");
        // The id is free again once the leave is ordered.
        assertThat(s.join("g", 5, new MemberLog(0)).state()).isEqualTo(State.JOINING);
    }

    @Test
    void groupNameThatCannotBeAnnouncedInOneMessageIsRefused()
    {
        final GroupCluster c = new GroupCluster(new FakeEvsCluster(5, 40), 1);
        assertThat(c.service(1).join("fits-in-40", new MemberLog(0)).member().memberId()).isPositive();
        assertThatThrownBy(() -> c.service(1).join("x".repeat(20), new MemberLog(0)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not fit the channel's 40-byte");
    }

    @Test
    void controlMessagesWaitOutBackPressureAndDataReportsIt()
    {
        final GroupCluster c = new GroupCluster(2, 1, 2);
        final MemberLog remote = c.join(2, "g");
        c.settle();
        final FakeEvsCluster.Channel channel = c.evs.channel(1);
        channel.capacity(0);
        final MemberLog local = c.join(1, "g");
        c.settle();
        assertThat(local.handle.state()).isEqualTo(State.JOINING);
        assertThat(c.service(1).counters().get(Counter.BACK_PRESSURE)).isPositive();
        assertThat(c.service(1).doWork()).isZero();

        channel.capacity(Integer.MAX_VALUE);
        assertThat(c.service(1).doWork()).isEqualTo(1);
        c.settle();
        assertThat(local.handle.state()).isEqualTo(State.JOINED);

        channel.capacity(0);
        final byte[] bytes = MemberLog.bytes("x");
        assertThat(local.handle.multicast(new UnsafeBuffer(bytes), 0, 1, Guarantee.AGREED)).isFalse();
        // A configuration change while blocked: the sync announcement waits too, and the sync completes later.
        c.evs.partition(List.of(Set.of(1), Set.of(2)));
        c.evs.mergeAll();
        c.settle();
        assertThat(c.service(1).membership().syncing()).isTrue();
        channel.capacity(Integer.MAX_VALUE);
        c.service(1).doWork();
        c.settle();
        assertThat(c.service(1).membership().syncing()).isFalse();
        assertThat(remote.lastView().members()).containsExactly(local.handle.member(), remote.handle.member());
        assertThat(remote.lastView().regular()).isTrue();
        assertThat(GroupHistoryChecker.check(c.logs, true)).isEmpty();
    }

    @Test
    void largeAnnouncementsAreChunkedToTheChannelsMessageSize()
    {
        final GroupCluster c = new GroupCluster(new FakeEvsCluster(3, 96), 1, 2, 3);
        final List<MemberLog> many = new ArrayList<>();
        for (int i = 0; i < 12; i++)
        {
            many.add(c.join(1 + i % 2, "a-rather-long-group-name-" + (i % 3)));
        }
        final MemberLog watcher = c.join(3, "a-rather-long-group-name-0");
        c.settle();
        c.evs.partition(List.of(Set.of(1, 2), Set.of(3)));
        c.settle();
        assertThat(watcher.lastView().members()).containsExactly(watcher.handle.member());
        final long before = c.evs.deliveredCount();
        c.evs.mergeAll();
        c.settle();
        // 12 entries of ~31 bytes in 96-byte messages: several sync messages per node.
        assertThat(c.evs.deliveredCount() - before).isGreaterThan(6);
        assertThat(watcher.lastView().members()).hasSize(5);
        assertThat(GroupHistoryChecker.check(c.logs, true)).isEmpty();
    }

    @Test
    void countersArePublishedToMicrometer()
    {
        final GroupCluster c = new GroupCluster(4, 1, 2);
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new GroupMetrics(c.service(1)).bindTo(registry);
        c.join(1, "g");
        c.settle();
        c.evs.channel(2).offer(new UnsafeBuffer(new byte[3]), 0, 3, Guarantee.AGREED);
        c.settle();
        assertThat(registry.get("ringmaster.membership.group.malformed").tag("node", "1").functionCounter().count())
            .isEqualTo(1.0);
        assertThat(registry.get("ringmaster.membership.group.views.delivered").functionCounter().count()).isEqualTo(1.0);
        assertThat(registry.get("ringmaster.membership.group.local.members").gauge().value()).isEqualTo(1.0);
        assertThat(c.service(1).counters().toString()).contains("malformed=1");
    }
}
