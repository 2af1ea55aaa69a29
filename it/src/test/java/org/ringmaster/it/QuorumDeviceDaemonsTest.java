package org.ringmaster.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ringmaster.daemon.client.NodeStatus;
import org.ringmaster.daemon.client.QuorumStatus;
import org.ringmaster.daemon.client.RingmasterClient;

/**
 * Two real ringmasterd processes with a quorum device, the network between them split in user space
 * ({@link UdpRelay}). Votes 1 + 1 + device 1 = 3 expected, quorum 2: after a split each side has one
 * vote of its own, so the device alone decides which side stays quorate. Polled through the admin
 * socket every 50 ms; at no poll may both sides be quorate in different rings.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class QuorumDeviceDaemonsTest {

    private static final Duration FORM = Duration.ofSeconds(40);
    /** The relay's stand-in addresses: 127.0.0.{BASE+1}, 127.0.0.{BASE+2}. */
    private static final int BASE = 100;

    @TempDir
    Path dir;
    private DaemonCluster cluster;
    private UdpRelay relay;
    private final List<String> bothQuorate = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() throws Exception {
        try {
            if (cluster != null) {
                cluster.close();
                System.out.println(cluster.logs());
            }
        } finally {
            if (relay != null) {
                relay.close();
            }
        }
    }

    private DaemonCluster twoNodesBehindTheRelay(java.util.function.IntFunction<String> device) throws IOException {
        DaemonCluster c = DaemonCluster.create(dir, 2,
                (self, node) -> self.equals(node) ? "127.0.0." + node : UdpRelay.standInFor(BASE, node), device);
        relay = new UdpRelay(BASE, c.port());
        return c;
    }

    /**
     * Both nodes' status, recording any moment at which both are quorate in different rings: as their CRMs
     * see it (votes and a live ring), or by the vote tables of two operational rings.
     */
    private NodeStatus[] poll() {
        NodeStatus one = cluster.status(1);
        NodeStatus two = cluster.status(2);
        if (one != null && two != null && one.ringSeq() != two.ringSeq()) {
            boolean crms = one.quorateNow().orElse(false) && two.quorateNow().orElse(false);
            boolean tables = one.quorate().orElse(false) && two.quorate().orElse(false)
                    && one.state().equals("OPERATIONAL") && two.state().equals("OPERATIONAL");
            if (crms || tables) {
                bothQuorate.add(one + " / " + two);
            }
        }
        return new NodeStatus[] {one, two};
    }

    private void awaitTogether() {
        await().atMost(FORM).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            NodeStatus[] s = poll();
            for (NodeStatus n : s) {
                assertThat(n).isNotNull();
                assertThat(n.members()).containsExactly(1, 2);
                assertThat(n.quorate()).contains(true);
            }
            assertThat(s[0].ringSeq()).isEqualTo(s[1].ringSeq());
        });
    }

    /**
     * After a split: {@code winner} alone and quorate, the other alone and not, then so for 3 s (more than
     * the 2 s of qdisk tko).
     *
     * @return ms from {@code sinceNs} until the two sides were first seen that way
     */
    private long awaitOnlyWinnerQuorate(int winner, long sinceNs) {
        int loser = 3 - winner;
        await().atMost(FORM).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            NodeStatus[] s = poll();
            assertThat(s[winner - 1].members()).containsExactly(winner);
            assertThat(s[loser - 1].members()).containsExactly(loser);
            assertThat(s[winner - 1].quorate()).contains(true);
            assertThat(s[loser - 1].quorate()).contains(false);
        });
        long resolvedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sinceNs);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    NodeStatus[] s = poll();
                    return s[winner - 1].quorate().orElse(false) && !s[loser - 1].quorate().orElse(true);
                });
        return resolvedMs;
    }

    private QuorumStatus quorum(int i) throws IOException {
        try (RingmasterClient c = RingmasterClient.connect(cluster.socket(i))) {
            return c.quorum();
        }
    }

    @Test
    void qdiskOnlyTheMastersSideStaysQuorateAndGarbageSlotsChangeNothing() throws Exception {
        Path disk = dir.resolve("qdisk.img");
        DaemonCluster.Result format = DaemonCluster.run(dir.resolve("format.out"), DaemonCluster.RINGCTL, "qdisk",
                "format", disk.toString(), "--label", "it");
        assertThat(format.code()).as(format.output()).isZero();
        // interval 200 ms x tko 10 = 2 s: a dead master is replaced after 2 s, more than the 1 s token.
        cluster = twoNodesBehindTheRelay(self -> "    device {\n        model: qdisk\n        votes: 1\n"
                + "        qdisk {\n            path: " + disk + "\n            label: it\n"
                + "            interval: 200\n            tko: 10\n        }\n    }\n");
        cluster.startAll();
        awaitTogether();
        // One master, seen by both (the lowest id bids first, unless the other node was up alone before it).
        String[] master = new String[1];
        await().atMost(FORM).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            QuorumStatus one = quorum(1);
            QuorumStatus two = quorum(2);
            for (QuorumStatus q : List.of(one, two)) {
                assertThat(q.deviceModel()).contains("qdisk");
                assertThat(q.totalVotes()).isEqualTo(3);
                assertThat(q.fields().get("flags")).contains("quorum_device_cast_vote");
            }
            assertThat(one.deviceDetails().get("master")).isIn("1", "2")
                    .isEqualTo(two.deviceDetails().get("master"));
            master[0] = one.deviceDetails().get("master");
        });
        int m = Integer.parseInt(master[0]);
        int other = 3 - m;
        assertThat(quorum(m).deviceCastsVote()).isTrue();
        assertThat(quorum(other).deviceCastsVote()).isFalse();
        DaemonCluster.Result shown = cluster.ringctl(other, "quorum");
        assertThat(shown.output()).contains("Device:           qdisk, 1 vote(s), not cast by this node")
                .contains("master           " + m).contains("state            run");
        DaemonCluster.Result json = cluster.ringctl(m, "quorum", "--json");
        assertThat(json.output()).contains("\"device\":{\"model\":\"qdisk\",\"votes\":1,\"casts_vote\":true")
                .contains("\"master\":" + m);

        // Garbage into the slot of node 3 (nobody) and, torn, over the non-master's own slot: ignored, never
        // trusted, and no false master appears.
        Random random = new Random(ThreadLocalRandom.current().nextLong());
        byte[] junk = new byte[512];
        try (FileChannel f = FileChannel.open(disk, StandardOpenOption.WRITE)) {
            random.nextBytes(junk);
            f.write(ByteBuffer.wrap(junk), 3 * 512L);
            random.nextBytes(junk);
            f.write(ByteBuffer.wrap(junk), other * 512L);
        }
        await().atMost(FORM).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(quorum(m).deviceDetails()).containsEntry("garbage_slots", "3"));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    QuorumStatus mq = quorum(m);
                    QuorumStatus oq = quorum(other);
                    return mq.quorate() && oq.quorate() && mq.deviceCastsVote() && !oq.deviceCastsVote()
                            && master[0].equals(mq.deviceDetails().get("master"))
                            && master[0].equals(oq.deviceDetails().get("master"));
                });
        assertThat(cluster.process(1).isAlive()).isTrue();
        assertThat(cluster.process(2).isAlive()).isTrue();

        // Split the network: both still reach the disk, only the master's side keeps quorum.
        long split = System.nanoTime();
        relay.split(true);
        System.out.printf("qdisk: %d ms after the split the master, node %d, was alone and quorate, node %d alone "
                + "and not (token 1000, consensus 1200; includes polling); it stayed so for 3 s%n",
                awaitOnlyWinnerQuorate(m, split), m, other);
        assertThat(quorum(other).deviceDetails()).containsEntry("master", master[0]);
        assertThat(quorum(other).totalVotes()).isEqualTo(1);

        relay.split(false);
        awaitTogether();
        assertThat(bothQuorate).as("moments when both sides were quorate").isEmpty();
    }

    @Test
    void pingTheSideThatReachesTheTargetWins() throws Exception {
        // The "gateway" as seen through each node's network: one loopback listener per node.
        try (Gateway g1 = new Gateway(); Gateway g2 = new Gateway()) {
            Gateway[] gateways = {null, g1, g2};
            cluster = twoNodesBehindTheRelay(self -> "    device {\n        model: ping\n        votes: 1\n"
                    + "        ping {\n            host: 127.0.0.1\n            probe: tcp:" + gateways[self].port()
                    + "\n            interval: 200\n            timeout: 400\n            deadping: 900\n"
                    + "        }\n    }\n");
            cluster.startAll();
            awaitTogether();
            await().atMost(FORM).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                for (int i = 1; i <= 2; i++) {
                    QuorumStatus q = quorum(i);
                    assertThat(q.deviceModel()).contains("ping");
                    assertThat(q.deviceCastsVote()).isTrue();
                    assertThat(q.totalVotes()).as("device votes counted once").isEqualTo(3);
                }
            });

            // Split so that only node 2 (the higher id: no id-based tie-break helps it) keeps the gateway.
            // (wait_for_all, implied by a ping device, kept each node from being quorate alone at start.)
            long split = System.nanoTime();
            relay.split(true);
            g1.close();
            System.out.printf("ping: %d ms after the split node 2 was alone and quorate, node 1 alone and not "
                    + "(includes polling); it stayed so for 3 s%n", awaitOnlyWinnerQuorate(2, split));
            QuorumStatus lost = quorum(1);
            assertThat(lost.deviceCastsVote()).isFalse();
            assertThat(lost.deviceDetails()).containsEntry("groups_up", "0/1")
                    .containsEntry("unreachable", "127.0.0.1:" + g1.port());
            DaemonCluster.Result shown = cluster.ringctl(2, "quorum", "--json");
            assertThat(shown.output()).contains("\"quorate\":true").contains("\"model\":\"ping\"")
                    .contains("\"casts_vote\":true").contains("quorum_device_cast_vote");
            assertThat(bothQuorate).as("moments when both sides were quorate").isEmpty();
        }
    }

    /** A TCP listener on loopback that accepts and drops connections (a reachable ping target). */
    private static final class Gateway implements AutoCloseable {
        private final ServerSocket server;
        private final Thread thread;

        Gateway() throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
            thread = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket s = server.accept()) {
                        s.getInputStream().available();
                    } catch (IOException closed) {
                        // closed by the test: the target is gone
                    }
                }
            }, "gateway-" + server.getLocalPort());
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
