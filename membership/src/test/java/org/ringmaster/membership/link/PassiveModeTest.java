package org.ringmaster.membership.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ringmaster.membership.link.LinkCounters.Counter;

/** Passive mode on in-memory links with a manual clock: failover, failback, one-way cuts, all links down. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PassiveModeTest
{
    static final long INTERVAL_MS = 100;
    static final long TIMEOUT_MS = 300;

    static RedundantConfig config(final LinkMode mode)
    {
        return RedundantConfig.builder().mode(mode).pingIntervalMs(INTERVAL_MS).pingTimeoutMs(TIMEOUT_MS)
            .pongCount(2).build();
    }

    @Test
    void failsOverWhenThePreferredLinkIsCutAndFailsBackWhenItReturns()
    {
        final MemoryCluster c = new MemoryCluster(2, 2, config(LinkMode.PASSIVE));
        c.run(500);
        final RedundantTransport one = c.node(1);
        assertThat(one.linkState(2, 0)).isEqualTo(LinkState.UP);
        assertThat(one.linkState(2, 1)).isEqualTo(LinkState.UP);

        // Healthy: everything on link 0, the preferred one (equal priority, lower number).
        final long link1Before = one.linkCounters().get(1, Counter.DATA_SENT);
        final List<Long> healthy = stream(c, 50);
        assertThat(healthy).allSatisfy(id -> assertThat(c.times(2, id)).isEqualTo(1));
        assertThat(one.linkCounters().get(1, Counter.DATA_SENT)).isEqualTo(link1Before);
        assertThat(one.linkCounters().get(0, Counter.DATA_SENT)).isGreaterThanOrEqualTo(50);

        c.net.cutLink(0, true);
        final long cutAtMs = c.nowMs();
        final List<Long> ids = new ArrayList<>();
        final List<Long> sentAtMs = new ArrayList<>();
        for (int i = 0; i < 100; i++)
        {
            sentAtMs.add(c.nowMs());
            ids.add(c.send(1, 2));
            c.run(10);
        }
        final List<MemoryCluster.Event> events = c.eventsOf(1, 2, 0);
        final MemoryCluster.Event down = events.get(events.size() - 1);
        assertThat(down.state()).isEqualTo(LinkState.DOWN);
        assertThat(down.atMs() - cutAtMs).isLessThanOrEqualTo(TIMEOUT_MS + INTERVAL_MS + MemoryCluster.STEP_MS);
        assertThat(one.linkCounters().failovers()).isEqualTo(1);
        // Loss is bounded by the time until the first missed answer makes link 0 suspect.
        for (int i = 0; i < ids.size(); i++)
        {
            if (c.times(2, ids.get(i)) == 0)
            {
                assertThat(sentAtMs.get(i) - cutAtMs).as("datagram %d lost", i)
                    .isLessThanOrEqualTo(2 * INTERVAL_MS + MemoryCluster.STEP_MS);
            }
            else
            {
                assertThat(c.times(2, ids.get(i))).isEqualTo(1);
            }
        }
        assertThat(ids.stream().filter(id -> c.times(2, id) == 1).count()).isGreaterThanOrEqualTo(75);

        c.net.cutLink(0, false);
        c.run(400);
        assertThat(one.linkState(2, 0)).isEqualTo(LinkState.UP);
        assertThat(c.eventsOf(1, 2, 0).get(c.eventsOf(1, 2, 0).size() - 1).state()).isEqualTo(LinkState.UP);
        assertThat(one.linkCounters().failovers()).as("failed back").isEqualTo(2);
        final long link1AfterFailback = one.linkCounters().get(1, Counter.DATA_SENT);
        assertThat(stream(c, 30)).allSatisfy(id -> assertThat(c.times(2, id)).isEqualTo(1));
        assertThat(one.linkCounters().get(1, Counter.DATA_SENT)).isEqualTo(link1AfterFailback);
        assertThat(c.duplicates()).isEmpty();
    }

    @Test
    void aHigherPriorityLinkIsPreferredRegardlessOfItsNumber()
    {
        final RedundantConfig config = RedundantConfig.builder().mode(LinkMode.PASSIVE)
            .pingIntervalMs(INTERVAL_MS).pingTimeoutMs(TIMEOUT_MS).priority(0, 10).priority(1, 20).build();
        final MemoryCluster c = new MemoryCluster(2, 2, config);
        c.run(500);
        assertThat(stream(c, 20)).allSatisfy(id -> assertThat(c.times(2, id)).isEqualTo(1));
        assertThat(c.node(1).linkCounters().get(1, Counter.DATA_SENT)).isEqualTo(20);
        assertThat(c.node(1).linkCounters().get(0, Counter.DATA_SENT)).isLessThan(20);
    }

    @Test
    void aLinkCutInOneDirectionGoesDownOnBothSidesAndTrafficFlowsBothWays()
    {
        final MemoryCluster c = new MemoryCluster(2, 2, config(LinkMode.PASSIVE));
        c.run(500);
        c.net.cut(0, 1, 2);
        c.run(600);
        // Node 2 still hears node 1's pings on link 0, but its own pings get no answer back.
        assertThat(c.node(1).linkState(2, 0)).isEqualTo(LinkState.DOWN);
        assertThat(c.node(2).linkState(1, 0)).isEqualTo(LinkState.DOWN);
        assertThat(c.node(1).linkState(2, 1)).isEqualTo(LinkState.UP);
        for (int i = 0; i < 20; i++)
        {
            final long a = c.send(1, 2);
            final long b = c.send(2, 1);
            c.run(10);
            assertThat(c.times(2, a)).isEqualTo(1);
            assertThat(c.times(1, b)).isEqualTo(1);
        }
    }

    @Test
    void withEveryLinkDownDatagramsGoOnAllLinksSoTrafficResumesAsSoonAsANetworkReturns()
    {
        final MemoryCluster c = new MemoryCluster(2, 2, config(LinkMode.PASSIVE));
        c.run(500);
        c.net.cutLink(0, true);
        c.net.cutLink(1, true);
        c.run(600);
        for (int observer = 1; observer <= 2; observer++)
        {
            for (int link = 0; link < 2; link++)
            {
                assertThat(c.node(observer).linkState(3 - observer, link)).isEqualTo(LinkState.DOWN);
            }
        }
        assertThat(c.node(1).linkCounters().total(Counter.DOWN)).isEqualTo(2);

        c.net.cutLink(1, false);
        final long first = c.send(1, 2);
        c.pump();
        assertThat(c.node(1).linkState(2, 1)).as("not yet answered twice").isEqualTo(LinkState.DOWN);
        assertThat(c.times(2, first)).as("sent on every link while none is up").isEqualTo(1);

        c.run(400);
        assertThat(c.node(1).linkState(2, 1)).isEqualTo(LinkState.UP);
        assertThat(c.node(1).linkState(2, 0)).isEqualTo(LinkState.DOWN);
        final long link0 = c.node(1).linkCounters().get(0, Counter.DATA_SENT);
        assertThat(stream(c, 20)).allSatisfy(id -> assertThat(c.times(2, id)).isEqualTo(1));
        assertThat(c.node(1).linkCounters().get(0, Counter.DATA_SENT)).as("only link 1 is up").isEqualTo(link0);

        c.net.cutLink(0, false);
        c.run(400);
        assertThat(c.node(1).linkState(2, 0)).isEqualTo(LinkState.UP);
        assertThat(c.node(1).linkCounters().failovers()).as("link 1 -> link 0 on its return").isEqualTo(1);
        assertThat(c.duplicates()).isEmpty();
    }

    @Test
    void eachPeerGetsItsOwnPreferredLinkAndAMulticastIsSplitAccordingly()
    {
        final MemoryCluster c = new MemoryCluster(3, 2, config(LinkMode.PASSIVE));
        c.run(500);
        c.net.cut(0, 1, 3);
        c.net.cut(0, 3, 1);
        c.run(600);
        assertThat(c.node(1).linkState(3, 0)).isEqualTo(LinkState.DOWN);
        assertThat(c.node(1).linkState(2, 0)).isEqualTo(LinkState.UP);
        final LinkCounters counters = c.node(1).linkCounters();
        final long link0 = counters.get(0, Counter.DATA_SENT);
        final long link1 = counters.get(1, Counter.DATA_SENT);
        final long twoOnLink1 = c.node(2).linkCounters().get(1, Counter.DATA_RECEIVED);
        final List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++)
        {
            ids.add(c.send(1, 0));
            c.pump();
        }
        assertThat(ids).allSatisfy(id ->
        {
            assertThat(c.times(2, id)).isEqualTo(1);
            assertThat(c.times(3, id)).isEqualTo(1);
        });
        assertThat(counters.get(0, Counter.DATA_SENT) - link0).as("to node 2").isEqualTo(10);
        assertThat(counters.get(1, Counter.DATA_SENT) - link1).as("to node 3").isEqualTo(10);
        assertThat(c.node(2).linkCounters().get(1, Counter.DATA_RECEIVED)).isEqualTo(twoOnLink1);
    }

    /** Send {@code n} datagrams 1 -> 2, 10 ms apart. */
    static List<Long> stream(final MemoryCluster c, final int n)
    {
        final List<Long> ids = new ArrayList<>();
        for (int i = 0; i < n; i++)
        {
            ids.add(c.send(1, 2));
            c.run(10);
        }
        return ids;
    }
}
