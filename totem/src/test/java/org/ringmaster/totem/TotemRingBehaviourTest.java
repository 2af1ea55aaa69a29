package org.ringmaster.totem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ringmaster.totem.RingCounters.Counter;
import org.ringmaster.totem.sim.LinkFaults;
import org.ringmaster.totem.sim.RingInvariants;
import org.ringmaster.totem.sim.SimRing;

/** Token hold, back-pressure, configuration validation and metrics. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class TotemRingBehaviourTest
{
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void anIdleRingHoldsTheTokenAndATokenHoldCancelReleasesIt()
    {
        final SimRing idle = new SimRing(6, 3, id -> TotemConfig.builder());
        idle.network().faults(LinkFaults.PERFECT);
        idle.runUntil(2 * SECOND);
        final long holds = idle.node(1).counters().get(Counter.TOKEN_HOLDS);
        final long tokens = idle.node(2).counters().get(Counter.TOKENS_RECEIVED);
        assertThat(holds).as("holds by the representative on an idle ring").isPositive();
        // Without hold the token would circulate every ~100 µs: 2 s would be ~20,000 visits.
        assertThat(tokens).as("token visits in 2 idle seconds").isLessThan(2_000);
        assertThat(idle.node(2).counters().get(Counter.TOKEN_LOSS)).isZero();

        // Node 3 (not the representative) starts sending while the token is held: it cancels the hold.
        final SimRing ring = new SimRing(5, 3, id -> TotemConfig.builder());
        ring.network().faults(LinkFaults.PERFECT);
        ring.runUntil(SECOND);
        assertThat(ring.node(1).counters().get(Counter.TOKEN_HOLDS)).isPositive();
        final org.agrona.ExpandableArrayBuffer message = new org.agrona.ExpandableArrayBuffer(64);
        org.ringmaster.totem.sim.Payloads.write(message, 3, 0, 64);
        assertThat(ring.node(3).offer(message, 0, 64, Guarantee.AGREED)).isTrue();
        final long sentAt = ring.network().nowNs();
        ring.runUntil(sentAt + TimeUnit.MILLISECONDS.toNanos(20));
        assertThat(ring.delivered(1)).as("delivered within 20 ms although the token was held").hasSize(1);
        assertThat(ring.delivered(2)).hasSize(1);
    }

    @Test
    void theSendQueueIsBoundedAndPushesBack()
    {
        final SimRing ring = new SimRing(7, 2, id -> TotemConfig.builder().sendQueueBytes(64 * 1024).maxMessageSize(8 * 1024));
        final TotemRing node = ring.node(1);
        final UnsafeBuffer message = new UnsafeBuffer(new byte[1024]);
        int accepted = 0;
        while (node.offer(message, 0, 1024, Guarantee.AGREED))
        {
            accepted++;
        }
        assertThat(accepted).isBetween(40, 64);
        assertThat(node.queuedBytes()).isGreaterThan(60 * 1024);
        assertThatThrownBy(() -> node.offer(new UnsafeBuffer(new byte[9000]), 0, 9000, Guarantee.AGREED))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max_message_size");
    }

    @Test
    void configurationErrorsNameTheKey()
    {
        assertThatThrownBy(() -> TotemConfig.builder().nodeId(4).members(1, 2, 3).build())
            .hasMessageContaining("nodeid = 4").hasMessageContaining("not in the node list");
        assertThatThrownBy(() -> TotemConfig.builder().nodeId(1).members(1, 2, 2).build())
            .hasMessageContaining("nodelist.node.nodeid = 2").hasMessageContaining("twice");
        assertThatThrownBy(() -> TotemConfig.builder().nodeId(1).members(1).windowSize(10).maxMessages(17).build())
            .hasMessageContaining("totem.max_messages = 17").hasMessageContaining("totem.window_size (10)");
        assertThatThrownBy(() -> TotemConfig.builder().nodeId(1).members(1).netmtu(100).build())
            .hasMessageContaining("totem.netmtu = 100");
        assertThatThrownBy(() -> TotemConfig.builder().nodeId(1).members(1).receiveBufferSlots(1000).build())
            .hasMessageContaining("receive_buffer_slots = 1000").hasMessageContaining("power of two");
        assertThatThrownBy(() -> TotemConfig.builder().nodeId(1).members(1).tokenMs(1000).holdMs(2000).build())
            .hasMessageContaining("totem.hold = 2000");
    }

    @Test
    void theAcceleratedRingSendsTheEndOfAVisitAfterTheTokenAndOrderHolds()
    {
        for (final int window : new int[] {17, 4, 0})
        {
            final SimRing ring = new SimRing(13, 3, id -> TotemConfig.builder().accelerated(true).acceleratedWindow(window));
            ring.network().faults(LinkFaults.lossy(0.02, 0.01));
            ring.traffic(ring.members(), 300, SECOND / 20, 16, 1400, 0.2);
            ring.runUntilQuiet(60 * SECOND);
            assertThat(RingInvariants.check(ring)).as("window %d", window).isEmpty();
            assertThat(ring.delivered(2)).hasSize(900);
            final long after = sum(ring, Counter.DATAGRAMS_AFTER_TOKEN);
            final long originated = sum(ring, Counter.DATAGRAMS_ORIGINATED);
            if (window == 0)
            {
                assertThat(after).as("nothing follows the token with accelerated_window 0").isZero();
            }
            else
            {
                assertThat(after).as("datagrams after the token, window %d", window).isPositive()
                    .isLessThanOrEqualTo(originated);
            }
            if (window == 4)
            {
                // At most 4 of each visit's datagrams follow the token: the rest went before it.
                assertThat(after).isLessThanOrEqualTo(4 * sum(ring, Counter.TOKENS_RECEIVED));
                assertThat(after).isLessThan(originated);
            }
        }

        final SimRing off = new SimRing(13, 3, id -> TotemConfig.builder().accelerated(false));
        off.traffic(off.members(), 300, SECOND / 20, 16, 1400, 0.2);
        off.node(1).accelerate(true);
        assertThat(off.node(1).isAccelerating()).as("accelerate(true) cannot override accelerated: no").isFalse();
        off.runUntilQuiet(60 * SECOND);
        assertThat(RingInvariants.check(off)).isEmpty();
        assertThat(sum(off, Counter.DATAGRAMS_AFTER_TOKEN)).isZero();

        final SimRing paused = new SimRing(13, 3, id -> TotemConfig.builder().accelerated(true));
        paused.forEachNode(node -> node.accelerate(false));
        paused.traffic(paused.members(), 300, SECOND / 20, 16, 1400, 0.2);
        paused.runUntilQuiet(60 * SECOND);
        assertThat(RingInvariants.check(paused)).isEmpty();
        assertThat(sum(paused, Counter.DATAGRAMS_AFTER_TOKEN)).as("acceleration turned off at run time").isZero();
    }

    private static long sum(final SimRing ring, final Counter counter)
    {
        long total = 0;
        for (final int id : ring.members())
        {
            total += ring.node(id).counters().get(counter);
        }
        return total;
    }

    @Test
    void acceleratedWindowIsValidatedAgainstMaxMessages()
    {
        assertThatThrownBy(() -> TotemConfig.builder().nodeId(1).members(1).acceleratedWindow(18).build())
            .hasMessageContaining("totem.accelerated_window = 18").hasMessageContaining("totem.max_messages (17)");
        assertThatThrownBy(() -> TotemConfig.builder().nodeId(1).members(1).acceleratedWindow(-1).build())
            .hasMessageContaining("totem.accelerated_window = -1");
        assertThat(TotemConfig.builder().nodeId(1).members(1).maxMessages(9).build().acceleratedWindow())
            .as("defaults to max_messages").isEqualTo(9);
        assertThat(TotemConfig.builder().nodeId(1).members(1).accelerated(false).build().accelerated()).isFalse();
    }

    @Test
    void timingIsDerivedLikeCorosync()
    {
        final TotemConfig config = TotemConfig.builder().nodeId(1).members(1, 2).tokenMs(1000).build();
        assertThat(config.tokenRetransmitNs()).isEqualTo(TimeUnit.MICROSECONDS.toNanos(238_095));
        assertThat(TimeUnit.NANOSECONDS.toMillis(config.holdNs())).isEqualTo(180);
        assertThat(config.windowSize()).isEqualTo(50);
        assertThat(config.maxMessages()).isEqualTo(17);
        assertThat(config.netmtu()).isEqualTo(1500);
    }

    @Test
    void receiveBufferSlotsShrinkWithLargeDatagramsButNotBelowFourWindows()
    {
        assertThat(TotemConfig.receiveBufferSlotsFor(1500, 50)).isEqualTo(1024);
        assertThat(TotemConfig.receiveBufferSlotsFor(9000, 50)).as("1.5 MB / 9000 = 170 -> 128, but 4 * 50").isEqualTo(256);
        assertThat(TotemConfig.receiveBufferSlotsFor(65535, 50)).isEqualTo(256);
        assertThat(TotemConfig.receiveBufferSlotsFor(65535, 8)).isEqualTo(32);
        assertThat(TotemConfig.receiveBufferSlotsFor(1500, 300)).isEqualTo(2048);
        assertThat(TotemConfig.receiveBufferSlotsFor(576, 50)).as("at most 1024 for small datagrams").isEqualTo(1024);
        for (final int mtu : new int[] {576, 1500, 9000, 65535})
        {
            final int slots = TotemConfig.receiveBufferSlotsFor(mtu, 50);
            // The builder's own rules: a power of two, at least 4 * window_size.
            assertThat(TotemConfig.builder().nodeId(1).members(1, 2).netmtu(mtu).receiveBufferSlots(slots).build()
                .receiveBufferSlots()).isEqualTo(slots);
        }
    }

    @Test
    void aRingOfOneDeliversToItself()
    {
        final SimRing ring = new SimRing(9, 1, id -> TotemConfig.builder());
        final UnsafeBuffer message = new UnsafeBuffer(new byte[32]);
        org.ringmaster.totem.sim.Payloads.write(message, 1, 0, 32);
        ring.node(1).start(0);
        assertThat(ring.node(1).offer(message, 0, 32, Guarantee.SAFE)).isTrue();
        for (int i = 0; i < 10 && ring.delivered(1).isEmpty(); i++)
        {
            ring.node(1).doWork(i * 1000L);
        }
        assertThat(ring.delivered(1)).hasSize(1);
        assertThat(ring.delivered(1).get(0).guarantee()).isEqualTo(Guarantee.SAFE);
    }

    @Test
    void countersArePublishedToMicrometer()
    {
        final SimRing ring = RingSimulationTest.newRing(11, 3, 0.05, true);
        ring.traffic(ring.members(), 50, SECOND / 20, 16, 500, 0);
        ring.runUntilQuiet(60 * SECOND);
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new RingMetrics(ring.node(2)).bindTo(registry);
        assertThat(registry.get("ringmaster.totem.messages.delivered").tag("node", "2").functionCounter().count())
            .isEqualTo(150.0);
        assertThat(registry.get("ringmaster.totem.tokens.received").functionCounter().count()).isPositive();
        assertThat(registry.get("ringmaster.totem.delivered.seq").gauge().value()).isPositive();
    }
}
