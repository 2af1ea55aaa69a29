package org.ringmaster.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** ringmasterd refuses to start on bad input with a clear message and exit code, leaving nothing running. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BrokenStartTest {

    @TempDir
    Path dir;

    private DaemonCluster.Result ringmasterd(String... args) throws Exception {
        return DaemonCluster.run(dir.resolve("out-" + System.nanoTime()), DaemonCluster.RINGMASTERD, args);
    }

    @Test
    void brokenConfigNamesTheLineAndExitsOne() throws Exception {
        Path conf = dir.resolve("broken.conf");
        Files.writeString(conf, "totem {\n    version: 2\n    token 3000\n}\n");
        DaemonCluster.Result r = ringmasterd("-c", conf.toString(), "--socket", dir.resolve("s").toString());
        assertThat(r.code()).as(r.output()).isEqualTo(1);
        assertThat(r.output()).contains(conf + ":3:5: error: totem.token 3000")
                .contains(conf + " is invalid (").contains("nothing started");
        assertThat(dir.resolve("s")).doesNotExist();
    }

    @Test
    void missingConfigAuthkeyOrNodeAreClearErrors() throws Exception {
        DaemonCluster.Result none = ringmasterd("-c", dir.resolve("absent.conf").toString());
        assertThat(none.code()).as(none.output()).isEqualTo(1);
        assertThat(none.output()).contains("absent.conf");

        DaemonCluster cluster = DaemonCluster.create(dir, 3);
        Files.delete(dir.resolve("authkey"));
        DaemonCluster.Result noKey = ringmasterd("-c", cluster.config().toString(), "--node", "n1",
                "--socket", cluster.socket(1).toString(), "--state-dir", dir.resolve("state").toString());
        assertThat(noKey.code()).as(noKey.output()).isEqualTo(1);
        assertThat(noKey.output()).contains("cannot start: totem.keyfile: authkey " + dir.resolve("authkey")
                + " does not exist");

        DaemonCluster.Result badNode = ringmasterd("-c", cluster.config().toString(), "--node", "n9");
        assertThat(badNode.code()).as(badNode.output()).isEqualTo(1);
        assertThat(badNode.output()).contains("local node: --node n9: no node with that name or nodeid");

        DaemonCluster.Result usage = ringmasterd("--frobnicate");
        assertThat(usage.code()).isEqualTo(2);
        assertThat(usage.output()).contains("Unknown option: '--frobnicate'");
    }

    @Test
    void anUnformattedQuorumDiskIsRefusedNamingTheKeyAndTheFile() throws Exception {
        Path disk = dir.resolve("garbage.img");
        byte[] junk = new byte[8192];
        new java.util.Random(11).nextBytes(junk);
        Files.write(disk, junk);
        DaemonCluster cluster = DaemonCluster.create(dir, 2, (self, node) -> "127.0.0." + node,
                self -> "    device {\n        model: qdisk\n        qdisk {\n            path: " + disk
                        + "\n        }\n    }\n");
        DaemonCluster.Result r = ringmasterd("-c", cluster.config().toString(), "--node", "n1",
                "--socket", cluster.socket(1).toString(), "--state-dir", dir.resolve("state").toString());
        assertThat(r.code()).as(r.output()).isEqualTo(1);
        assertThat(r.output()).contains("cannot start: quorum.device.qdisk.path: " + disk)
                .contains("ringctl qdisk format " + disk);
        assertThat(cluster.socket(1)).doesNotExist();
    }

    @Test
    void aSecondDaemonForTheSameNodeIsRefused() throws Exception {
        try (DaemonCluster cluster = DaemonCluster.create(dir, 1)) {
            cluster.start(1);
            await().atMost(Duration.ofSeconds(40)).until(() -> cluster.status(1) != null);
            DaemonCluster.Result second = ringmasterd("-c", cluster.config().toString(), "--node", "n1",
                    "--socket", dir.resolve("other.sock").toString(), "--state-dir", dir.resolve("state").toString());
            assertThat(second.code()).as(second.output()).isEqualTo(1);
            assertThat(second.output()).contains("node 1 is already running with state dir");
            DaemonCluster.Result sameSocket = ringmasterd("-c", cluster.config().toString(), "--node", "n1",
                    "--socket", cluster.socket(1).toString(), "--state-dir", dir.resolve("state2").toString());
            assertThat(sameSocket.code()).as(sameSocket.output()).isEqualTo(1);
            assertThat(cluster.status(1).state()).as("the first one still serves").isEqualTo("OPERATIONAL");
        }
    }
}
