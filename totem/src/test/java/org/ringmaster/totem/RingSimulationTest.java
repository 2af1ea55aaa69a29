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

    /**
     * nodes, loss, seeds, accelerated: 2, 3, 5 and 16 nodes at 0 %, 5 % and 30 % loss; 1,020 seeds
     * in all, each run with the Accelerated Ring on and off.
     */
    static Stream<Arguments> matrix()
    {
        return Stream.of(
            Arguments.of(2, 0.0, 120), Arguments.of(2, 0.05, 120), Arguments.of(2, 0.30, 60),
            Arguments.of(3, 0.0, 120), Arguments.of(3, 0.05, 120), Arguments.of(3, 0.30, 60),
            Arguments.of(5, 0.0, 100), Arguments.of(5, 0.05, 100), Arguments.of(5, 0.30, 60),
            Arguments.of(16, 0.0, 60), Arguments.of(16, 0.05, 60), Arguments.of(16, 0.30, 40))
            .flatMap(a -> Stream.of(true, false).map(accelerated ->
                Arguments.of(a.get()[0], a.get()[1], a.get()[2], accelerated)));
    }

    @ParameterizedTest(name = "{0} nodes, loss {1}, {2} seeds, accelerated {3}")
    @MethodSource("matrix")
    void invariantsHoldAcrossSeeds(final int nodes, final double loss, final int seeds, final boolean accelerated)
    {
        final long base = 1_000_003L * nodes + (long)(loss * 1000);
        LongStream.range(base, base + seeds).forEach(seed -> runAndCheck(seed, nodes, loss, accelerated));
    }

    @Test
    void largeMessagesAreFragmentedAndReassembledInOrder()
    {
        for (long seed = 77; seed < 87; seed++)
        {
            final SimRing ring = newRing(seed, 3, 0.05, seed % 2 == 0);
            ring.traffic(ring.members(), 6, SECOND / 10, 16, 200_000, 0.3);
            ring.runUntilQuiet(120 * SECOND);
            assertClean(ring, 3, 0.05, seed % 2 == 0);
        }
    }

    @Test
    void replay()
    {
        final String seed = System.getProperty("ringmaster.sim.seed");
        final int nodes = Integer.getInteger("ringmaster.sim.nodes", 3);
        final double loss = Double.parseDouble(System.getProperty("ringmaster.sim.loss", "0.05"));
        final boolean accelerated = Boolean.parseBoolean(System.getProperty("ringmaster.sim.accelerated", "true"));
        runAndCheck(seed == null ? 1 : Long.parseLong(seed), nodes, loss, accelerated);
    }

    private static void runAndCheck(final long seed, final int nodes, final double loss, final boolean accelerated)
    {
        final SimRing ring = newRing(seed, nodes, loss, accelerated);
        final int perNode = Math.max(5, 240 / nodes);
        ring.traffic(ring.members(), perNode, SECOND / 20, 16, 3000, 0.25);
        ring.runUntilQuiet(600 * SECOND);
        assertClean(ring, nodes, loss, accelerated);
    }

    static SimRing newRing(final long seed, final int nodes, final double loss, final boolean accelerated)
    {
        final SimRing ring = new SimRing(seed, nodes, id -> TotemConfig.builder().accelerated(accelerated)
            .sendQueueBytes(4 * 1024 * 1024).maxMessageSize(256 * 1024).receiveBufferSlots(512));
        ring.network().faults(LinkFaults.lossy(loss, loss > 0 ? 0.02 : 0.01));
        return ring;
    }

    private static void assertClean(final SimRing ring, final int nodes, final double loss, final boolean accelerated)
    {
        final List<String> violations = RingInvariants.check(ring);
        assertThat(violations)
            .as("%s violated the ring invariants; replay with -Dtest=RingSimulationTest#replay " +
                "-Dringmaster.sim.seed=%d -Dringmaster.sim.nodes=%d -Dringmaster.sim.loss=%s " +
                "-Dringmaster.sim.accelerated=%s", ring, ring.seed(), nodes, loss, accelerated)
            .isEmpty();
        assertThat(ring.sentMessages()).as("%s sent nothing", ring).isPositive();
    }
}
