package org.ringmaster.membership;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ringmaster.membership.sim.EvsInvariants;
import org.ringmaster.membership.sim.SimCluster;
import org.ringmaster.totem.sim.LinkFaults;

/**
 * Membership under crashes, partitions, pauses, flapping links, joins and restarts, with traffic
 * throughout, checked for extended virtual synchrony after every run. Replay one run with
 * {@code -Dtest=MembershipSimulationTest#replay -Dringmaster.sim.scenario=NAME -Dringmaster.sim.seed=SEED}.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class MembershipSimulationTest
{
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long S = TimeUnit.SECONDS.toNanos(1);

    /** A scenario scripts faults on a cluster and says which components must end up whole. */
    enum Scenario
    {
        CRASH_SOME(5, (c, r) ->
        {
            final List<Integer> order = shuffled(c, r);
            final int crashes = 1 + r.nextInt(c.ids().length - 1);
            final List<Integer> survivors = new ArrayList<>(order.subList(crashes, order.size()));
            for (int i = 0; i < crashes; i++)
            {
                final int id = order.get(i);
                c.at(2 * S + r.nextInt(2000) * MS, "crash " + id, x -> x.crash(id));
            }
            return new int[][] {toArray(survivors)};
        }),
        PARTITION_TWO_TWO(4, (c, r) ->
        {
            final List<Integer> o = shuffled(c, r);
            final int[] a = {o.get(0), o.get(1)};
            final int[] b = {o.get(2), o.get(3)};
            c.at(2 * S, "partition " + Arrays.toString(a) + "|" + Arrays.toString(b), x -> x.network().partition(a, b));
            c.at(5 * S + r.nextInt(1000) * MS, "heal", x -> x.network().heal());
            return new int[][] {c.ids()};
        }),
        ISOLATE_ONE(4, (c, r) ->
        {
            final List<Integer> o = shuffled(c, r);
            final int[] a = {o.get(0)};
            final int[] b = {o.get(1), o.get(2), o.get(3)};
            c.at(2 * S, "partition " + Arrays.toString(a) + "|" + Arrays.toString(b), x -> x.network().partition(a, b));
            c.at(5 * S + r.nextInt(1000) * MS, "heal", x -> x.network().heal());
            return new int[][] {c.ids()};
        }),
        PAUSE_PAST_TOKEN_TIMEOUT(3, (c, r) ->
        {
            final int id = 1 + r.nextInt(c.ids().length);
            c.at(2 * S, "pause " + id, x -> x.pause(id, true));
            c.at(2 * S + (long)(c.tokenMs() * 2.5) * MS + r.nextInt(500) * MS, "resume " + id, x -> x.pause(id, false));
            return new int[][] {c.ids()};
        }),
        FLAPPING_LINK(3, (c, r) ->
        {
            final int a = 1 + r.nextInt(3);
            final int b = a % 3 + 1;
            long t = 2 * S;
            boolean down = false;
            while (t < 6 * S)
            {
                final boolean cut = !down;
                c.at(t, (cut ? "cut " : "restore ") + a + "<->" + b, x -> x.network().cut(
                    (from, to) -> cut && ((from == a && to == b) || (from == b && to == a))));
                down = cut;
                t += (200 + r.nextInt(1500)) * MS;
            }
            c.at(6 * S, "heal", x -> x.network().heal());
            return new int[][] {c.ids()};
        }),
        LATE_JOIN(4, (c, r) ->
        {
            final int late = 1 + r.nextInt(4);
            c.holdBack(late);
            c.at(2 * S + r.nextInt(2000) * MS, "start " + late, x -> x.start(late));
            return new int[][] {c.ids()};
        }),
        RESTART(3, (c, r) ->
        {
            final int id = 1 + r.nextInt(3);
            c.at(2 * S, "crash " + id, x -> x.crash(id));
            c.at(2 * S + r.nextInt(3000) * MS, "restart " + id, x -> x.start(id));
            return new int[][] {c.ids()};
        }),
        CRASH_DURING_MEMBERSHIP(4, (c, r) ->
        {
            final List<Integer> o = shuffled(c, r);
            final int first = o.get(0);
            final int second = o.get(1);
            c.at(2 * S, "crash " + first, x -> x.crash(first));
            // A second crash somewhere inside the reformation: gather, commit or recovery.
            final long delay = (long)(c.tokenMs() * (0.8 + r.nextDouble() * 1.6)) * MS;
            c.at(2 * S + delay, "crash " + second, x -> x.crash(second));
            return new int[][] {toArray(o.subList(2, 4))};
        }),
        CHAOS(7, (c, r) ->
        {
            // Random partitions, heals, crashes and restarts; at the end everything heals and restarts.
            final int n = c.ids().length;
            final boolean[] down = new boolean[n + 1];
            long t = S + r.nextInt(1000) * MS;
            while (t < 7 * S)
            {
                final int kind = r.nextInt(4);
                if (kind == 0)
                {
                    final List<Integer> o = shuffled(c, r);
                    final int cut = 1 + r.nextInt(n - 1);
                    final int[] a = toArray(o.subList(0, cut));
                    final int[] b = toArray(o.subList(cut, n));
                    c.at(t, "partition " + Arrays.toString(a) + "|" + Arrays.toString(b), x -> x.network().partition(a, b));
                }
                else if (kind == 1)
                {
                    c.at(t, "heal", x -> x.network().heal());
                }
                else
                {
                    final int id = 1 + r.nextInt(n);
                    if (down[id])
                    {
                        down[id] = false;
                        c.at(t, "restart " + id, x -> x.start(id));
                    }
                    else
                    {
                        down[id] = true;
                        c.at(t, "crash " + id, x -> x.crash(id));
                    }
                }
                t += (50 + r.nextInt(1200)) * MS;
            }
            c.at(7 * S, "heal", x -> x.network().heal());
            for (int id = 1; id <= n; id++)
            {
                if (down[id])
                {
                    final int restart = id;
                    c.at(7 * S, "restart " + id, x -> x.start(restart));
                }
            }
            return new int[][] {c.ids()};
        }),
        LEAVE(3, (c, r) ->
        {
            final int id = 1 + r.nextInt(3);
            c.at(2 * S + r.nextInt(1000) * MS, "leave " + id, x -> x.leave(id));
            final List<Integer> rest = new ArrayList<>();
            IntStream.rangeClosed(1, 3).filter(i -> i != id).forEach(rest::add);
            return new int[][] {toArray(rest)};
        });

        final int nodes;
        final BiFunction<SimCluster, Random, int[][]> script;

        Scenario(final int nodes, final BiFunction<SimCluster, Random, int[][]> script)
        {
            this.nodes = nodes;
            this.script = script;
        }
    }

    static Stream<Arguments> scenarios()
    {
        return Stream.of(
            Arguments.of(Scenario.CRASH_SOME, 130), Arguments.of(Scenario.PARTITION_TWO_TWO, 120),
            Arguments.of(Scenario.ISOLATE_ONE, 120), Arguments.of(Scenario.PAUSE_PAST_TOKEN_TIMEOUT, 110),
            Arguments.of(Scenario.FLAPPING_LINK, 110), Arguments.of(Scenario.LATE_JOIN, 110),
            Arguments.of(Scenario.RESTART, 110), Arguments.of(Scenario.CRASH_DURING_MEMBERSHIP, 110),
            Arguments.of(Scenario.LEAVE, 100), Arguments.of(Scenario.CHAOS, 100));
    }

    @ParameterizedTest(name = "{0} x {1} seeds")
    @MethodSource("scenarios")
    void evsHolds(final Scenario scenario, final int seeds)
    {
        final long base = 7919L * (scenario.ordinal() + 1);
        LongStream.range(base, base + seeds).forEach(seed -> run(scenario, seed));
    }

    @Test
    void sendJoinSpreadsTheJoinsAndTheRingStillConverges()
    {
        for (long seed = 1; seed <= 30; seed++)
        {
            final SimCluster cluster = new SimCluster(seed, 7).sendJoinMs(80).accelerated(true);
            final int[][] components = Scenario.CHAOS.script.apply(cluster, cluster.random());
            for (final int id : cluster.ids())
            {
                cluster.at(0, "start " + id, c -> c.start(id));
            }
            cluster.traffic(S, 8 * S, 40);
            cluster.runUntil(14 * S);
            assertThat(EvsInvariants.check(cluster, components)).as("send_join 80 ms, %s", cluster).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0} x {1} seeds, accelerated off")
    @MethodSource("withoutAcceleration")
    void evsHoldsWithoutTheAcceleratedRing(final Scenario scenario, final int seeds)
    {
        final long base = 7919L * (scenario.ordinal() + 1);
        LongStream.range(base, base + seeds).forEach(seed -> run(scenario, seed, false));
    }

    static Stream<Arguments> withoutAcceleration()
    {
        return Stream.of(Arguments.of(Scenario.CRASH_DURING_MEMBERSHIP, 30), Arguments.of(Scenario.CHAOS, 30));
    }

    /**
     * The token rests after two quiet rotations instead of thirty, so it is resting (with the last
     * sender) whenever a crash, partition, join or leave strikes, and every message waits for it.
     */
    @ParameterizedTest(name = "{0} x {1} seeds, token resting after 2 quiet rotations")
    @MethodSource("withTheTokenResting")
    void evsHoldsWithTheTokenRestingAfterTwoQuietRotations(final Scenario scenario, final int seeds)
    {
        final long base = 104_729L * (scenario.ordinal() + 1);
        final long[] rests = new long[1];
        LongStream.range(base, base + seeds).forEach(seed ->
        {
            final SimCluster cluster = new SimCluster(seed, scenario.nodes).seqnoUnchangedConst(2);
            cluster.onStep(c -> rests[0] = Math.max(rests[0], totalRests(c)));
            runScript(cluster, scenario);
        });
        assertThat(rests[0]).as("token rests seen in one run at most").isGreaterThan(10);
    }

    static Stream<Arguments> withTheTokenResting()
    {
        return Stream.of(Arguments.of(Scenario.CRASH_SOME, 20), Arguments.of(Scenario.PARTITION_TWO_TWO, 20),
            Arguments.of(Scenario.LEAVE, 20), Arguments.of(Scenario.CRASH_DURING_MEMBERSHIP, 20),
            Arguments.of(Scenario.CHAOS, 30));
    }

    private static long totalRests(final SimCluster cluster)
    {
        long rests = 0;
        for (final int id : cluster.ids())
        {
            if (cluster.isUp(id) && cluster.node(id) != null)
            {
                rests += cluster.node(id).ring().counters().get(org.ringmaster.totem.RingCounters.Counter.TOKEN_HOLDS);
            }
        }
        return rests;
    }

    @Test
    void recoveryIsNotAcceleratedAndTheInstalledRingIs()
    {
        final int[] recoverySteps = new int[1];
        final List<String> accelerated = new ArrayList<>();
        for (long seed = 1; seed <= 10; seed++)
        {
            final SimCluster cluster = new SimCluster(seed, 4).accelerated(true);
            cluster.onStep(c ->
            {
                for (final int id : c.ids())
                {
                    final TotemNode node = c.node(id);
                    if (c.isUp(id) && node != null && node.state() == TotemNode.State.RECOVERY &&
                        node.recoveringRing() != null)
                    {
                        recoverySteps[0]++;
                        if (node.recoveringRing().isAccelerating())
                        {
                            accelerated.add("node " + id + " at " + c.network().nowNs());
                        }
                    }
                }
            });
            final int[][] components = Scenario.CRASH_SOME.script.apply(cluster, cluster.random());
            for (final int id : cluster.ids())
            {
                cluster.at(0, "start " + id, c -> c.start(id));
            }
            cluster.traffic(S, 8 * S, 40);
            cluster.runUntil(14 * S);
            assertThat(EvsInvariants.check(cluster, components)).as("%s", cluster).isEmpty();
            for (final int id : components[0])
            {
                assertThat(cluster.node(id).ring().isAccelerating()).as("installed ring of node %d", id).isTrue();
            }
        }
        assertThat(recoverySteps[0]).as("steps seen in recovery").isPositive();
        assertThat(accelerated).as("recovering rings that accelerated").isEmpty();
    }

    @Test
    void replay()
    {
        final Scenario scenario = Scenario.valueOf(System.getProperty("ringmaster.sim.scenario", "CRASH_SOME"));
        final boolean accelerated = Boolean.parseBoolean(System.getProperty("ringmaster.sim.accelerated", "true"));
        run(scenario, Long.getLong("ringmaster.sim.seed", 1L), accelerated);
    }

    static SimCluster run(final Scenario scenario, final long seed)
    {
        return run(scenario, seed, true);
    }

    static SimCluster run(final Scenario scenario, final long seed, final boolean accelerated)
    {
        return runScript(new SimCluster(seed, scenario.nodes).accelerated(accelerated), scenario);
    }

    /** Faults, the scenario's script, starts and traffic on {@code cluster}, then the EVS check. */
    static SimCluster runScript(final SimCluster cluster, final Scenario scenario)
    {
        final Random random = cluster.random();
        final double loss = random.nextInt(3) == 0 ? 0 : 0.02 + random.nextDouble() * 0.03;
        cluster.faults(LinkFaults.lossy(loss, 0.01));
        final int[][] finalComponents = scenario.script.apply(cluster, random);
        for (final int id : cluster.ids())
        {
            if (!cluster.isHeldBack(id))
            {
                cluster.at(0, "start " + id, c -> c.start(id));
            }
        }
        cluster.traffic(S, 8 * S, 40);
        cluster.runUntil(14 * S);
        final List<String> violations = EvsInvariants.check(cluster, finalComponents);
        assertThat(violations).as("%s %s broke EVS; replay with -Dtest=MembershipSimulationTest#replay " +
            "-Dringmaster.sim.scenario=%s -Dringmaster.sim.seed=%d -Dringmaster.sim.accelerated=%s",
            scenario, cluster, scenario, cluster.seed(), cluster.accelerated()).isEmpty();
        return cluster;
    }

    private static List<Integer> shuffled(final SimCluster c, final Random r)
    {
        final List<Integer> ids = new ArrayList<>();
        for (final int id : c.ids())
        {
            ids.add(id);
        }
        java.util.Collections.shuffle(ids, r);
        return ids;
    }

    private static int[] toArray(final List<Integer> ids)
    {
        return ids.stream().mapToInt(Integer::intValue).sorted().toArray();
    }
}
