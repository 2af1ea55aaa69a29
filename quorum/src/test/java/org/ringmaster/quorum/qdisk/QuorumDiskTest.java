package org.ringmaster.quorum.qdisk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class QuorumDiskTest
{
    static final QdiskConfig FAST = QdiskConfig.builder().intervalMs(100).tko(6).build();

    /** Several nodes on one shared disk, stepped on a manual clock; asserts one caster at most per step. */
    static final class Rig
    {
        final MemoryDiskIo disk;
        final List<MemoryDiskIo.View> views = new ArrayList<>();
        final List<QuorumDisk> nodes = new ArrayList<>();
        final boolean[] paused;
        final ScriptedHeuristics heuristics = new ScriptedHeuristics();
        long nowNs = 5_000_000_000L;

        Rig(final QdiskConfig config, final int n)
        {
            disk = new MemoryDiskIo(16);
            QuorumDisk.format(disk.view("fmt"), "test", 16);
            paused = new boolean[n + 1];
            for (int i = 1; i <= n; i++)
            {
                final MemoryDiskIo.View v = disk.view("mem:disk");
                views.add(v);
                nodes.add(new QuorumDisk(config, i, v, heuristics, 1000L * i));
            }
        }

        QuorumDisk node(final int id)
        {
            return nodes.get(id - 1);
        }

        void run(final int cycles, final long intervalMs)
        {
            for (int c = 0; c < cycles; c++)
            {
                nowNs += intervalMs * 1_000_000L;
                for (int i = 1; i <= nodes.size(); i++)
                {
                    if (!paused[i])
                    {
                        node(i).doWork(nowNs);
                    }
                    // A crashed or frozen node casts nothing anyone can count; the running ones must agree.
                    assertThat(casters()).as("running nodes casting the qdisk vote").hasSizeLessThanOrEqualTo(1);
                }
            }
        }

        List<Integer> casters()
        {
            final List<Integer> ids = new ArrayList<>();
            for (int i = 1; i <= nodes.size(); i++)
            {
                if (!paused[i] && nodes.get(i - 1).castsVote())
                {
                    ids.add(i);
                }
            }
            return ids;
        }
    }

    @Test
    void lowestEligibleNodeBecomesTheOnlyMaster()
    {
        final Rig rig = new Rig(FAST, 3);
        rig.run(1, 100);
        assertThat(rig.casters()).isEmpty(); // nobody bids before observing the disk for master_wait cycles
        rig.run(20, 100);
        assertThat(rig.casters()).containsExactly(1);
        assertThat(rig.node(2).masterId()).isEqualTo(1);
        assertThat(rig.node(3).state()).isEqualTo(QdiskState.RUN);
        assertThat(rig.node(3).onlineNodes()).containsExactly(1, 2);
    }

    @Test
    void aDeadMasterIsReplacedOnlyAfterTko()
    {
        final Rig rig = new Rig(FAST, 3);
        rig.run(20, 100);
        assertThat(rig.casters()).containsExactly(1);
        rig.paused[1] = true; // crash: stops writing
        rig.run(FAST.tko() - 1, 100);
        assertThat(rig.node(2).castsVote()).isFalse();
        rig.run(10, 100);
        assertThat(rig.casters()).containsExactly(2);
        assertThat(rig.node(3).masterId()).isEqualTo(2);
    }

    @Test
    void aStalledMasterGivesUpBeforeItsSuccessorTakesOver()
    {
        final Rig rig = new Rig(FAST, 2);
        rig.run(20, 100);
        assertThat(rig.casters()).containsExactly(1);
        rig.paused[1] = true;
        rig.run(15, 100); // node 2 takes over while node 1 is frozen
        assertThat(rig.casters()).containsExactly(2);
        rig.paused[1] = false;
        rig.run(1, 100); // node 1 wakes: its lease expired, it must not cast again
        assertThat(rig.node(1).castsVote()).isFalse();
        rig.run(20, 100);
        assertThat(rig.casters()).containsExactly(2);
        assertThat(rig.node(1).masterId()).isEqualTo(2);
    }

    @Test
    void heuristicsBelowMinScoreStopTheClaim()
    {
        final QdiskConfig cfg = QdiskConfig.builder().intervalMs(100).tko(6)
            .heuristic(new Heuristic("ping-gw", 1, 100, 1, 100)).heuristic(new Heuristic("check-san", 1, 100, 1, 100))
            .minScore(2).build();
        final Rig rig = new Rig(cfg, 2);
        rig.run(20, 100);
        assertThat(rig.casters()).containsExactly(1);
        assertThat(rig.node(1).score()).isEqualTo(2);
        rig.heuristics.outcome.put("ping-gw", false);
        rig.run(3, 100);
        assertThat(rig.node(1).castsVote()).isFalse();
        assertThat(rig.node(1).state()).isEqualTo(QdiskState.NONE);
        assertThat(rig.node(2).castsVote()).isFalse(); // same heuristic fails on node 2 too
        rig.heuristics.outcome.put("ping-gw", true);
        rig.run(20, 100);
        assertThat(rig.casters()).hasSize(1);
    }

    @Test
    void diskErrorsGiveUpTheVoteAndNameTheDisk()
    {
        final Rig rig = new Rig(FAST, 2);
        rig.run(20, 100);
        assertThat(rig.casters()).containsExactly(1);
        rig.views.get(0).failWrites = "No space left on device";
        rig.run(1, 100);
        assertThat(rig.node(1).castsVote()).isFalse();
        assertThat(rig.node(1).lastError()).isEqualTo(
            "qdisk mem:disk: writing the slot of node 1 at offset 512 failed: No space left on device (disk full)");
        rig.run(15, 100);
        assertThat(rig.casters()).containsExactly(2);
        rig.views.get(0).failWrites = null;
        rig.views.get(0).failReads = "Input/output error";
        rig.run(2, 100);
        assertThat(rig.node(1).lastError()).contains("reading slots at offset 512").contains("Input/output error");
        rig.views.get(0).failReads = null;
        rig.run(20, 100);
        assertThat(rig.casters()).containsExactly(2); // recovered node 1 follows the existing master
        assertThat(rig.node(1).masterId()).isEqualTo(2);
    }

    @Test
    void toleratesConfiguredErrorCycles()
    {
        final QdiskConfig cfg = QdiskConfig.builder().intervalMs(100).tko(6).maxErrorCycles(2).build();
        final Rig rig = new Rig(cfg, 1);
        rig.run(20, 100);
        assertThat(rig.casters()).containsExactly(1);
        rig.views.get(0).failWrites = "Input/output error";
        rig.run(1, 100);
        assertThat(rig.node(1).state()).isEqualTo(QdiskState.MASTER); // still within max_error_cycles
        rig.run(2, 100);
        assertThat(rig.node(1).state()).isEqualTo(QdiskState.NONE);
        assertThat(rig.node(1).castsVote()).isFalse();
    }

    @Test
    void garbageSlotsAreIgnoredNeverTrusted()
    {
        final Rig rig = new Rig(FAST, 2);
        final Random rnd = new Random(42);
        final byte[] junk = new byte[DiskLayout.SECTOR];
        rig.run(20, 100);
        for (int round = 0; round < 30; round++)
        {
            rnd.nextBytes(junk);
            System.arraycopy(junk, 0, rig.disk.bytes, (int)DiskLayout.slotOffset(3), junk.length); // nobody's slot
            if (round % 3 == 0)
            {
                rnd.nextBytes(junk);
                System.arraycopy(junk, 0, rig.disk.bytes, (int)DiskLayout.slotOffset(2), junk.length); // torn slot of 2
            }
            rig.run(1, 100);
            assertThat(rig.casters()).containsExactly(1);
            assertThat(rig.node(1).onlineNodes()).doesNotContain(3);
        }
        assertThat(rig.node(1).garbageSlots()).contains(3);
        // a forged slot claiming MASTER for node 3 but with a wrong checksum is not believed
        final ByteBuffer forged = ByteBuffer.allocate(DiskLayout.SECTOR);
        DiskLayout.encodeSlot(forged, new DiskLayout.Slot(3, QdiskState.MASTER, 7, 99, 0, 0, 0, 3));
        forged.put(30, (byte)(forged.get(30) ^ 0x40));
        for (int i = 0; i < 10; i++)
        {
            forged.put(25, (byte)i);
            System.arraycopy(forged.array(), 0, rig.disk.bytes, (int)DiskLayout.slotOffset(3), DiskLayout.SECTOR);
            rig.run(1, 100);
        }
        assertThat(rig.node(2).masterId()).isEqualTo(1);
        assertThat(rig.casters()).containsExactly(1);
        assertThat(rig.node(2).details()).containsEntry("master", "1").containsEntry("state", "run")
            .containsEntry("garbage_slots", "3").containsEntry("online", "1").containsEntry("slot_conflict", "no")
            .doesNotContainKey("last_error");
        assertThat(rig.node(1).details()).containsEntry("state", "master").containsEntry("master", "1");
    }

    @Test
    void twoProcessesWithTheSameNodeIdNeverClaim()
    {
        final Rig rig = new Rig(FAST, 2);
        rig.run(20, 100);
        assertThat(rig.casters()).containsExactly(1);
        // A second "node 1" (another incarnation) starts writing slot 1 too.
        final QuorumDisk impostor = new QuorumDisk(FAST, 1, rig.disk.view("mem:disk"), rig.heuristics, 999);
        long now = rig.nowNs;
        for (int i = 0; i < 5; i++)
        {
            now += 50_000_000L;
            impostor.doWork(now);
            rig.run(1, 50);
            now = rig.nowNs;
        }
        assertThat(rig.node(1).slotConflict()).isTrue();
        assertThat(rig.node(1).castsVote()).isFalse();
        assertThat(impostor.castsVote()).isFalse();
    }

    @Test
    void openingAnUnformattedOrForeignDiskFailsNamingIt()
    {
        final MemoryDiskIo disk = new MemoryDiskIo(4);
        assertThatThrownBy(() -> new QuorumDisk(FAST, 1, disk.view("/dev/sdz"), new ScriptedHeuristics(), 1))
            .isInstanceOf(QdiskException.class).hasMessage("/dev/sdz: not a ringmaster quorum disk (bad header magic); format it first");
        QuorumDisk.format(disk.view("/dev/sdz"), "alpha", 4);
        assertThatThrownBy(() -> new QuorumDisk(QdiskConfig.builder().label("beta").build(), 1, disk.view("/dev/sdz"),
            new ScriptedHeuristics(), 1)).hasMessageContaining("label is 'alpha', configured quorumd.label is 'beta'");
        assertThatThrownBy(() -> new QuorumDisk(FAST, 5, disk.view("/dev/sdz"), new ScriptedHeuristics(), 1))
            .hasMessageContaining("node id 5 has no slot on a disk formatted for 4 nodes");
        disk.bytes[30] ^= 1;
        assertThatThrownBy(() -> new QuorumDisk(FAST, 1, disk.view("/dev/sdz"), new ScriptedHeuristics(), 1))
            .hasMessageContaining("header checksum mismatch");
    }

    @Test
    void configValidationNamesTheKey()
    {
        assertThatThrownBy(() -> QdiskConfig.builder().tko(1).build()).hasMessageStartingWith("quorumd.tko:");
        assertThatThrownBy(() -> QdiskConfig.builder().intervalMs(0).build()).hasMessageStartingWith("quorumd.interval:");
        assertThatThrownBy(() -> QdiskConfig.builder().tko(4).tkoUp(5).build()).hasMessageStartingWith("quorumd.tko_up:");
        assertThatThrownBy(() -> QdiskConfig.builder().tko(10).tkoUp(3).masterWait(2).build())
            .hasMessageStartingWith("quorumd.master_wait:");
        assertThatThrownBy(() -> QdiskConfig.builder().heuristic(Heuristic.of("true")).minScore(3).build())
            .hasMessageStartingWith("quorumd.min_score:");
        assertThatThrownBy(() -> new Heuristic("true", 0, 1000, 1, 1000)).hasMessageStartingWith("heuristic.score:");
        assertThatThrownBy(() -> Heuristic.of(" ")).hasMessageStartingWith("heuristic.program:");
        final QdiskConfig d = QdiskConfig.builder().heuristic(Heuristic.of("a")).heuristic(Heuristic.of("b"))
            .heuristic(Heuristic.of("c")).build();
        assertThat(d.minScore()).isEqualTo(2);
        assertThat(d.tkoUp()).isEqualTo(3);
        assertThat(d.masterWait()).isEqualTo(5);
    }

    @Test
    void aRealFullDeviceIsReportedAsDiskFull()
    {
        final Path devFull = Path.of("/dev/full");
        assertThat(Files.isWritable(devFull)).as("/dev/full exists on Linux").isTrue();
        assertThatThrownBy(() -> {
            try (FileDiskIo io = FileDiskIo.open(devFull))
            {
                QuorumDisk.format(io, "x", 2);
            }
        }).isInstanceOf(QdiskException.class).hasMessageStartingWith("/dev/full: formatting failed writing offset 0")
            .hasMessageContaining("(disk full)");
    }

    @Test
    void twoNodesOnARealFileElectOneMaster(@TempDir final Path dir) throws IOException
    {
        final Path file = dir.resolve("qdisk.img");
        try (FileDiskIo fmt = FileDiskIo.create(file))
        {
            QuorumDisk.format(fmt, "real", 4);
        }
        assertThat(Files.size(file)).isEqualTo(DiskLayout.size(4));
        try (QuorumDisk a = new QuorumDisk(FAST, 1, FileDiskIo.open(file), new ScriptedHeuristics(), 11);
            QuorumDisk b = new QuorumDisk(FAST, 2, FileDiskIo.open(file), new ScriptedHeuristics(), 22))
        {
            long now = 0;
            for (int i = 0; i < 20; i++)
            {
                now += 100_000_000L;
                a.doWork(now);
                b.doWork(now);
            }
            assertThat(a.castsVote()).isTrue();
            assertThat(b.castsVote()).isFalse();
            assertThat(b.masterId()).isEqualTo(1);
            assertThat(a.onlineNodes()).containsExactly(2);
        }
        // truncated file: reading the slots hits the end of the file, named clearly
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE))
        {
            ch.truncate(DiskLayout.SECTOR * 2L);
        }
        try (QuorumDisk a = new QuorumDisk(FAST, 1, FileDiskIo.open(file), new ScriptedHeuristics(), 33))
        {
            a.doWork(1);
            assertThat(a.castsVote()).isFalse();
            assertThat(a.lastError()).contains(file.toString()).contains("reading slots at offset 512")
                .contains("disk smaller than its layout");
        }
    }
}
