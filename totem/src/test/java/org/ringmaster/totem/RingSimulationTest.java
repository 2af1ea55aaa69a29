package org.ringmaster.totem;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ringmaster.totem.sim.LinkFaults;
import org.ringmaster.totem.sim.RingInvariants;
import org.ringmaster.totem.sim.SimRing;

/**
 * Deterministic simulation of the static ring under loss, duplication and reordering, checking
 * the ordering invariants after every run. A failing seed is replayed with
 * {@code -Dringmaster.sim.seed=SEED -Dtest=RingSimulationTest#replay}.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class RingSimulationTest
{
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    /** nodes, loss, seeds: 2, 3, 5 and 16 nodes at 0 %, 5 % and 30 % loss; 1,020 seeds in all. */
    static Stream<Arguments> matrix()
    {
        return Stream.of(
            Arguments.of(2, 0.0, 120), Arguments.of(2, 0.05, 120), Arguments.of(2, 0.30, 60),
            Arguments.of(3, 0.0, 120), Arguments.of(3, 0.05, 120), Arguments.of(3, 0.30, 60),
            Arguments.of(5, 0.0, 100), Arguments.of(5, 0.05, 100), Arguments.of(5, 0.30, 60),
            Arguments.of(16, 0.0, 60), Arguments.of(16, 0.05, 60), Arguments.of(16, 0.30, 40));
    }

    @ParameterizedTest(name = "{0} nodes, loss {1}, {2} seeds")
    @MethodSource("matrix")
    void invariantsHoldAcrossSeeds(final int nodes, final double loss, final int seeds)
    {
        final long base = 1_000_003L * nodes + (long)(loss * 1000);
        LongStream.range(base, base + seeds).forEach(seed -> runAndCheck(seed, nodes, loss));
    }

    @Test
    void largeMessagesAreFragmentedAndReassembledInOrder()
    {
        for (long seed = 77; seed < 87; seed++)
        {
            final SimRing ring = newRing(seed, 3, 0.05);
            ring.traffic(ring.members(), 6, SECOND / 10, 16, 200_000, 0.3);
            ring.runUntilQuiet(120 * SECOND);
            assertClean(ring, 3, 0.05);
        }
    }

    @Test
    void replay()
    {
        final String seed = System.getProperty("ringmaster.sim.seed");
        final int nodes = Integer.getInteger("ringmaster.sim.nodes", 3);
        final double loss = Double.parseDouble(System.getProperty("ringmaster.sim.loss", "0.05"));
        runAndCheck(seed == null ? 1 : Long.parseLong(seed), nodes, loss);
    }

    private static void runAndCheck(final long seed, final int nodes, final double loss)
    {
        final SimRing ring = newRing(seed, nodes, loss);
        final int perNode = Math.max(5, 240 / nodes);
        ring.traffic(ring.members(), perNode, SECOND / 20, 16, 3000, 0.25);
        ring.runUntilQuiet(600 * SECOND);
        assertClean(ring, nodes, loss);
    }

    static SimRing newRing(final long seed, final int nodes, final double loss)
    {
        final SimRing ring = new SimRing(seed, nodes, id -> TotemConfig.builder()
            .sendQueueBytes(4 * 1024 * 1024).maxMessageSize(256 * 1024).receiveBufferSlots(512));
        ring.network().faults(LinkFaults.lossy(loss, loss > 0 ? 0.02 : 0.01));
        return ring;
    }

    private static void assertClean(final SimRing ring, final int nodes, final double loss)
    {
        final List<String> violations = RingInvariants.check(ring);
        assertThat(violations)
            .as("%s violated the ring invariants; replay with -Dtest=RingSimulationTest#replay " +
                "-Dringmaster.sim.seed=%d -Dringmaster.sim.nodes=%d -Dringmaster.sim.loss=%s",
                ring, ring.seed(), nodes, loss)
            .isEmpty();
        assertThat(ring.sentMessages()).as("%s sent nothing", ring).isPositive();
    }
}
