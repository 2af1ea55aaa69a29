package org.ringmaster.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ringmaster.daemon.client.ClusterListener;
import org.ringmaster.daemon.client.Configuration;
import org.ringmaster.daemon.client.NodeStatus;
import org.ringmaster.daemon.client.RingmasterClient;
import org.ringmaster.membership.group.GroupMember;
import org.ringmaster.membership.group.GroupView;
import org.ringmaster.membership.group.MemberChange;

/**
 * Three ringmasterd processes on 127.0.0.1-3: they form one ring, see a kill -9 through token loss,
 * see a SIGTERM through the leave announcement, and take a restarted node back. Durations are
 * printed (benchmarks measure them; only generous bounds are asserted here).
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class ThreeDaemonsTest {

    private static final Duration FORM = Duration.ofSeconds(40);
    private static final Pattern RING_SEQ = Pattern.compile("\"ring_seq\":([0-9]+)");

    @TempDir
    Path dir;
    private DaemonCluster cluster;

    @AfterEach
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
            System.out.println(cluster.logs());
        }
    }

    private void awaitMembers(int[] expected, int... nodes) {
        await().atMost(FORM).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            long seq = -1;
            for (int i : nodes) {
                NodeStatus s = cluster.status(i);
                assertThat(s).as("node %d answers", i).isNotNull();
                assertThat(s.state()).as("node %d", i).isEqualTo("OPERATIONAL");
                assertThat(s.members()).as("node %d", i).containsExactly(expected);
                assertThat(seq == -1 || seq == s.ringSeq()).as("same ring on node %d", i).isTrue();
                seq = s.ringSeq();
            }
        });
    }

    @Test
    void ringFormsSurvivesKillAndLeaveAndTakesARestartedNodeBack() throws Exception {
        cluster = DaemonCluster.create(dir, 3);
        cluster.startAll();
        awaitMembers(new int[] {1, 2, 3}, 1, 2, 3);

        // ringctl (a separate process, as an admin runs it) agrees on every node.
        String ringSeq = null;
        for (int i = 1; i <= 3; i++) {
            DaemonCluster.Result r = cluster.ringctl(i, "status", "--json");
            assertThat(r.code()).as(r.output()).isZero();
            assertThat(r.output()).contains("\"node\":" + i).contains("\"members\":[1,2,3]")
                    .contains("\"state\":\"OPERATIONAL\"").contains("\"quorum\":\"quorate\"");
            Matcher m = RING_SEQ.matcher(r.output());
            assertThat(m.find()).isTrue();
            ringSeq = ringSeq == null ? m.group(1) : ringSeq;
            assertThat(m.group(1)).as("node %d's ring", i).isEqualTo(ringSeq);
        }
        // Memory: locked as root (CI runs as root), otherwise the daemon says why not.
        String log1 = java.nio.file.Files.readString(cluster.log(1));
        if ("root".equals(System.getProperty("user.name"))) {
            assertThat(log1).contains("memory locked (mlockall MCL_CURRENT|MCL_FUTURE, as root)");
        } else {
            assertThat(log1).contains("memory is not locked:");
        }
        DaemonCluster.Result members = cluster.ringctl(2, "members");
        assertThat(members.output()).contains("2          n2                   127.0.0.2 (local)")
                .contains("3          n3                   127.0.0.3");
        DaemonCluster.Result quorum = cluster.ringctl(3, "quorum", "--json");
        assertThat(quorum.output()).contains("\"quorate\":true").contains("\"total_votes\":3");

        // The client library: members of one group on nodes 1 and 2 see each other, messages and changes.
        List<String> messages = new CopyOnWriteArrayList<>();
        List<Configuration> configurations = new CopyOnWriteArrayList<>();
        List<GroupView> views = new CopyOnWriteArrayList<>();
        ClusterListener recorder = new ClusterListener() {
            @Override
            public void onConfiguration(Configuration c) {
                configurations.add(c);
            }

            @Override
            public void onView(GroupView view) {
                views.add(view);
            }

            @Override
            public void onMessage(String group, GroupMember sender, byte[] payload) {
                messages.add(sender.nodeId() + ":" + new String(payload, StandardCharsets.UTF_8));
            }
        };
        try (RingmasterClient sub = RingmasterClient.connect(cluster.socket(1), recorder);
             RingmasterClient sender = RingmasterClient.connect(cluster.socket(2));
             RingmasterClient third = RingmasterClient.connect(cluster.socket(3))) {
            sub.subscribe();
            GroupMember one = sub.join("it");
            GroupMember two = sender.join("it");
            GroupMember three = third.join("it");
            await().atMost(FORM).untilAsserted(() -> assertThat(views).last().satisfies(v -> {
                assertThat(v.members()).containsExactly(one, two, three);
                assertThat(v.leader()).contains(one);
            }));
            assertThat(cluster.ringctl(3, "groups").output()).contains("it").contains(three.toString())
                    .contains("joined").contains(one + "," + two + "," + three);
            assertThat(sender.send("it", "hello from 2".getBytes(StandardCharsets.UTF_8))).isTrue();
            await().atMost(FORM).until(() -> messages.contains("2:hello from 2"));

            // kill -9 node 3: the others see it through token loss.
            long killed = System.nanoTime();
            cluster.kill9(3);
            awaitMembers(new int[] {1, 2}, 1, 2);
            System.out.printf("kill -9: the survivors agreed on [1, 2] after %d ms (token 1000, consensus 1200; "
                    + "includes polling)%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed));
            assertThat(cluster.status(1).fields()).containsEntry("last_change", "TOKEN_LOSS")
                    .containsEntry("quorum", "quorate");
            await().atMost(FORM).untilAsserted(() -> assertThat(configurations).anySatisfy(c -> {
                assertThat(c.regular()).isTrue();
                assertThat(c.members()).containsExactly(1, 2);
                assertThat(c.left()).containsExactly(3);
                assertThat(c.reason()).isEqualTo("TOKEN_LOSS");
            }));
            await().atMost(FORM).untilAsserted(() -> assertThat(views).last().satisfies(v -> {
                assertThat(v.members()).containsExactly(one, two);
                assertThat(v.regular()).isTrue();
            }));
            assertThat(views).anySatisfy(v -> assertThat(v.left())
                    .containsExactly(new MemberChange(three, MemberChange.Reason.NODE_DOWN)));

            // Restart node 3 (same node id and state dir): back to three.
            cluster.start(3);
            awaitMembers(new int[] {1, 2, 3}, 1, 2, 3);

            // SIGTERM node 2: it leaves cleanly, the others reform without waiting for the token timeout.
            long terminated = System.nanoTime();
            assertThat(cluster.terminate(2)).as("exit code after SIGTERM (128 + 15)").isEqualTo(143);
            awaitMembers(new int[] {1, 3}, 1, 3);
            long leaveMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - terminated);
            System.out.printf("SIGTERM: the others agreed on [1, 3] %d ms after the signal (JVM shutdown included)%n",
                    leaveMs);
            assertThat(cluster.status(1).fields()).containsEntry("last_change", "LEAVE");
            assertThat(Files.readString(cluster.log(2))).contains("leaving the ring").contains("left the ring; stopped");
            assertThat(cluster.socket(2)).as("socket removed on a clean stop").doesNotExist();
            await().atMost(FORM).untilAsserted(() -> assertThat(views).last()
                    .satisfies(v -> assertThat(v.members()).containsExactly(one)));
        }
    }
}
