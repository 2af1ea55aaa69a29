package org.ringmaster.membership.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ringmaster.membership.EvsChannel;
import org.ringmaster.totem.Guarantee;

/**
 * How an application uses process groups, end to end: join, wait to be in, send, receive, follow
 * the leader, leave. Two nodes share one EVS channel cluster whose delivery runs on its own thread,
 * as the Totem agent's does; the application calls the API from the test thread.
 */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class GroupApiExampleTest
{
    /** An application's listener: everything arrives on the channel's thread, in the group's order. */
    static final class Inventory implements GroupListener
    {
        final List<String> received = new CopyOnWriteArrayList<>();
        volatile GroupView view;

        @Override
        public void onView(final GroupHandle self, final GroupView view)
        {
            // members(), joined()/left() with reasons (JOIN, LEAVE, NODE_DOWN, MERGE), leader() when regular.
            this.view = view;
        }

        @Override
        public void onMessage(final GroupHandle self, final GroupMember sender, final Guarantee guarantee,
            final DirectBuffer buffer, final int offset, final int length)
        {
            // The buffer is only valid during the call: copy what you keep.
            received.add(sender + ": " + buffer.getStringWithoutLengthUtf8(offset, length));
        }
    }

    @Test
    void applicationJoinsSendsReceivesAndLeaves() throws InterruptedException
    {
        final FakeEvsCluster cluster = new FakeEvsCluster(42);
        // In production each node has one EvsChannel (the Totem membership node); here two fakes.
        final EvsChannel channel1 = cluster.add(1);
        final EvsChannel channel2 = cluster.add(2);

        // 1. One GroupService per node, attached before the channel starts delivering.
        final GroupService node1 = GroupService.attach(channel1);
        final GroupService node2 = GroupService.attach(channel2);
        cluster.start(1, 2);

        final Thread agent = startDeliveryThread(cluster);
        try
        {
            // 2. Join a named group with a listener. Any number of groups and members per node.
            final Inventory onNode1 = new Inventory();
            final Inventory onNode2 = new Inventory();
            final GroupHandle a = node1.join("inventory", onNode1);
            final GroupHandle b = node2.join("inventory", onNode2);

            // 3. A member is in once its own join has gone through the total order.
            await().atMost(Duration.ofSeconds(10)).until(() -> a.state() == GroupHandle.State.JOINED &&
                b.state() == GroupHandle.State.JOINED && onNode1.view.members().size() == 2);

            // 4. Multicast: AGREED (total order) or SAFE (also held by every member before delivery).
            final byte[] text = "reserve sku-17".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            while (!b.multicast(new UnsafeBuffer(text), 0, text.length, Guarantee.SAFE))
            {
                node2.doWork(); // back-pressure: retry (a real application would yield its duty cycle)
            }

            // 5. Every member, the sender included, receives it at the same point of the group's order.
            await().atMost(Duration.ofSeconds(10)).until(() -> onNode1.received.size() == 1 &&
                onNode2.received.size() == 1);
            assertThat(onNode1.received).containsExactly("2/1: reserve sku-17");
            assertThat(onNode2.received).isEqualTo(onNode1.received);

            // 6. The leader is the lowest (node id, member id) of a regular view: here node 1's member.
            assertThat(a.isLeader()).isTrue();
            assertThat(b.isLeader()).isFalse();
            assertThat(onNode2.view.leader()).contains(a.member());

            // 7. Leave: the others see reason LEAVE and a new leader.
            a.leave();
            await().atMost(Duration.ofSeconds(10)).until(() -> a.state() == GroupHandle.State.LEFT &&
                onNode2.view.members().size() == 1);
            assertThat(onNode2.view.left()).containsExactly(new MemberChange(a.member(), MemberChange.Reason.LEAVE));
            await().atMost(Duration.ofSeconds(10)).until(b::isLeader);
        }
        finally
        {
            agent.interrupt();
            agent.join(10_000);
        }
        assertThat(agent.isAlive()).isFalse();
    }

    /** Stands in for the Totem agent thread: delivers the channel's stream until interrupted. */
    private static Thread startDeliveryThread(final FakeEvsCluster cluster)
    {
        final Thread thread = new Thread(() ->
        {
            final IdleStrategy idle = new BackoffIdleStrategy();
            while (!Thread.currentThread().isInterrupted())
            {
                idle.idle(cluster.step() ? 1 : 0);
            }
        }, "evs-delivery");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
