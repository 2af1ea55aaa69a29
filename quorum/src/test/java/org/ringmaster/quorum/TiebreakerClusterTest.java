package org.ringmaster.quorum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ringmaster.quorum.ping.PingConfig;
import org.ringmaster.quorum.ping.PingDevice;
import org.ringmaster.quorum.ping.TcpProbe;
import org.ringmaster.quorum.qdisk.FileDiskIo;
import org.ringmaster.quorum.qdisk.QdiskConfig;
import org.ringmaster.quorum.qdisk.QdiskState;
import org.ringmaster.quorum.qdisk.QuorumDisk;
import org.ringmaster.quorum.sim.SimCluster;

/**
 * Two-node clusters (qdiskd's recommended layout: two_node off, node votes 1, device votes 1,
 * expected 3) where the device breaks the tie. Real file and real sockets; virtual cluster clock.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TiebreakerClusterTest
{
    private static final QuorumConfig TWO_PLUS_DEVICE = QuorumConfig.builder().nodesWithVotes(1, 1).deviceVotes(1).build();

    @Test
    void qdiskOnASharedFileOnlyTheMastersSideStaysQuorate(@TempDir final Path dir) throws IOException
    {
        final Path file = dir.resolve("qdisk.img");
        try (FileDiskIo fmt = FileDiskIo.create(file))
        {
            QuorumDisk.format(fmt, "cluster", 4);
        }
        final QdiskConfig qc = QdiskConfig.builder().intervalMs(100).tko(6).label("cluster").build();
        final List<QuorumDisk> disks = new ArrayList<>();
        final SimCluster sim = new SimCluster(TWO_PLUS_DEVICE, id -> {
            try
            {
                final QuorumDisk d = new QuorumDisk(qc, id, FileDiskIo.open(file), new NoHeuristics(), 100 + id);
                disks.add(d);
                return d;
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        });
        try
        {
            sim.start(1, 2).heal().settle().advanceMs(3_000);
            assertThat(sim.quorateNodes()).containsExactly(1, 2);
            assertThat(sim.node(1).state().totalVotes()).isEqualTo(3);
            assertThat(sim.node(1).state().has(QuorumFlag.QUORUM_DEVICE_CAST_VOTE)).isTrue();
            assertThat(disks.get(0).state()).isEqualTo(QdiskState.MASTER);

            sim.split(new int[] {1}, new int[] {2}).settle();
            for (int i = 0; i < 30; i++)
            {
                sim.advanceMs(100);
                assertThat(sim.quorateNodes()).containsExactly(1);
            }
            assertThat(sim.node(2).state().totalVotes()).isEqualTo(1);

            // Garbage in node 2's slot and in an unused slot: nothing crashes, no false master appears.
            final Random rnd = new Random(3);
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file,
                java.nio.file.StandardOpenOption.WRITE))
            {
                for (int round = 0; round < 10; round++)
                {
                    final byte[] junk = new byte[512];
                    rnd.nextBytes(junk);
                    ch.write(java.nio.ByteBuffer.wrap(junk), 3 * 512L);
                    rnd.nextBytes(junk);
                    ch.write(java.nio.ByteBuffer.wrap(junk), 2 * 512L);
                    sim.advanceMs(100);
                    assertThat(sim.quorateNodes()).containsExactly(1);
                    assertThat(disks.get(1).castsVote()).isFalse();
                }
            }
            assertThat(disks.get(0).garbageSlots()).contains(3);

            // The master crashes: after tko the survivor takes the disk and regains quorum alone.
            sim.crash(1).settle();
            assertThat(sim.quorateNodes()).isEmpty();
            sim.advanceMs(2_500);
            assertThat(sim.quorateNodes()).containsExactly(2);
            assertThat(disks.get(1).state()).isEqualTo(QdiskState.MASTER);
        }
        finally
        {
            disks.forEach(QuorumDisk::close);
        }
    }

    @Test
    void pingTargetReachableByOneSideOnlyDecides() throws IOException
    {
        final ServerSocket gateway = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        final int closedPort;
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1")))
        {
            closedPort = s.getLocalPort();
        }
        final List<PingDevice> devices = new ArrayList<>();
        // Node 1 is configured to reach the live listener; node 2's route leads to a closed port.
        // Probes answer in real time while the cluster clock is virtual, so deadping is kept well above
        // the virtual time one test phase spans.
        final SimCluster sim = new SimCluster(TWO_PLUS_DEVICE, id -> {
            final int port = id == 1 ? gateway.getLocalPort() : closedPort;
            final PingDevice d = new PingDevice(PingConfig.builder().ping("127.0.0.1:" + port).intervalMs(100)
                .timeoutMs(200).deadPingMs(5_000).build(), new TcpProbe());
            devices.add(d);
            return d;
        });
        try
        {
            sim.start(1, 2).heal().settle();
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                sim.advanceMs(100);
                return sim.node(1).state().has(QuorumFlag.QUORUM_DEVICE_CAST_VOTE);
            });
            assertThat(sim.quorateNodes()).containsExactly(1, 2);
            sim.split(new int[] {1}, new int[] {2}).settle();
            for (int i = 0; i < 10; i++)
            {
                sim.advanceMs(100);
                assertThat(sim.quorateNodes()).containsExactly(1);
            }
            assertThat(devices.get(1).castsVote()).isFalse();
            // The gateway goes away: after deadping node 1 loses its tiebreak too.
            gateway.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                sim.advanceMs(1_000);
                return sim.quorateNodes().isEmpty();
            });
        }
        finally
        {
            gateway.close();
            devices.forEach(PingDevice::close);
        }
    }

    /** qdisk without heuristics. */
    static final class NoHeuristics implements org.ringmaster.quorum.qdisk.HeuristicRunner
    {
        @Override
        public void start(final org.ringmaster.quorum.qdisk.Heuristic h, final Callback callback)
        {
            throw new AssertionError("no heuristics configured");
        }

        @Override
        public void close()
        {
        }
    }
}
