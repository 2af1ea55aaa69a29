package org.ringmaster.daemon.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ringmaster.membership.ConfigurationChange;
import org.ringmaster.totem.Guarantee;

/** Three nodes wired as ringmasterd wires them, in one JVM, over real UDP on 127.0.0.1-3. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClusterNodeTest {

    private static final Duration FORM = Duration.ofSeconds(20);

    private static void awaitMembers(LocalCluster c, int[] expected, int... nodes) {
        await().atMost(FORM).untilAsserted(() -> {
            for (int i : nodes) {
                NodeView v = c.node(i).node().view();
                assertThat(v.state()).as("node %d", i).isEqualTo("OPERATIONAL");
                assertThat(v.members()).as("node %d", i).containsExactly(expected);
            }
        });
    }

    @Test
    void formsOneRingWithQuorumThenSurvivesACrashAndALeave(@TempDir Path dir) throws Exception {
        try (LocalCluster c = LocalCluster.start(dir, 3)) {
            awaitMembers(c, new int[] {1, 2, 3}, 1, 2, 3);
            await().atMost(FORM).untilAsserted(() -> {
                for (int i = 1; i <= 3; i++) {
                    assertThat(c.node(i).node().view().quorum().orElseThrow().quorate()).isTrue();
                }
            });
            assertThat(c.node(2).node().view().ringSeq()).isEqualTo(c.node(1).node().view().ringSeq());

            c.stop(3, false);
            awaitMembers(c, new int[] {1, 2}, 1, 2);
            assertThat(c.node(1).node().view().lastReason()).isEqualTo("TOKEN_LOSS");
            assertThat(c.node(1).node().view().quorum().orElseThrow().quorate()).as("2 of 3 votes").isTrue();

            c.stop(2, true);
            awaitMembers(c, new int[] {1}, 1);
            assertThat(c.node(1).node().view().lastReason()).isEqualTo("LEAVE");
            await().atMost(FORM).untilAsserted(() ->
                    assertThat(c.node(1).node().view().quorum().orElseThrow().quorate()).isFalse());
            assertThat(c.node(1).registry().get("ringmaster.membership.members").gauge().value()).isEqualTo(1);
            assertThat(c.node(1).registry().get("ringmaster.membership.configuration.changes").functionCounter()
                    .count()).isGreaterThanOrEqualTo(3);
            assertThat(c.node(1).registry().get("ringmaster.totem.tokens.received").functionCounter().count())
                    .isPositive();
        }
    }

    @Test
    void groupMessagesReachSubscribersOfThatGroupInOneOrder(@TempDir Path dir) throws Exception {
        try (LocalCluster c = LocalCluster.start(dir, 3)) {
            awaitMembers(c, new int[] {1, 2, 3}, 1, 2, 3);
            List<String> at2 = new CopyOnWriteArrayList<>();
            List<String> at3 = new CopyOnWriteArrayList<>();
            List<String> other = new CopyOnWriteArrayList<>();
            c.node(2).node().subscribe("orders", recorder(at2));
            c.node(3).node().subscribe("orders", recorder(at3));
            c.node(3).node().subscribe("other", recorder(other));
            for (int i = 0; i < 50; i++) {
                for (int sender = 1; sender <= 3; sender++) {
                    byte[] payload = (sender + ":" + i).getBytes(StandardCharsets.UTF_8);
                    int s = sender;
                    Guarantee g = i % 2 == 0 ? Guarantee.AGREED : Guarantee.SAFE;
                    await().atMost(FORM).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
                            .until(() -> c.node(s).node().send("orders", g, payload));
                }
            }
            await().atMost(FORM).untilAsserted(() -> {
                assertThat(at2).hasSize(150);
                assertThat(at3).hasSize(150);
            });
            assertThat(at3).containsExactlyElementsOf(at2);
            assertThat(at2).filteredOn(m -> m.startsWith("1 1:")).hasSize(50).first().isEqualTo("1 1:0");
            assertThat(other).isEmpty();
            assertThat(c.node(1).registry().get("ringmaster.client.messages.delivered").functionCounter().count())
                    .isEqualTo(150);
        }
    }

    private static NodeEvents recorder(List<String> into) {
        return new NodeEvents() {
            @Override
            public void onConfiguration(ConfigurationChange change) {
            }

            @Override
            public void onMessage(String group, int sender, Guarantee guarantee, byte[] payload) {
                into.add(sender + " " + new String(payload, StandardCharsets.UTF_8));
            }
        };
    }
}
