package org.ringmaster.daemon.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ringmaster.daemon.config.LoggingConfig;
import org.ringmaster.daemon.node.LocalCluster;

/** {@code ringctl config reload} on three in-process nodes that each re-read the (shared) file. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ConfigReloadTest {

    private record Run(int code, String out, String err) {
    }

    private static Run ringctl(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Ringctl.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void everyNodeReloadsAppliesWhatIsSafeAndNamesWhatNeedsARestart(@TempDir Path dir) throws Exception {
        String text = LocalCluster.configText(dir, 3, LocalCluster.randomPort());
        Path file = dir.resolve("ringmaster.conf");
        Files.writeString(file, text);
        List<String> loggingApplied = new CopyOnWriteArrayList<>();
        try (LocalCluster c = LocalCluster.start(dir, 3, text)) {
            for (int i = 1; i <= 3; i++) {
                int id = i;
                c.node(i).node().configSource(file, (LoggingConfig l) -> {
                    loggingApplied.add(id + ":" + l.debug());
                    return List.of();
                });
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> c.node(1).node().view().members().length == 3
                    && c.node(1).node().view().quorum().map(q -> q.quorate()).orElse(false));
            String socket = c.node(1).socket().toString();

            Run unchanged = ringctl("config", "reload", "--socket", socket);
            assertThat(unchanged.code()).as(unchanged.err()).isEqualTo(Ringctl.OK);
            assertThat(unchanged.out()).contains("node 1: reloaded " + file + ": no changes")
                    .contains("node 2: reloaded " + file + ": no changes").contains("node 3: reloaded");

            Files.writeString(file, text.replace("token: 500", "token: 600")
                    .replace("provider: corosync_votequorum", "provider: corosync_votequorum\n expected_votes: 4")
                    .replace("logging {\n to_syslog: no", "logging {\n to_syslog: no\n debug: on"));
            Run r = ringctl("config", "reload", "--socket", socket);
            assertThat(r.code()).as(r.out() + r.err()).isEqualTo(Ringctl.OK);
            assertThat(r.out()).contains("node 1: reloaded " + file + ":")
                    .contains("  applied: logging.debug: (unset) -> on")
                    .contains("  applied: quorum.expected_votes: (unset) -> 4 (cluster-wide)")
                    .contains("  applied: quorum.expected_votes: (unset) -> 4 (cluster-wide, by the node asked)")
                    .contains("  restart needed: totem.token: 500 -> 600 (the ring's settings are fixed while it runs)")
                    .contains("node 3: reloaded");
            assertThat(loggingApplied).containsExactlyInAnyOrder("1:on", "2:on", "3:on");
            // votequorum applied it on every member.
            for (int i = 1; i <= 3; i++) {
                int id = i;
                await().atMost(Duration.ofSeconds(10)).until(() -> c.node(id).node().view().quorum()
                        .map(q -> q.expectedVotes()).orElse(0) == 4);
            }
            // What needs a restart keeps running and is named again; what was applied is not.
            Run again = ringctl("config", "reload", "--json", "--socket", socket);
            assertThat(again.out()).startsWith("{\"ok\":true,\"nodes\":[{\"nodeid\":1,\"report\":[\"reloaded ")
                    .contains("restart needed: totem.token: 500 -> 600").doesNotContain("expected_votes")
                    .doesNotContain("logging.debug");

            Files.writeString(file, text.replace("token: 500", "token: soon"));
            Run bad = ringctl("config", "reload", "--socket", c.node(2).socket().toString());
            assertThat(bad.code()).isEqualTo(Ringctl.INVALID);
            assertThat(bad.out()).contains("node 2: not reloaded: " + file + " is invalid, nothing changed: " + file
                    + ":5:9: error: totem.token");
            assertThat(c.node(1).node().view().quorum().orElseThrow().expectedVotes()).isEqualTo(4);
        }
    }
}
