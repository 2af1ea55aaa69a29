package org.ringmaster.daemon.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ringmaster.daemon.client.ClientException;
import org.ringmaster.daemon.client.ClusterListener;
import org.ringmaster.daemon.client.Configuration;
import org.ringmaster.daemon.client.Member;
import org.ringmaster.daemon.client.NodeStatus;
import org.ringmaster.daemon.client.QuorumStatus;
import org.ringmaster.daemon.client.RingmasterClient;
import org.ringmaster.daemon.node.LocalCluster;
import org.ringmaster.daemon.node.StartupException;

/** The admin socket and the client library against a one-node cluster: answers, events, bad input. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AdminSocketTest {

    @TempDir
    static Path dir;
    private static LocalCluster cluster;
    private static Path socket;

    @BeforeAll
    static void start() throws Exception {
        cluster = LocalCluster.start(dir, 1);
        socket = cluster.node(1).socket();
        await().atMost(Duration.ofSeconds(20)).until(() -> cluster.node(1).node().view().state().equals("OPERATIONAL"));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void socketIsOwnerOnly() throws IOException {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-------");
    }

    @Test
    void statusMembersQuorumMetrics() throws IOException {
        try (RingmasterClient client = RingmasterClient.connect(socket)) {
            assertThat(client.nodeId()).isEqualTo(1);
            NodeStatus s = client.status();
            assertThat(s.nodeId()).isEqualTo(1);
            assertThat(s.name()).isEqualTo("n1");
            assertThat(s.state()).isEqualTo("OPERATIONAL");
            assertThat(s.members()).containsExactly(1);
            assertThat(s.ringSeq()).isPositive();
            assertThat(s.quorate()).contains(true);
            assertThat(s.fields()).containsEntry("crypto", "sha256/aes256").containsEntry("cluster", "test");
            assertThat(client.members()).containsExactly(new Member(1, "n1", "127.0.0.1"));
            QuorumStatus q = client.quorum();
            assertThat(q.quorate()).isTrue();
            assertThat(q.totalVotes()).isEqualTo(1);
            assertThat(q.expectedVotes()).isEqualTo(1);
            assertThat(q.nodes()).containsExactly(new QuorumStatus.NodeVotes(1, 1, 1, "member"));
            assertThat(client.metrics()).containsEntry("ringmaster.membership.members{node=\"1\"}", "1")
                    .containsKey("ringmaster.totem.messages.delivered{node=\"1\"}")
                    .containsKey("ringmaster.quorum.quorate{node=\"1\"}")
                    .containsKey("ringmaster.totem.transport.datagrams{direction=\"sent\",node=\"1\"}");
        }
    }

    @Test
    void subscriberGetsItsGroupsMessagesInOrder() throws IOException {
        List<String> got = new CopyOnWriteArrayList<>();
        List<Configuration> configurations = new CopyOnWriteArrayList<>();
        try (RingmasterClient sub = RingmasterClient.connect(socket);
             RingmasterClient other = RingmasterClient.connect(socket);
             RingmasterClient sender = RingmasterClient.connect(socket)) {
            sub.subscribe("jobs", new ClusterListener() {
                @Override
                public void onMessage(String group, int senderNode, byte[] payload) {
                    got.add(group + "/" + senderNode + "/" + new String(payload, StandardCharsets.UTF_8));
                }

                @Override
                public void onConfiguration(Configuration c) {
                    configurations.add(c);
                }
            });
            List<String> otherGot = new CopyOnWriteArrayList<>();
            other.subscribe("other", new ClusterListener() {
                @Override
                public void onMessage(String group, int senderNode, byte[] payload) {
                    otherGot.add(group);
                }
            });
            for (int i = 0; i < 100; i++) {
                byte[] payload = ("m" + i).getBytes(StandardCharsets.UTF_8);
                boolean safe = i % 3 == 0;
                await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).until(() -> sender.send("jobs", payload, safe));
            }
            assertThat(sender.send("jobs", new byte[0])).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> got.size() == 101);
            assertThat(got.get(0)).isEqualTo("jobs/1/m0");
            assertThat(got.get(99)).isEqualTo("jobs/1/m99");
            assertThat(got.get(100)).isEqualTo("jobs/1/");
            assertThat(otherGot).isEmpty();
            assertThat(configurations).isEmpty();
            assertThatThrownBy(() -> sub.subscribe("again", new ClusterListener() { }))
                    .isInstanceOf(ClientException.class).hasMessageContaining("already subscribed");
            assertThatThrownBy(() -> sender.send("bad group!", new byte[1])).isInstanceOf(ClientException.class)
                    .hasMessageContaining("group name 'bad group!' must be 1..64 characters");
            assertThatThrownBy(() -> sender.send("big", new byte[1024 * 1024 + 1]))
                    .isInstanceOf(ClientException.class).hasMessageContaining("over the limit");
        }
    }

    @Test
    void malformedRequestsGetErrorsAndTheDaemonKeepsServing() throws IOException {
        try (LineChannel raw = raw()) {
            raw.writeLine("HELLO 7");
            assertThat(raw.readLine()).startsWith("ERR expected 'RINGMASTER 1'");
            assertThat(raw.readLine()).as("closed after a bad handshake").isNull();
        }
        try (LineChannel raw = raw()) {
            raw.writeLine("RINGMASTER 2");
            assertThat(raw.readLine()).isEqualTo("ERR expected 'RINGMASTER 1' (this daemon speaks protocol version 1)");
        }
        try (LineChannel raw = raw()) {
            raw.writeLine(Protocol.HELLO);
            assertThat(raw.readLine()).isEqualTo("RINGMASTER 1 node 1");
            raw.writeLine("frobnicate now");
            assertThat(raw.readLine()).startsWith("ERR unknown request 'frobnicate'");
            raw.writeLine("");
            assertThat(raw.readLine()).isEqualTo("ERR empty request");
            raw.writeLine("send jobs agreed %%%");
            assertThat(raw.readLine()).startsWith("ERR payload is not base64");
            raw.writeLine("send jobs sometimes AAAA");
            assertThat(raw.readLine()).isEqualTo("ERR guarantee must be agreed or safe, not 'sometimes'");
            raw.writeLine("send jobs");
            assertThat(raw.readLine()).startsWith("ERR usage: send");
            raw.writeLine("send bad/group agreed AAAA");
            assertThat(raw.readLine()).startsWith("ERR group name 'bad/group' must be");
            raw.writeLine("subscribe a b c");
            assertThat(raw.readLine()).startsWith("ERR usage: subscribe");
            raw.writeLine("send " + "x".repeat(Protocol.MAX_LINE + 10));
            assertThat(raw.readLine()).isEqualTo("ERR request line longer than " + Protocol.MAX_LINE + " bytes");
            raw.writeLine("\u00ff\u0000 binary \ud83d\ude00");
            assertThat(raw.readLine()).startsWith("ERR unknown request");
            raw.writeLine("ping");
            assertThat(raw.readLine()).isEqualTo("OK");
            assertThat(raw.readLine()).isEqualTo("END");
        }
        try (SocketChannel abrupt = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            abrupt.connect(UnixDomainSocketAddress.of(socket));
            abrupt.write(java.nio.ByteBuffer.wrap("RINGMASTER 1\nstat".getBytes(StandardCharsets.UTF_8)));
        }
        try (RingmasterClient client = RingmasterClient.connect(socket)) {
            assertThat(client.status().state()).isEqualTo("OPERATIONAL");
        }
    }

    @Test
    void secondDaemonOnTheSameSocketIsRefusedAndAStaleSocketIsReplaced() throws Exception {
        assertThatThrownBy(() -> AdminServer.start(socket, cluster.node(1).node(), cluster.node(1).registry(),
                new ClientPolicy("root", Optional.empty())))
                .isInstanceOf(StartupException.class).hasMessageContaining("another ringmasterd is serving this socket");
        Path stale = dir.resolve("stale.sock");
        try (var server = java.nio.channels.ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(stale));
        }
        assertThat(stale).exists();
        try (AdminServer second = AdminServer.start(stale, cluster.node(1).node(), cluster.node(1).registry(),
                new ClientPolicy("root", Optional.empty()));
             RingmasterClient client = RingmasterClient.connect(stale)) {
            assertThat(client.nodeId()).isEqualTo(1);
            assertThat(second.path()).isEqualTo(stale.toAbsolutePath());
        }
        assertThat(stale).doesNotExist();
    }

    @Test
    void missingSocketIsAClearError() {
        assertThatThrownBy(() -> RingmasterClient.connect(dir.resolve("nobody-here.sock")))
                .isInstanceOf(ClientException.class)
                .hasMessageContaining("cannot connect to ringmasterd at " + dir.resolve("nobody-here.sock"))
                .hasMessageContaining("is it running?");
    }

    private static LineChannel raw() throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(socket));
        return new LineChannel(ch, Protocol.MAX_LINE);
    }
}
