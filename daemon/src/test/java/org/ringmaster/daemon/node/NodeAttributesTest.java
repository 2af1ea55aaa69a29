package org.ringmaster.daemon.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.ringmaster.daemon.node.LocalCluster.dummyState;
import static org.ringmaster.daemon.node.LocalCluster.ringctl;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ringmaster.crm.simple.run.CommandResult;
import org.ringmaster.daemon.client.CrmStatus;
import org.ringmaster.daemon.client.RingmasterClient;

/**
 * Node attributes reach the CRM live: three in-process nodes with the built-in ping attribute (one reachable and
 * one unreachable host, multiplier 100) and a resource whose location rule follows an attribute set with
 * {@code ringctl node attribute}; {@code ringctl status --json} shows attributes and placement.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NodeAttributesTest {

    private static final Duration WAIT = Duration.ofSeconds(25);

    private static String config(Path dir) throws Exception {
        Path seed = dir.resolve("resources.conf");
        Files.writeString(seed, """
                resources {
                  options {
                    fencing-enabled: false
                  }
                  primitive {
                    id: web
                    agent: builtin:dummy
                  }
                  location {
                    rsc: web
                    rule: site eq east
                    score: INFINITY
                  }
                  location {
                    rsc: web
                    rule: not_defined pingd
                    score: -INFINITY
                  }
                }
                """);
        // the second target is a loopback port nobody listens on (taken and released): it never answers
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        return LocalCluster.configText(dir, 3, LocalCluster.randomPort()) + "crm {\n plugin: simple\n config: " + seed
                + "\n ping-hosts: 127.0.0.1 tcp:127.0.0.1:" + closed + "\n ping-multiplier: 100\n ping-interval: 1s\n ping-timeout: 300ms\n}\n";
    }

    private static List<Integer> runningOn(Path dir) {
        return IntStream.rangeClosed(1, 3).filter(i -> Files.exists(dummyState(dir, i))).boxed().toList();
    }

    @Test
    void pingScoreAndSetAttributesAreReplicatedAndDrivePlacement(@TempDir Path dir) throws Exception {
        try (LocalCluster c = LocalCluster.start(dir, 3, config(dir))) {
            // every node learns every node's ping score: 1 of 2 hosts answers, x 100
            for (int i = 1; i <= 3; i++) {
                ClusterNode n = c.node(i).node();
                await().atMost(WAIT).untilAsserted(() -> {
                    for (int j = 1; j <= 3; j++) {
                        assertThat(n.attributes(j)).containsEntry("pingd", "100");
                    }
                });
            }
            await().atMost(WAIT).until(() -> runningOn(dir).size() == 1);

            // a set attribute pulls web to n3 through the location rule, and then to n1
            String[] set = ringctl(c.node(1).socket(), "node", "attribute", "n3", "site", "east");
            assertThat(set[0]).as(set[2]).isEqualTo("0");
            assertThat(set[1]).contains("site of n3 = east");
            await().atMost(WAIT).until(() -> runningOn(dir).equals(List.of(3)));
            assertThat(c.node(2).node().attributes(3)).containsEntry("site", "east");

            try (RingmasterClient client = RingmasterClient.connect(c.node(2).socket())) {
                await().atMost(WAIT).untilAsserted(() -> {
                    CrmStatus s = client.crmStatus();
                    assertThat(s.running()).isTrue();
                    assertThat(s.dc()).matches("n[123]");
                    assertThat(s.runningOn("web")).containsExactly("n3");
                    assertThat(s.nodes()).extracting(CrmStatus.Node::name).containsExactly("n1", "n2", "n3");
                    assertThat(s.nodes().get(2).attributes()).containsEntry("site", "east").containsEntry("pingd", "100");
                });
            }
            String[] json = ringctl(c.node(1).socket(), "status", "--json");
            assertThat(json[0]).as(json[2]).isEqualTo("0");
            assertThat(json[1]).contains("\"crm\":{\"running\":true,\"dc\":\"n")
                    .contains("{\"id\":\"web\",\"agent\":\"builtin:dummy\",\"group\":\"\",\"state\":\"Started\",\"node\":\"n3\"}")
                    .contains("\"attributes\":{\"pingd\":100,\"site\":\"east\"}");
            String[] text = ringctl(c.node(1).socket(), "status");
            assertThat(text[1]).contains("crm: DC n").containsPattern("web +builtin:dummy +Started on n3")
                    .contains("n3 online {pingd=100, site=east}");

            String[] mon = ringctl(c.node(3).socket(), "mon", "--count", "1");
            assertThat(mon[0]).as(mon[2]).isEqualTo("0");
            assertThat(mon[1]).containsPattern("web +builtin:dummy +Started on n3").contains("n3 online {pingd=100, site=east}");
            String[] monJson = ringctl(c.node(3).socket(), "mon", "--count", "1", "--json");
            assertThat(monJson[1]).contains("\"crm\":{\"running\":true").contains("\"node\":\"n3\"");

            String[] del = ringctl(c.node(2).socket(), "node", "attribute", "n3", "site", "--delete");
            assertThat(del[0]).as(del[2]).isEqualTo("0");
            assertThat(ringctl(c.node(2).socket(), "node", "attribute", "n1", "site", "east")[0]).isEqualTo("0");
            await().atMost(WAIT).until(() -> runningOn(dir).equals(List.of(1)));
            String[] show = ringctl(c.node(3).socket(), "node", "attribute", "n1");
            assertThat(show[1]).contains("pingd=100").contains("site=east");

            // bad input is refused with the reason, and nothing changes
            String[] noNode = ringctl(c.node(3).socket(), "node", "attribute", "n9", "site", "west");
            assertThat(noNode[0]).isEqualTo(String.valueOf(CommandResult.FAILED));
            assertThat(noNode[2]).contains("no node 'n9'");
            String[] badName = ringctl(c.node(3).socket(), "node", "attribute", "n2", "s=t", "west");
            assertThat(badName[0]).isEqualTo(String.valueOf(CommandResult.FAILED));
            assertThat(badName[2]).contains("attribute name must be");
            assertThat(ringctl(c.node(3).socket(), "node", "attribute")[0])
                    .isEqualTo(String.valueOf(CommandResult.USAGE));
            assertThat(c.node(3).node().attributes(2)).isEqualTo(Map.of("pingd", "100"));
        }
    }

    @Test
    void aNodeThatLeavesTakesItsAttributesAndBringsThemBack(@TempDir Path dir) throws Exception {
        try (LocalCluster c = LocalCluster.start(dir, 3, config(dir))) {
            await().atMost(WAIT).until(() -> c.node(1).node().view().members().length == 3);
            assertThat(ringctl(c.node(1).socket(), "node", "attribute", "n3", "rack", "r7")[0]).isEqualTo("0");
            await().atMost(WAIT).until(() -> "r7".equals(c.node(2).node().attributes(3).get("rack")));
            c.stop(3, true);
            await().atMost(WAIT).until(() -> !c.node(1).node().attributes(3).containsKey("rack"));
            assertThat(c.node(2).node().attributes(3)).isEmpty();
        }
    }
}
