package org.ringmaster.membership;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ringmaster.membership.sim.EvsInvariants;
import org.ringmaster.membership.sim.SimCluster;
import org.ringmaster.totem.sim.LinkFaults;

/** The EVS checker must catch a ring that skips recovery, and recovery must really carry messages. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class EvsCheckerCanFailTest
{
    private static final long S = TimeUnit.SECONDS.toNanos(1);

    private static SimCluster crashUnderLoad(final long seed, final boolean broken)
    {
        final SimCluster cluster = new SimCluster(seed, 4);
        cluster.faults(LinkFaults.lossy(0.05, 0.01));
        for (final int id : cluster.ids())
        {
            cluster.start(id);
            cluster.node(id).brokenSkipRecoveryRetransmission = broken;
        }
        cluster.traffic(S, 6 * S, 400);
        cluster.at(2 * S + seed % 1000 * 1_000_000, "crash 4", c -> c.crash(4));
        cluster.runUntil(12 * S);
        return cluster;
    }

    @Test
    void skippingRecoveryIsCaught()
    {
        int caught = 0;
        for (long seed = 1; seed <= 20; seed++)
        {
            final List<String> violations = EvsInvariants.check(crashUnderLoad(seed, true), new int[] {1, 2, 3});
            if (!violations.isEmpty())
            {
                caught++;
            }
        }
        assertThat(caught).as("runs of the broken ring in which the checker found a violation").isPositive();
    }

    @Test
    void recoveryCarriesOldRingMessagesAndEvsHolds()
    {
        long recovered = 0;
        for (long seed = 1; seed <= 20; seed++)
        {
            final SimCluster cluster = crashUnderLoad(seed, false);
            assertThat(EvsInvariants.check(cluster, new int[] {1, 2, 3})).as("seed %d %s", seed, cluster).isEmpty();
            for (int id = 1; id <= 3; id++)
            {
                recovered += cluster.node(id).recoveredSent();
            }
        }
        assertThat(recovered).as("old-ring datagrams rebroadcast in recoveries").isPositive();
    }
}
