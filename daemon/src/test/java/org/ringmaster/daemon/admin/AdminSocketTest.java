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
import org.ringmaster.daemon.client.LocalMember;
import org.ringmaster.daemon.client.Member;
import org.ringmaster.daemon.client.NodeStatus;
import org.ringmaster.daemon.client.QuorumStatus;
import org.ringmaster.daemon.client.RingmasterClient;
import org.ringmaster.daemon.node.LocalCluster;
import org.ringmaster.daemon.node.StartupException;
import org.ringmaster.membership.group.GroupMember;
import org.ringmaster.membership.group.GroupView;
import org.ringmaster.membership.group.MemberChange;

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
    void groupMembersGetViewsAndMessagesInOrder() throws IOException {
        List<String> got = new CopyOnWriteArrayList<>();
        List<GroupView> views = new CopyOnWriteArrayList<>();
        List<String> otherGot = new CopyOnWriteArrayList<>();
        List<Configuration> configurations = new CopyOnWriteArrayList<>();
        ClusterListener recorder = new ClusterListener() {
            @Override
            public void onMessage(String group, GroupMember sender, byte[] payload) {
                got.add(group + "/" + sender + "/" + new String(payload, StandardCharsets.UTF_8));
            }

            @Override
            public void onView(GroupView view) {
                views.add(view);
            }

            @Override
            public void onConfiguration(Configuration c) {
                configurations.add(c);
            }
        };
        try (RingmasterClient member = RingmasterClient.connect(socket, recorder);
             RingmasterClient other = RingmasterClient.connect(socket, new ClusterListener() {
                 @Override
                 public void onMessage(String group, GroupMember sender, byte[] payload) {
                     otherGot.add(group);
                 }
             });
             RingmasterClient sender = RingmasterClient.connect(socket)) {
            member.subscribe();
            GroupMember me = member.join("jobs");
            assertThat(me.nodeId()).isEqualTo(1);
            other.join("other");
            GroupMember them = sender.join("jobs");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(views).last()
                    .satisfies(v -> assertThat(v.members()).containsExactlyInAnyOrder(me, them)));
            GroupView two = views.get(views.size() - 1);
            assertThat(two.group()).isEqualTo("jobs");
            assertThat(two.joined()).extracting(MemberChange::member).containsExactly(them);
            assertThat(two.joined()).extracting(MemberChange::reason).containsExactly(MemberChange.Reason.JOIN);
            assertThat(two.regular()).isTrue();
            assertThat(two.leader()).contains(me.memberId() < them.memberId() ? me : them);

            for (int i = 0; i < 100; i++) {
                byte[] payload = ("m" + i).getBytes(StandardCharsets.UTF_8);
                boolean safe = i % 3 == 0;
                await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).until(() -> sender.send("jobs", payload, safe));
            }
            assertThat(sender.send("jobs", new byte[0])).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> got.size() == 101);
            assertThat(got.get(0)).isEqualTo("jobs/" + them + "/m0");
            assertThat(got.get(99)).isEqualTo("jobs/" + them + "/m99");
            assertThat(got.get(100)).isEqualTo("jobs/" + them + "/");
            assertThat(otherGot).isEmpty();
            assertThat(configurations).as("no configuration change on a quiet single node").isEmpty();

            assertThat(member.groups()).extracting(LocalMember::group).containsExactly("jobs", "jobs", "other");
            sender.leave("jobs");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(views).last().satisfies(v -> {
                assertThat(v.members()).containsExactly(me);
                assertThat(v.left()).containsExactly(new MemberChange(them, MemberChange.Reason.LEAVE));
            }));

            assertThatThrownBy(() -> member.join("jobs")).isInstanceOf(ClientException.class)
                    .hasMessageContaining("already a member of jobs");
            assertThatThrownBy(() -> other.send("jobs", new byte[1])).isInstanceOf(ClientException.class)
                    .hasMessageContaining("join jobs first");
            assertThatThrownBy(() -> member.send("bad group!", new byte[1])).isInstanceOf(ClientException.class)
                    .hasMessageContaining("group name 'bad group!' must be 1..64 characters");
            assertThatThrownBy(() -> member.send("jobs", new byte[1024 * 1024 + 1]))
                    .isInstanceOf(ClientException.class).hasMessageContaining("exceeds the largest the channel carries");
        }
        try (RingmasterClient watcher = RingmasterClient.connect(socket)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> watcher.groups().isEmpty());
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
            raw.writeLine("join jobs");
            List<String> lines = new java.util.ArrayList<>();
            for (int i = 0; i < 5; i++) {
                lines.add(raw.readLine());
            }
            // The member's own view event is written by another thread: it may come before the answer.
            assertThat(lines).filteredOn(l -> l.startsWith("EVENT ")).singleElement().asString()
                    .matches("EVENT view jobs [0-9a-f]+ [0-9]+ 1 regular 1/1 1/1:JOIN - -");
            assertThat(lines).filteredOn(l -> !l.startsWith("EVENT ")).containsExactly("OK", "member 1/1",
                    "state joined", "END");
            raw.writeLine("send jobs agreed %%%");
            assertThat(raw.readLine()).startsWith("ERR payload is not base64");
            raw.writeLine("send jobs sometimes AAAA");
            assertThat(raw.readLine()).isEqualTo("ERR guarantee must be agreed or safe, not 'sometimes'");
            raw.writeLine("send jobs");
            assertThat(raw.readLine()).startsWith("ERR usage: send");
            raw.writeLine("send bad/group agreed AAAA");
            assertThat(raw.readLine()).startsWith("ERR group name 'bad/group' must be");
            raw.writeLine("join bad/group");
            assertThat(raw.readLine()).startsWith("ERR group name 'bad/group' must be");
            raw.writeLine("leave nosuch");
            assertThat(raw.readLine()).isEqualTo("ERR not a member of 'nosuch' on this connection");
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
