package org.ringmaster.daemon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code ringctl} run in-process: exit codes and what it prints. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class RingctlTest {

    private static final Path CONF = Path.of("src", "test", "resources", "conf");
    private static final Path CONFORMANCE = Path.of("..", "..", "shared", "conformance", "corosync-conf");

    private record Run(int code, String out, String err) {
    }

    private static Run ringctl(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Ringctl.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void checkGoodFile() {
        Run r = ringctl("config", "check", CONF.resolve("good/knet-multilink.conf").toString());
        assertThat(r.code()).isEqualTo(Ringctl.OK);
        assertThat(r.out()).contains("knet-multilink.conf: ok (0 warnings): cluster 'multilink', transport knet, "
                + "3 nodes, token 6000 ms, consensus 7200 ms, votequorum expected_votes 3");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void checkConformanceFileWithWarnings() {
        String file = CONFORMANCE.resolve("corosync2-lens-test.conf").toString();
        Run r = ringctl("config", "check", file);
        assertThat(r.code()).isEqualTo(Ringctl.OK);
        assertThat(r.out()).contains(file + ":8:2: warning: totem.threads: not implemented by ringmaster")
                .contains("ok (13 warnings)");
        Run strict = ringctl("config", "check", "--strict", file);
        assertThat(strict.code()).isEqualTo(Ringctl.INVALID);
        assertThat(strict.out()).contains("invalid with --strict: 13 warnings");
    }

    @Test
    void checkFindsFencingProblemsAndWithAgentsChecksDevicesAgainstTheirMetadata(@TempDir Path dir)
            throws IOException {
        String base = Files.readString(CONF.resolve("good/two-node.conf"));
        Path bad = dir.resolve("fencing.conf");
        Files.writeString(bad, base + "fencing {\n    device {\n        name: d\n        agent: manual\n"
                + "        retries: many\n    }\n}\n");
        long line = Files.readAllLines(bad).indexOf("        retries: many") + 1;
        Run r = ringctl("config", "check", bad.toString());
        assertThat(r.code()).isEqualTo(Ringctl.INVALID);
        assertThat(r.out()).contains(bad + ":" + line + ":9: error: fencing: retries 'many' is not an integer")
                .contains("invalid: 1 error in fencing");

        Path pill = dir.resolve("pill.conf");
        Files.writeString(pill, base + "fencing {\n    device {\n        name: p\n        agent: poison-pill\n"
                + "        colour: blue\n    }\n}\n");
        long colour = Files.readAllLines(pill).indexOf("        colour: blue") + 1;
        long device = Files.readAllLines(pill).indexOf("    device {") + 1;
        Run offline = ringctl("config", "check", pill.toString());
        assertThat(offline.code()).as(offline.out()).isEqualTo(Ringctl.OK);
        assertThat(offline.out()).contains("fencing 1 device");
        Run withAgents = ringctl("config", "check", "--agents", pill.toString());
        assertThat(withAgents.code()).isEqualTo(Ringctl.INVALID);
        assertThat(withAgents.out())
                .contains(pill + ":" + colour + ":9: error: fencing: fence device 'p': unknown parameter 'colour' "
                        + "for agent poison-pill")
                .contains(pill + ":" + device + ":5: error: fencing: fence device 'p': missing required parameter "
                        + "'disk' for agent poison-pill")
                .contains("invalid: 2 errors in fencing");
    }

    @Test
    void checkBadFilePrintsPositionAndFails() {
        String file = CONF.resolve("bad/duplicate-nodeid.conf").toString();
        Run r = ringctl("config", "check", file);
        assertThat(r.code()).isEqualTo(Ringctl.INVALID);
        assertThat(r.out()).contains(file + ":14:5: error: nodelist.node[2].nodeid: nodeid 1 is used twice "
                + "(also by the node at " + file + ":8:5)")
                .contains(file + ": invalid: 1 error, 0 warnings");
    }

    @Test
    void checkSyntaxError(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("broken.conf");
        Files.writeString(f, "totem {\n    version: 2\n    token 3000\n}\n");
        Run r = ringctl("config", "check", f.toString());
        assertThat(r.code()).isEqualTo(Ringctl.INVALID);
        assertThat(r.out()).contains(f + ":3:5: error: totem.token 3000: expected 'key: value'");
    }

    @Test
    void checkMissingFile(@TempDir Path dir) {
        Path f = dir.resolve("absent.conf");
        Run r = ringctl("config", "check", f.toString());
        assertThat(r.code()).isEqualTo(Ringctl.INVALID);
        assertThat(r.out()).contains("cannot read configuration file").contains(f.toString());
    }

    @Test
    void checkWithLocalNodeOnLoopback() {
        String file = CONF.resolve("good/loopback-3node.conf").toString();
        Run ambiguous = ringctl("config", "check", "--local", file);
        assertThat(ambiguous.code()).isEqualTo(Ringctl.INVALID);
        assertThat(ambiguous.out()).contains("several nodes have an address on this host");
        Run chosen = ringctl("config", "check", "--node", "n2", file);
        assertThat(chosen.code()).isEqualTo(Ringctl.OK);
        assertThat(chosen.out()).contains("local node: 'n2' (nodeid 2) at 127.0.0.2 (link 0)");
    }

    @Test
    void usageErrors() {
        Run none = ringctl();
        assertThat(none.code()).isEqualTo(Ringctl.USAGE);
        assertThat(none.err()).contains("Missing required subcommand");
        Run noFile = ringctl("config", "check");
        assertThat(noFile.code()).isEqualTo(Ringctl.USAGE);
        assertThat(noFile.err()).contains("Missing required parameter: 'FILE'");
        Run unknown = ringctl("config", "frobnicate");
        assertThat(unknown.code()).isEqualTo(Ringctl.USAGE);
    }

    @Test
    void helpEverywhereDocumentsExitCodes() {
        Run top = ringctl("--help");
        assertThat(top.code()).isEqualTo(Ringctl.OK);
        assertThat(top.out()).contains("config").contains("Exit codes:");
        Run check = ringctl("config", "check", "--help");
        assertThat(check.code()).isEqualTo(Ringctl.OK);
        assertThat(check.out()).contains("--strict").contains("--node=NAME|ID").contains("Exit codes:");
        assertThat(ringctl("help", "config").out()).contains("check");
    }
}
