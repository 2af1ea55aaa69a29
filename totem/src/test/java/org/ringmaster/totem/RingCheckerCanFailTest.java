package org.ringmaster.totem;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ringmaster.totem.RingCounters.Counter;
import org.ringmaster.totem.sim.RingInvariants;
import org.ringmaster.totem.sim.SimRing;

/** The checker is only worth something if it catches a broken ring. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class RingCheckerCanFailTest
{
    @Test
    void deliveringAcrossGapsIsCaught()
    {
        final SimRing ring = RingSimulationTest.newRing(42, 3, 0.10, true);
        ring.forEachNode(node -> node.brokenDeliverAcrossGaps = true);
        ring.traffic(ring.members(), 100, TimeUnit.MILLISECONDS.toNanos(50), 16, 1000, 0.0);
        ring.runUntilQuiet(TimeUnit.SECONDS.toNanos(30));

        final List<String> violations = RingInvariants.check(ring);
        assertThat(violations).isNotEmpty();
        assertThat(String.join("\n", violations)).containsAnyOf("FIFO", "lost messages", "total order differs");
    }

    @Test
    void theCorrectRingRetransmitsUnderLossAndStaysClean()
    {
        final SimRing ring = RingSimulationTest.newRing(42, 3, 0.10, true);
        ring.traffic(ring.members(), 100, TimeUnit.MILLISECONDS.toNanos(50), 16, 1000, 0.0);
        ring.runUntilQuiet(TimeUnit.SECONDS.toNanos(30));

        assertThat(RingInvariants.check(ring)).isEmpty();
        long retransmitted = 0;
        long tokenRetransmits = 0;
        for (final int id : ring.members())
        {
            retransmitted += ring.node(id).counters().get(Counter.DATAGRAMS_RETRANSMITTED);
            tokenRetransmits += ring.node(id).counters().get(Counter.TOKEN_RETRANSMITS);
            assertThat(ring.delivered(id)).hasSize(300);
        }
        assertThat(retransmitted).as("datagrams retransmitted").isPositive();
        assertThat(tokenRetransmits).as("tokens retransmitted").isPositive();
    }
}
