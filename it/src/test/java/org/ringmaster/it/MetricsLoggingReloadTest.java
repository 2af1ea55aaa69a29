package org.ringmaster.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real ringmasterd with a {@code metrics} section serves Prometheus; {@code ringctl links} and
 * {@code ringctl config reload} reach it as separate processes; a reloaded logging section moves the
 * daemon's log to a file, and a changed token is reported as needing a restart.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MetricsLoggingReloadTest {

    @TempDir
    Path dir;
    private DaemonCluster cluster;

    @AfterEach
    void stop() throws InterruptedException {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void prometheusLinksAndReloadOnARealDaemon() throws Exception {
        cluster = DaemonCluster.create(dir, 1);
        int port = freePort();
        cluster.appendConfig("metrics {\n    prometheus_port: " + port + "\n    prometheus_address: 127.0.0.1\n}\n");
        cluster.start(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            var s = cluster.status(1);
            return s != null && "OPERATIONAL".equals(s.fields().get("state"));
        });

        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest scrape = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(5)).build();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            HttpResponse<String> r = http.send(scrape, HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("ringmaster_quorum_quorate{node=\"1\"} 1")
                    .contains("ringmaster_totem_token_rotation_seconds_count{node=\"1\"}")
                    .contains("ringmaster_membership_configuration_changes_total{node=\"1\"}");
        });

        DaemonCluster.Result links = cluster.ringctl(1, "links");
        assertThat(links.code()).as(links.output()).isZero();
        assertThat(links.output()).contains("Local node ID 1, transport links: 1, mode: single");

        Path logfile = dir.resolve("reloaded.log");
        Path config = cluster.config();
        Files.writeString(config, Files.readString(config).replace("token: 1000", "token: 1500")
                .replace("logging {\n    to_syslog: no\n}", "logging {\n    to_syslog: no\n    to_logfile: yes\n"
                        + "    logfile: " + logfile + "\n}"));
        DaemonCluster.Result reload = cluster.ringctl(1, "config", "reload");
        assertThat(reload.code()).as(reload.output()).isZero();
        assertThat(reload.output()).contains("node 1: reloaded " + config + ":")
                .contains("applied: logging.to_logfile: (unset) -> yes")
                .contains("restart needed: totem.token: 1000 -> 1500");
        // The reload's own log line already goes to the new file.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(logfile).exists()
                .content().contains("config reload: reloaded " + config));
    }
}
