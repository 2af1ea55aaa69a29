package org.ringmaster.daemon.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ringmaster.daemon.node.LocalCluster;

/** ringctl's daemon verbs, in-process, against a one-node cluster. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RingctlDaemonTest {

    @TempDir
    static Path dir;
    private static LocalCluster cluster;
    private static String socket;

    private record Run(int code, String out, String err) {
    }

    private static Run ringctl(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Ringctl.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    @BeforeAll
    static void start() throws Exception {
        cluster = LocalCluster.start(dir, 1);
        socket = cluster.node(1).socket().toString();
        await().atMost(Duration.ofSeconds(20)).until(() -> cluster.node(1).node().view().state().equals("OPERATIONAL"));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void status() {
        Run r = ringctl("status", "--socket", socket);
        assertThat(r.code()).as(r.err()).isEqualTo(Ringctl.OK);
        assertThat(r.out()).contains("node 1 (n1) at 127.0.0.1, cluster test")
                .containsPattern("state OPERATIONAL, ring [0-9]+/1, 1 members: 1")
                .contains("transport udpu, crypto sha256/aes256, netmtu " + cluster.node(1).node().settings().netmtu())
                .contains("quorum: quorate (total votes 1, expected 1, needed 1)");
        Run json = ringctl("status", "--json", "--socket", socket);
        assertThat(json.out()).startsWith("{\"node\":1,\"name\":\"n1\",\"address\":\"127.0.0.1\",\"cluster\":\"test\","
                + "\"state\":\"OPERATIONAL\",\"ring_seq\":").contains("\"members\":[1]").contains("\"quorum\":\"quorate\"")
                .contains("\"netmtu\":" + cluster.node(1).node().settings().netmtu());
    }

    @Test
    void membersQuorumMetrics() {
        assertThat(ringctl("members", "--socket", socket).out()).contains("1          n1                   127.0.0.1 (local)");
        assertThat(ringctl("members", "--json", "--socket", socket).out().trim())
                .isEqualTo("{\"members\":[{\"nodeid\":1,\"name\":\"n1\",\"address\":\"127.0.0.1\"}]}");
        Run q = ringctl("quorum", "--socket", socket);
        assertThat(q.out()).contains("Quorate:          Yes").contains("Expected votes:   1")
                .contains("1          1      1         member (local)");
        assertThat(ringctl("quorum", "--json", "--socket", socket).out()).contains("\"quorate\":true")
                .contains("\"nodes\":[{\"nodeid\":1,\"votes\":1,\"expected_votes\":1,\"state\":\"member\"}]");
        assertThat(ringctl("metrics", "--socket", socket).out()).contains("ringmaster.membership.members{node=\"1\"} 1");
        assertThat(ringctl("metrics", "--json", "--socket", socket).out())
                .contains("\"ringmaster.membership.members{node=\\\"1\\\"}\":1");
    }

    @Test
    void monRefreshes() {
        Run r = ringctl("mon", "--count", "2", "--interval", "1", "--socket", socket);
        assertThat(r.code()).as(r.err()).isEqualTo(Ringctl.OK);
        assertThat(r.out().split("ringmaster: node 1 \\(n1\\), OPERATIONAL", -1)).hasSize(3);
        assertThat(r.out()).contains("1 members:").contains("  1      n1                   127.0.0.1 (local)");
    }

    @Test
    void fenceVerbsOnANodeWithoutAFencerExitOneSayingSo() {
        Run r = ringctl("fence", "history", "--socket", socket);
        assertThat(r.code()).isEqualTo(Ringctl.INVALID);
        assertThat(r.err()).contains("no fencer runs on this node (the configuration has no fencing section)");
        assertThat(ringctl("fence", "n1", "--socket", socket).code()).isEqualTo(Ringctl.INVALID);
    }

    @Test
    void unreachableDaemonExitsOneWithTheReason() throws Exception {
        Path missing = dir.resolve("missing.sock");
        Run r = ringctl("status", "--socket", missing.toString());
        assertThat(r.code()).isEqualTo(Ringctl.INVALID);
        assertThat(r.err()).contains("ringctl status: cannot connect to ringmasterd at " + missing)
                .contains("is it running?");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void keygenWritesAnOwnerOnlyKey() throws Exception {
        Path key = dir.resolve("keys").resolve("authkey");
        Files.createDirectories(key.getParent());
        Run r = ringctl("keygen", "-k", key.toString(), "-s", "128");
        assertThat(r.code()).as(r.err()).isEqualTo(Ringctl.OK);
        assertThat(Files.size(key)).isEqualTo(128);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
                .isEqualTo("r--------");
        Run again = ringctl("keygen", "-k", key.toString());
        assertThat(again.code()).isEqualTo(Ringctl.INVALID);
        assertThat(again.err()).contains("ringctl keygen:").contains(key.toString());
    }
}
