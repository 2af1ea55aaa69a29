package org.ringmaster.quorum.evs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ringmaster.membership.sim.SimCluster;
import org.ringmaster.quorum.EvsQuorum;
import org.ringmaster.quorum.QuorumConfig;
import org.ringmaster.quorum.QuorumDevice;
import org.ringmaster.quorum.QuorumFlag;
import org.ringmaster.quorum.QuorumListener;
import org.ringmaster.quorum.QuorumState;
import org.ringmaster.quorum.qdisk.Heuristic;
import org.ringmaster.quorum.qdisk.HeuristicRunner;
import org.ringmaster.quorum.qdisk.MemoryDiskIo;
import org.ringmaster.quorum.qdisk.QdiskConfig;
import org.ringmaster.quorum.qdisk.QuorumDisk;
import org.ringmaster.totem.RingId;
import org.ringmaster.totem.sim.LinkFaults;

/**
 * Votequorum on the real Totem membership (the membership simulation harness): random partitions,
 * heals, crashes and restarts must never leave two partitions quorate at the same time, checked
 * after every step of the run. Replay with
 * {@code -Dtest=QuorumOnTotemSimulationTest#replay -Dquorum.evs.votes=4,2,1,2 -Dquorum.evs.seed=S}.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class QuorumOnTotemSimulationTest
{
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long S = TimeUnit.SECONDS.toNanos(1);

    @ParameterizedTest(name = "votes {0}, wait_for_all {1}: {2} seeds")
    @CsvSource({"'4,2,1,2', false, 300", "'1,1,1', false, 250", "'1,1,1,1,1', false, 200", "'3,1,1,1,1', true, 150",
        "'1,1,1,1', false, 150"})
    void neverTwoQuoratePartitions(final String votes, final boolean waitForAll, final int seeds)
    {
        final int[] v = Arrays.stream(votes.split(",")).mapToInt(Integer::parseInt).toArray();
        final long base = 104_729L * v.length + (waitForAll ? 7 : 0);
        final long[] quorateSteps = new long[1];
        LongStream.range(base, base + seeds).forEach(seed -> quorateSteps[0] += run(seed, v, waitForAll, false));
        assertThat(quorateSteps[0]).as("steps at which some partition was quorate").isPositive();
    }

    /**
     * A quorum disk (a real {@link QuorumDisk} on one shared in-memory disk, which every live node
     * reaches whatever the network does) with the device votes Corosync defaults to (nodes - 1), so a
     * single node holding the master is quorate: the disk's one master must be what keeps partitions
     * apart. Devices are driven every 50 ms, as the daemon's duty cycle does.
     */
    @ParameterizedTest(name = "votes {0} + qdisk: {1} seeds")
    @CsvSource({"'1,1', 100", "'1,1,1', 80", "'1,1,1,1', 60"})
    void neverTwoQuoratePartitionsWithAQuorumDisk(final String votes, final int seeds)
    {
        final int[] v = Arrays.stream(votes.split(",")).mapToInt(Integer::parseInt).toArray();
        final long base = 7_919L * v.length;
        final long[] deviceDecided = new long[1];
        LongStream.range(base, base + seeds).forEach(seed -> deviceDecided[0] += run(seed, v, false, true));
        assertThat(deviceDecided[0]).as("steps at which a partition was quorate only through the disk's votes")
            .isPositive();
    }

    @Test
    void replay()
    {
        final int[] v = Arrays.stream(System.getProperty("quorum.evs.votes", "4,2,1,2").split(","))
            .mapToInt(Integer::parseInt).toArray();
        run(Long.getLong("quorum.evs.seed", 1L), v, Boolean.getBoolean("quorum.evs.waitForAll"),
            Boolean.getBoolean("quorum.evs.qdisk"));
    }

    /** A fast disk: a dead master is replaced after 20 x 100 ms, longer than the 1 s token. */
    private static final QdiskConfig SIM_QDISK = QdiskConfig.builder().intervalMs(100).tko(20).build();

    /**
     * @return how many steps had a quorate node (to prove the check had something to check); with a
     * quorum disk, how many steps had a node quorate only through the disk's votes.
     */
    private static long run(final long seed, final int[] votes, final boolean waitForAll, final boolean qdisk)
    {
        final SimCluster cluster = new SimCluster(seed, votes.length);
        final Random random = cluster.random();
        cluster.faults(LinkFaults.lossy(random.nextBoolean() ? 0 : 0.03, 0.01));
        final QuorumConfig config = QuorumConfig.builder().nodesWithVotes(votes).waitForAll(waitForAll)
            .deviceVotes(qdisk ? votes.length - 1 : 0).build();
        final MemoryDiskIo disk = new MemoryDiskIo(16);
        QuorumDisk.format(disk.view("sim"), "sim", 16);
        final long[] incarnations = {0};
        final Map<Integer, EvsQuorum> quorums = new HashMap<>();
        final List<String> violations = new ArrayList<>();
        final long[] quorateSteps = new long[1];
        final long[] deviceSteps = new long[1];
        cluster.above((id, node, channel) ->
        {
            final QuorumListener ignore = state -> { };
            final QuorumDevice device = qdisk ? new QuorumDisk(SIM_QDISK, id, disk.view("sim"), PASSING,
                ++incarnations[0]) : null;
            final EvsQuorum quorum = new EvsQuorum(node, channel, config, device, ignore,
                () -> cluster.network().nowNs());
            quorums.put(id, quorum);
            return quorum;
        });
        cluster.onWork((id, now) -> quorums.get(id).doWork(now));
        if (qdisk)
        {
            for (long t = 0; t < 10 * S; t += 50 * MS)
            {
                cluster.at(t, "drive devices", c -> Arrays.stream(c.ids()).filter(c::isUp)
                    .forEach(id -> quorums.get(id).doWork(c.network().nowNs())));
            }
        }
        cluster.onStep(c ->
        {
            final long now = c.network().nowNs();
            RingId quorateRing = null;
            int quorateNode = 0;
            for (final int id : c.ids())
            {
                if (c.isUp(id) && quorums.get(id).isQuorate(now))
                {
                    final RingId ring = c.node(id).ringId();
                    final QuorumState st = quorums.get(id).votes().state();
                    if (st.has(QuorumFlag.QUORUM_DEVICE_CAST_VOTE) && st.totalVotes() - config.deviceVotes() < st.quorum())
                    {
                        deviceSteps[0]++;
                    }
                    if (quorateRing == null)
                    {
                        quorateRing = ring;
                        quorateNode = id;
                        quorateSteps[0]++;
                    }
                    else if (!quorateRing.equals(ring) && violations.size() < 5)
                    {
                        violations.add("at " + now / 1_000_000 + " ms node " + quorateNode + " is quorate in ring " +
                            quorateRing + " and node " + id + " in ring " + ring);
                    }
                }
            }
        });
        scriptChaos(cluster, random);
        for (final int id : cluster.ids())
        {
            cluster.at(0, "start " + id, c -> c.start(id));
        }
        cluster.traffic(S / 2, 6 * S, 20);
        cluster.runUntil(10 * S);
        assertThat(violations).as("seed %d votes %s wait_for_all %s qdisk %s: two quorate partitions; %s; replay " +
            "with -Dtest=QuorumOnTotemSimulationTest#replay -Dquorum.evs.votes=%s -Dquorum.evs.waitForAll=%s " +
            "-Dquorum.evs.qdisk=%s -Dquorum.evs.seed=%d", seed, Arrays.toString(votes), waitForAll, qdisk,
            scriptWithoutTicks(cluster), join(votes), waitForAll, qdisk, seed).isEmpty();
        // Healed and restarted at the end: everyone is together and quorate.
        for (final int id : cluster.ids())
        {
            assertThat(quorums.get(id).isQuorate(cluster.network().nowNs()))
                .as("seed %d: node %d quorate after the final heal; %s", seed, id, cluster).isTrue();
        }
        return qdisk ? deviceSteps[0] : quorateSteps[0];
    }

    /** A heuristic runner whose every heuristic passes (the sim disk config has none anyway). */
    private static final HeuristicRunner PASSING = new HeuristicRunner()
    {
        public void start(final Heuristic h, final Callback callback)
        {
            callback.done(true, "sim");
        }

        public void close()
        {
        }
    };

    private static String scriptWithoutTicks(final SimCluster c)
    {
        return c.script().stream().filter(l -> !l.endsWith("drive devices")).toList() + " " + c.toString()
            .replaceAll(", script=\\[.*", "}");
    }

    private static void scriptChaos(final SimCluster c, final Random r)
    {
        final int n = c.ids().length;
        final boolean[] down = new boolean[n + 1];
        long t = S + r.nextInt(1000) * MS;
        while (t < 6 * S)
        {
            final int kind = r.nextInt(4);
            if (kind <= 1)
            {
                final List<Integer> o = new ArrayList<>();
                Arrays.stream(c.ids()).forEach(o::add);
                java.util.Collections.shuffle(o, r);
                final int cut = 1 + r.nextInt(n - 1);
                final int[] a = o.subList(0, cut).stream().mapToInt(Integer::intValue).toArray();
                final int[] b = o.subList(cut, n).stream().mapToInt(Integer::intValue).toArray();
                c.at(t, "partition " + Arrays.toString(a) + "|" + Arrays.toString(b), x -> x.network().partition(a, b));
            }
            else if (kind == 2)
            {
                c.at(t, "heal", x -> x.network().heal());
            }
            else
            {
                final int id = 1 + r.nextInt(n);
                down[id] = !down[id];
                if (down[id])
                {
                    c.at(t, "crash " + id, x -> x.crash(id));
                }
                else
                {
                    c.at(t, "restart " + id, x -> x.start(id));
                }
            }
            t += (100 + r.nextInt(1500)) * MS;
        }
        c.at(6 * S, "heal", x -> x.network().heal());
        for (int id = 1; id <= n; id++)
        {
            if (down[id])
            {
                final int restart = id;
                c.at(6 * S, "restart " + id, x -> x.start(restart));
            }
        }
    }

    private static String join(final int[] votes)
    {
        return String.join(",", Arrays.stream(votes).mapToObj(String::valueOf).toList());
    }
}
