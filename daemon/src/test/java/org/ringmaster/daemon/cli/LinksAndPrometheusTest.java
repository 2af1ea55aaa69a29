package org.ringmaster.daemon.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ringmaster.daemon.config.MetricsConfig;
import org.ringmaster.daemon.metrics.PrometheusEndpoint;
import org.ringmaster.daemon.node.LocalCluster;
import org.ringmaster.daemon.node.StartupException;

/** {@code ringctl links} on one and two links, and the Prometheus endpoint scraped over HTTP. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class LinksAndPrometheusTest {

    private static String[] ringctl(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Ringctl.run(new PrintWriter(out), new PrintWriter(err), args);
        return new String[] {String.valueOf(code), out.toString(), err.toString()};
    }

    @Test
    void twoLinksAreShownPerPeerAndScrapedByPrometheus(@TempDir Path dir) throws Exception {
        int port = LocalCluster.randomPort();
        try (LocalCluster c = LocalCluster.start(dir, 2, LocalCluster.twoLinkConfigText(dir, 2, port))) {
            String socket = c.node(1).socket().toString();
            await().atMost(Duration.ofSeconds(20)).until(() -> c.node(1).node().view().members().length == 2);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                String[] r = ringctl("links", "--socket", socket);
                assertThat(r[0]).as(r[2]).isEqualTo("0");
                assertThat(r[1]).contains("Local node ID 1, transport links: 2, mode: passive")
                        .contains("LINK ID 0\n\taddr\t= 127.0.0.1:" + port)
                        .contains("LINK ID 1\n\taddr\t= 127.0.1.1:" + (port + 1))
                        .contains("nodeid   2 (n2):\tconnected\t127.0.0.2:" + port)
                        .contains("nodeid   2 (n2):\tconnected\t127.0.1.2:" + (port + 1));
            });
            String json = ringctl("links", "--json", "--socket", socket)[1];
            assertThat(json).startsWith("{\"nodeid\":1,\"mode\":\"passive\",\"links\":[{\"link\":0,\"address\":\"127.0.0.1:")
                    .contains("{\"nodeid\":2,\"name\":\"n2\",\"address\":\"127.0.1.2:" + (port + 1)
                            + "\",\"connected\":true,\"source\":\"heartbeat\"}");

            // Port 0: the test takes whatever is free; the daemon's config insists on 1..65535.
            try (PrometheusEndpoint endpoint = PrometheusEndpoint.start(new MetricsConfig(true, 0, "127.0.0.1"),
                    c.node(1).registry())) {
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                URI uri = URI.create("http://127.0.0.1:" + endpoint.address().getPort() + "/metrics");
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
                            .build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(r.statusCode()).isEqualTo(200);
                    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
                    // The meters issue 10 lists: token rotation, messages sent/delivered/retransmitted,
                    // datagrams dropped by reason, membership changes, quorum state and votes, link state.
                    assertThat(r.body())
                            .containsPattern("(?m)^ringmaster_totem_token_rotation_seconds_count\\{node=\"1\"} [1-9]")
                            .containsPattern("(?m)^ringmaster_totem_messages_originated_total\\{node=\"1\"} [1-9]")
                            .containsPattern("(?m)^ringmaster_totem_messages_delivered_total\\{node=\"1\"} [1-9]")
                            .containsPattern("(?m)^ringmaster_totem_datagrams_retransmitted_total\\{node=\"1\"} ")
                            .containsPattern("(?m)^ringmaster_totem_transport_dropped_total\\{node=\"1\",reason=\"auth_failed\"} 0")
                            .containsPattern("(?m)^ringmaster_membership_configuration_changes_total\\{node=\"1\"} [1-9]")
                            .containsPattern("(?m)^ringmaster_quorum_quorate\\{node=\"1\"} 1")
                            .containsPattern("(?m)^ringmaster_quorum_total_votes\\{node=\"1\"} 2")
                            .containsPattern("(?m)^ringmaster_quorum_expected_votes\\{node=\"1\"} 2")
                            .containsPattern("(?m)^ringmaster_membership_link_up\\{link=\"1\",node=\"1\",peer=\"2\"} 1");
                });
                HttpResponse<String> other = http.send(HttpRequest.newBuilder(uri.resolve("/other")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(other.statusCode()).isEqualTo(404);
                assertThat(other.body()).contains("/metrics");
            }
        }
    }

    @Test
    void singleLinkPeerIsDownOnceItLeaves(@TempDir Path dir) throws Exception {
        try (LocalCluster c = LocalCluster.start(dir, 2)) {
            String socket = c.node(1).socket().toString();
            await().atMost(Duration.ofSeconds(20)).until(() -> c.node(1).node().view().members().length == 2);
            String[] r = ringctl("links", "--socket", socket);
            assertThat(r[1]).contains("mode: single").contains("nodeid   2 (n2):\tconnected\t127.0.0.2:");
            c.stop(2, true);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(ringctl("links", "--json",
                    "--socket", socket)[1]).contains("\"connected\":false,\"source\":\"membership\""));
            assertThat(c.node(1).registry().get("ringmaster.membership.link.up").tag("peer", "2").gauge().value())
                    .isZero();
        }
    }

    @Test
    void aPortInUseIsAStartupErrorNamingTheKey() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            MetricsConfig config = new MetricsConfig(true, taken.getLocalPort(), "127.0.0.1");
            assertThatThrownBy(() -> PrometheusEndpoint.start(config,
                    new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(
                            io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT)))
                    .isInstanceOf(StartupException.class)
                    .hasMessageContaining("metrics.prometheus_port: cannot listen on 127.0.0.1:" + taken.getLocalPort());
        }
    }
}
