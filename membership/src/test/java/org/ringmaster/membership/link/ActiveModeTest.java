package org.ringmaster.membership.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ringmaster.membership.link.LinkCounters.Counter;

/** Active mode on in-memory links with a manual clock: copies dropped, nothing lost while a link is up. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ActiveModeTest
{
    private static final int NODES = 3;

    private record Sent(long id, int from, int to)
    {
    }

    @Test
    void everyDatagramIsHandedUpExactlyOnceWhileLinksAreCutAndHealedOneAtATime()
    {
        final MemoryCluster c = new MemoryCluster(NODES, 2, PassiveModeTest.config(LinkMode.ACTIVE));
        c.run(500);
        final List<Sent> sent = new ArrayList<>();
        final Random random = new Random(42);
        // Each phase lasts a second; a link is only cut while the other one has been up long enough to be known up.
        final Runnable[] phases = {
            () -> { },
            () -> c.net.cutLink(0, true),
            () -> c.net.cutLink(0, false),
            () -> c.net.cutLink(1, true),
            () -> c.net.cutLink(1, false),
            () -> c.net.cut(0, 1, 2),
            () -> c.net.heal(0, 1, 2),
            () -> c.net.cut(1, 3, 1),
            () -> c.net.heal(1, 3, 1),
        };
        for (final Runnable phase : phases)
        {
            phase.run();
            for (int i = 0; i < 100; i++)
            {
                final int from = 1 + random.nextInt(NODES);
                final int to = random.nextInt(NODES + 1) == 0 ? 0 : 1 + (from + random.nextInt(NODES - 1)) % NODES;
                sent.add(new Sent(c.send(from, to), from, to));
                c.run(10);
            }
        }
        assertThat(sent).allSatisfy(s -> assertThat(s.id()).isPositive());
        for (final Sent s : sent)
        {
            for (int node = 1; node <= NODES; node++)
            {
                final boolean addressed = node != s.from() && (s.to() == 0 || s.to() == node);
                assertThat(c.times(node, s.id())).as("datagram %x from %d to %d at node %d", s.id(), s.from(), s.to(), node)
                    .isEqualTo(addressed ? 1 : 0);
            }
        }
        assertThat(c.duplicates()).isEmpty();
        long copies = 0;
        for (int node = 1; node <= NODES; node++)
        {
            copies += c.node(node).linkCounters().total(Counter.DUPLICATES);
        }
        assertThat(copies).as("copies really arrived and were dropped").isGreaterThan(sent.size() / 2);
        // The event history of every (observer, peer, link) alternates, starting with UP, and matches the counters.
        for (int observer = 1; observer <= NODES; observer++)
        {
            long ups = 0;
            long downs = 0;
            for (int peer = 1; peer <= NODES; peer++)
            {
                for (int link = 0; link < 2 && peer != observer; link++)
                {
                    final List<MemoryCluster.Event> events = c.eventsOf(observer, peer, link);
                    for (int i = 0; i < events.size(); i++)
                    {
                        assertThat(events.get(i).state()).isEqualTo(i % 2 == 0 ? LinkState.UP : LinkState.DOWN);
                    }
                    assertThat(events).isNotEmpty();
                    assertThat(c.node(observer).linkState(peer, link)).isEqualTo(events.get(events.size() - 1).state());
                    ups += events.stream().filter(e -> e.state() == LinkState.UP).count();
                    downs += events.stream().filter(e -> e.state() == LinkState.DOWN).count();
                }
            }
            assertThat(c.node(observer).linkCounters().total(Counter.UP)).isEqualTo(ups);
            assertThat(c.node(observer).linkCounters().total(Counter.DOWN)).isEqualTo(downs);
        }
        // Link 0 and link 1 were each cut as a whole once: every node saw each go down for each peer.
        assertThat(c.eventsOf(1, 2, 0).stream().filter(e -> e.state() == LinkState.DOWN).count()).isEqualTo(2);
        assertThat(c.eventsOf(1, 3, 1).stream().filter(e -> e.state() == LinkState.DOWN).count()).isEqualTo(2);
        assertThat(c.eventsOf(2, 3, 0).stream().filter(e -> e.state() == LinkState.DOWN).count()).isEqualTo(1);
    }

    @Test
    void aFlappingLinkIsReportedOnEveryChangeAndLosesNothingWhileTheOtherLinkHolds()
    {
        final MemoryCluster c = new MemoryCluster(2, 2, PassiveModeTest.config(LinkMode.ACTIVE));
        c.run(500);
        final List<Long> ids = new ArrayList<>();
        for (int flap = 0; flap < 5; flap++)
        {
            c.net.cutLink(0, true);
            for (int i = 0; i < 40; i++)
            {
                ids.add(c.send(1, 2));
                ids.add(c.send(2, 1));
                c.run(10);
            }
            c.net.cutLink(0, false);
            for (int i = 0; i < 40; i++)
            {
                ids.add(c.send(1, 2));
                c.run(10);
            }
        }
        // Each 400 ms cut outlasts the 300 ms timeout, each 400 ms heal brings two answers: 5 x (down, up).
        final List<MemoryCluster.Event> events = c.eventsOf(1, 2, 0);
        assertThat(events).extracting(MemoryCluster.Event::state).containsExactly(
            LinkState.UP, LinkState.DOWN, LinkState.UP, LinkState.DOWN, LinkState.UP, LinkState.DOWN,
            LinkState.UP, LinkState.DOWN, LinkState.UP, LinkState.DOWN, LinkState.UP);
        assertThat(c.eventsOf(1, 2, 1)).extracting(MemoryCluster.Event::state).containsExactly(LinkState.UP);
        assertThat(ids).allSatisfy(id -> assertThat(c.times(1, id) + c.times(2, id)).isEqualTo(1));

        // Flapping faster than the timeout: answers keep coming often enough, so no event at all.
        final int before = c.events.size();
        for (int i = 0; i < 20; i++)
        {
            c.net.cutLink(0, true);
            ids.add(c.send(1, 2));
            c.run(50);
            c.net.cutLink(0, false);
            ids.add(c.send(1, 2));
            c.run(100);
        }
        assertThat(c.events.subList(before, c.events.size())).isEmpty();
        assertThat(ids).allSatisfy(id -> assertThat(c.times(1, id) + c.times(2, id)).isEqualTo(1));
    }

    @Test
    void aLinkThatAnswersOnlyEveryOtherPingNeverComesUp()
    {
        final MemoryCluster c = new MemoryCluster(2, 2, PassiveModeTest.config(LinkMode.ACTIVE));
        c.net.cutLink(0, true);
        c.run(500);
        assertThat(c.node(1).linkState(2, 0)).isEqualTo(LinkState.DOWN);
        // Open link 0 just long enough for one ping round in every two: knet_pong_count 2 is never reached.
        for (int i = 0; i < 20; i++)
        {
            c.net.cutLink(0, false);
            c.run(100);
            c.net.cutLink(0, true);
            c.run(100);
        }
        assertThat(c.eventsOf(1, 2, 0)).isEmpty();
        assertThat(c.node(1).linkCounters().get(0, Counter.PONGS_RECEIVED)).isGreaterThanOrEqualTo(15);
    }

    @Test
    void backPressureOnOneLinkIsCoveredByTheOtherAndOnAllLinksIsReported()
    {
        final MemoryCluster c = new MemoryCluster(2, 2, PassiveModeTest.config(LinkMode.ACTIVE));
        c.run(500);
        c.net.endpoint(0, 1).refuseSends = 1;
        final long one = c.send(1, 2);
        c.pump();
        assertThat(c.times(2, one)).isEqualTo(1);

        c.net.endpoint(0, 1).refuseSends = 1;
        c.net.endpoint(1, 1).refuseSends = 1;
        assertThat(c.send(1, 0)).as("refused on every link").isEqualTo(-1);
        assertThat(c.node(1).counters().drops(org.ringmaster.totem.transport.TransportCounters.Drop.SEND_FAILED))
            .isEqualTo(1);
        final long retry = c.send(1, 0);
        c.pump();
        assertThat(c.times(2, retry)).isEqualTo(1);
        assertThat(c.duplicates()).isEmpty();
    }
}
