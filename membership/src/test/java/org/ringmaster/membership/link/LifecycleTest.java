package org.ringmaster.membership.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ringmaster.membership.link.LinkCounters.Counter;
import org.ringmaster.totem.security.AuthKey;
import org.ringmaster.totem.security.CryptoConfig;
import org.ringmaster.totem.security.SecureTransport;
import org.ringmaster.totem.transport.Transport;
import org.ringmaster.totem.transport.TransportCounters.Drop;

/** Restarts, local pauses and stacking with SecureTransport, on in-memory links and a manual clock. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LifecycleTest
{
    private static final List<Integer> IDS = List.of(1, 2);

    @Test
    void aRestartedPeerIsHeardAtOnceAndItsOldSessionIsNot()
    {
        final MemoryNetwork net = new MemoryNetwork(2, 2);
        final ManualClock clock = new ManualClock();
        final RedundantConfig config = PassiveModeTest.config(LinkMode.ACTIVE);
        final RedundantTransport one = transport(net, 1, config, clock, 1000);
        final RedundantTransport oldTwo = transport(net, 2, config, clock, 1000);
        final List<Integer> got = new ArrayList<>();
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[4]);
        for (int i = 0; i < 50; i++)
        {
            clock.advanceMs(10);
            payload.putInt(0, i);
            oldTwo.unicast(1, payload, 0, 4);
            oldTwo.poll((b, o, l) -> { }, 64);
            one.poll((b, o, l) -> got.add(b.getInt(o)), 64);
        }
        // Node 2 restarts: a later session, its sequence starts again at 1.
        final RedundantTransport newTwo = transport(net, 2, config, clock, 2000);
        for (int i = 100; i < 110; i++)
        {
            clock.advanceMs(10);
            payload.putInt(0, i);
            newTwo.unicast(1, payload, 0, 4);
            one.poll((b, o, l) -> got.add(b.getInt(o)), 64);
        }
        // A stray datagram of the old session still in flight is dropped.
        payload.putInt(0, 999);
        oldTwo.unicast(1, payload, 0, 4);
        one.poll((b, o, l) -> got.add(b.getInt(o)), 64);
        final List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 50; i++)
        {
            expected.add(i);
        }
        for (int i = 100; i < 110; i++)
        {
            expected.add(i);
        }
        assertThat(got).containsExactlyElementsOf(expected);
        assertThat(one.linkCounters().total(Counter.DUPLICATES)).isPositive();
    }

    @Test
    void aPauseOfThisNodeIsNotBlamedOnTheLinks()
    {
        final MemoryCluster c = new MemoryCluster(2, 2, PassiveModeTest.config(LinkMode.PASSIVE));
        c.run(500);
        final int before = c.events.size();
        // Nobody polls for 2 s (a long GC pause): on resuming, the links get a fresh chance to answer.
        c.clock.advanceMs(2000);
        c.run(200);
        assertThat(c.events.subList(before, c.events.size())).isEmpty();
        assertThat(c.node(1).linkState(2, 0)).isEqualTo(LinkState.UP);
        // A link that really died during the pause is still found out, one timeout later.
        c.net.cutLink(1, true);
        c.clock.advanceMs(2000);
        c.run(500);
        assertThat(c.node(1).linkState(2, 1)).isEqualTo(LinkState.DOWN);
        assertThat(c.node(1).linkState(2, 0)).isEqualTo(LinkState.UP);
    }

    @Test
    void stacksWithSecureTransportEitherWayRound()
    {
        final AuthKey key = AuthKey.generate(new SecureRandom(), AuthKey.DEFAULT_BYTES);
        final CryptoConfig crypto = CryptoConfig.DEFAULT;
        final MemoryNetwork net = new MemoryNetwork(2, 2);
        final ManualClock clock = new ManualClock();
        final RedundantConfig config = PassiveModeTest.config(LinkMode.ACTIVE);
        // Redundant over sealed links (header and heartbeats authenticated) ...
        final Transport[] nodes = new Transport[3];
        for (int node = 1; node <= 2; node++)
        {
            final List<Transport> sealed = List.of(
                SecureTransport.wrap(net.endpoint(0, node), crypto, key, IDS, "stack"),
                SecureTransport.wrap(net.endpoint(1, node), crypto, key, IDS, "stack"));
            nodes[node] = new RedundantTransport(sealed, IDS, config, LinkListener.NONE, clock);
        }
        exchange(nodes, clock);
        assertThat(((RedundantTransport)nodes[2]).linkState(1, 1)).isEqualTo(LinkState.UP);

        // ... or one seal over the redundant links.
        final MemoryNetwork net2 = new MemoryNetwork(2, 2);
        for (int node = 1; node <= 2; node++)
        {
            nodes[node] = SecureTransport.wrap(new RedundantTransport(
                List.of(net2.endpoint(0, node), net2.endpoint(1, node)), IDS, config, LinkListener.NONE, clock),
                crypto, key, IDS, "stack");
        }
        exchange(nodes, clock);
        assertThat(nodes[2].counters().drops(Drop.REPLAYED)).as("copies never reach the replay window").isZero();
    }

    /** 20 datagrams 1 -> 2 over 300 ms: each arrives once, intact. */
    private static void exchange(final Transport[] nodes, final ManualClock clock)
    {
        final List<Integer> got = new ArrayList<>();
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[64]);
        for (int step = 0; step < 60; step++)
        {
            clock.advanceMs(5);
            if (step >= 40)
            {
                payload.putInt(0, step);
                assertThat(nodes[1].unicast(2, payload, 0, 64)).isTrue();
            }
            nodes[1].poll((b, o, l) -> { }, 64);
            nodes[2].poll((b, o, l) -> got.add(b.getInt(o)), 64);
        }
        assertThat(got).hasSize(20).doesNotHaveDuplicates();
        assertThat(nodes[1].maxDatagramLength()).isLessThan(MemoryNetwork.MAX_DATAGRAM - LinkFrame.HEADER_LENGTH);
    }

    private static RedundantTransport transport(final MemoryNetwork net, final int node, final RedundantConfig config,
        final ManualClock clock, final long startMs)
    {
        return new RedundantTransport(List.of(net.endpoint(0, node), net.endpoint(1, node)), IDS, config,
            LinkListener.NONE, clock, startMs << DuplicateWindow.SESSION_RANDOM_BITS);
    }
}
