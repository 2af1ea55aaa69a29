package org.ringmaster.daemon.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ringmaster.membership.group.GroupHandle;
import org.ringmaster.membership.group.GroupListener;
import org.ringmaster.membership.group.GroupMember;
import org.ringmaster.membership.group.GroupView;
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
    void twoKnetLinksRunTheRedundantTransport(@TempDir Path dir) throws Exception {
        String text = LocalCluster.twoLinkConfigText(dir, 3, LocalCluster.randomPort());
        assertThat(text).contains("ring1_addr: 127.0.1.3").contains("linknumber: 1");
        try (LocalCluster c = LocalCluster.start(dir, 3, text)) {
            assertThat(c.node(1).node().settings().links()).hasSize(2);
            awaitMembers(c, new int[] {1, 2, 3}, 1, 2, 3);
            assertThat(c.node(2).registry().find("ringmaster.totem.transport.datagrams").meters()).isNotEmpty();
        }
    }

    @Test
    void processGroupsShareTheRingWithQuorumInOneOrder(@TempDir Path dir) throws Exception {
        try (LocalCluster c = LocalCluster.start(dir, 3)) {
            awaitMembers(c, new int[] {1, 2, 3}, 1, 2, 3);
            Map<Integer, List<String>> got = new ConcurrentHashMap<>();
            Map<Integer, GroupHandle> members = new ConcurrentHashMap<>();
            for (int i = 1; i <= 3; i++) {
                List<String> into = new CopyOnWriteArrayList<>();
                got.put(i, into);
                members.put(i, c.node(i).node().groups().join("orders", recorder(into)));
            }
            List<String> other = new CopyOnWriteArrayList<>();
            c.node(3).node().groups().join("other", recorder(other));
            await().atMost(FORM).untilAsserted(() -> {
                for (GroupHandle h : members.values()) {
                    assertThat(h.state()).isEqualTo(GroupHandle.State.JOINED);
                    assertThat(h.view().members()).hasSize(3);
                }
            });
            for (int i = 0; i < 50; i++) {
                for (int sender = 1; sender <= 3; sender++) {
                    byte[] payload = (sender + ":" + i).getBytes(StandardCharsets.UTF_8);
                    GroupHandle h = members.get(sender);
                    Guarantee g = i % 2 == 0 ? Guarantee.AGREED : Guarantee.SAFE;
                    await().atMost(FORM).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
                            .until(() -> h.multicast(new UnsafeBuffer(payload), 0, payload.length, g));
                }
            }
            await().atMost(FORM).untilAsserted(() -> {
                for (List<String> l : got.values()) {
                    assertThat(l).hasSize(150);
                }
            });
            assertThat(got.get(2)).containsExactlyElementsOf(got.get(1));
            assertThat(got.get(3)).containsExactlyElementsOf(got.get(1));
            assertThat(got.get(1)).filteredOn(m -> m.startsWith("1/")).hasSize(50).first().asString().endsWith("1:0");
            assertThat(other).isEmpty();
            assertThat(members.get(2).view().leader()).contains(members.get(1).member());
            assertThat(c.node(1).node().view().quorum().orElseThrow().quorate()).isTrue();
            assertThat(c.node(1).registry().get("ringmaster.membership.group.local.members").gauge().value())
                    .isEqualTo(1);
        }
    }

    private static GroupListener recorder(List<String> into) {
        return new GroupListener() {
            @Override
            public void onView(GroupHandle self, GroupView view) {
            }

            @Override
            public void onMessage(GroupHandle self, GroupMember sender, Guarantee guarantee, DirectBuffer buffer,
                                  int offset, int length) {
                into.add(sender + " " + buffer.getStringWithoutLengthUtf8(offset, length));
            }
        };
    }
}
