package org.ringmaster.daemon.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ringmaster.daemon.cli.Ringctl;
import org.ringmaster.daemon.config.ClusterConfig;
import org.ringmaster.daemon.config.HostAddress;
import org.ringmaster.daemon.config.LocalNode;
import org.ringmaster.quorum.QuorumDevice;
import org.ringmaster.quorum.ping.PingDevice;
import org.ringmaster.quorum.qdisk.QuorumDisk;

/** The quorum device a node opens from its configuration, and the errors that name the disk. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class QuorumDevicesTest {

    @TempDir
    Path dir;

    private static NodeSettings settings(String device, Path stateDir) throws Exception {
        String text = "totem {\n version: 2\n cluster_name: t\n transport: udpu\n crypto_cipher: none\n"
                + " crypto_hash: none\n}\nnodelist {\n node {\n  nodeid: 1\n  ring0_addr: 127.0.0.1\n }\n"
                + " node {\n  nodeid: 2\n  ring0_addr: 127.0.0.2\n }\n}\nquorum {\n provider: corosync_votequorum\n"
                + device + "}\n";
        ClusterConfig config = ClusterConfig.parse("t.conf", text);
        LocalNode local = LocalNode.find(config, Optional.of("1"),
                List.of(new HostAddress(InetAddress.getByName("127.0.0.1"), 8)), LocalNode.SYSTEM_RESOLVER);
        return NodeSettings.derive(config, local, stateDir, LocalNode.SYSTEM_RESOLVER, p -> false);
    }

    private static String qdisk(Path path) {
        return " device {\n  model: qdisk\n  qdisk {\n   path: " + path + "\n  }\n }\n";
    }

    private static int ringctl(StringWriter out, String... args) {
        StringWriter err = new StringWriter();
        int code = Ringctl.run(new PrintWriter(out), new PrintWriter(err), args);
        out.append(err.toString());
        return code;
    }

    @Test
    void aFormattedDiskOpensAndCountsNodesMinusOneVotes() throws Exception {
        Path disk = dir.resolve("q.img");
        StringWriter out = new StringWriter();
        assertThat(ringctl(out, "qdisk", "format", disk.toString(), "--nodes", "4")).as(out.toString()).isZero();
        assertThat(out.toString()).contains("formatted " + disk + " as a quorum disk for node ids 1..4");
        StringWriter again = new StringWriter();
        assertThat(ringctl(again, "qdisk", "format", disk.toString())).isEqualTo(1);
        assertThat(again.toString()).contains("already holds data; use --force");

        NodeSettings s = settings(qdisk(disk), dir);
        assertThat(s.quorum().orElseThrow().deviceVotes()).as("corosync's default: nodes - 1").isEqualTo(1);
        assertThat(s.quorum().get().expectedVotes()).isEqualTo(3);
        QuorumDevice d = QuorumDevices.open(s).orElseThrow();
        try {
            assertThat(d).isInstanceOf(QuorumDisk.class);
            d.doWork(System.nanoTime());
            assertThat(d.details()).containsEntry("disk", disk.toString()).containsEntry("master", "none");
        } finally {
            ((QuorumDisk) d).close();
        }
    }

    @Test
    void aMissingOrGarbageDiskIsRefusedNamingTheKeyAndTheFile() throws Exception {
        Path missing = dir.resolve("missing.img");
        NodeSettings s = settings(qdisk(missing), dir);
        assertThatThrownBy(() -> QuorumDevices.open(s)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("quorum.device.qdisk.path: cannot open the quorum disk " + missing);

        Path garbage = dir.resolve("garbage.img");
        byte[] junk = new byte[4096];
        new Random(7).nextBytes(junk);
        Files.write(garbage, junk);
        NodeSettings g = settings(qdisk(garbage), dir);
        assertThatThrownBy(() -> QuorumDevices.open(g)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("quorum.device.qdisk.path: " + garbage)
                .hasMessageContaining("ringctl qdisk format " + garbage);
    }

    @Test
    void pingUsesTheConfiguredProbeAndNoDeviceWithoutASection() throws Exception {
        NodeSettings s = settings(" device {\n  model: ping\n  ping {\n   host: 127.0.0.1\n   probe: udp:7\n  }\n }\n",
                dir);
        assertThat(s.quorum().orElseThrow().waitForAll()).isTrue();
        QuorumDevice d = QuorumDevices.open(s).orElseThrow();
        try {
            assertThat(d).isInstanceOf(PingDevice.class);
            assertThat(d.details()).containsEntry("groups_up", "0/1").containsEntry("unreachable", "127.0.0.1:7");
        } finally {
            ((PingDevice) d).close();
        }
        assertThat(QuorumDevices.open(settings("", dir))).isEmpty();
        NodeSettings net = settings(" device {\n  model: net\n  votes: 1\n }\n", dir);
        assertThat(net.quorum().orElseThrow().deviceVotes()).as("net is not ours: votes only").isZero();
        assertThat(net.notes()).anySatisfy(n -> assertThat(n).contains("model net is not implemented"));
        assertThat(QuorumDevices.open(net)).isEmpty();
    }
}
