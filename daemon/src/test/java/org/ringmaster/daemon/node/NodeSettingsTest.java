package org.ringmaster.daemon.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ringmaster.daemon.config.ClusterConfig;
import org.ringmaster.daemon.config.HostAddress;
import org.ringmaster.daemon.config.LocalNode;
import org.ringmaster.totem.security.CryptoCipher;
import org.ringmaster.totem.security.CryptoHash;

/** From the file's settings to the ring's, membership's, the transport's and votequorum's. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class NodeSettingsTest {

    private static final Path STATE = Path.of("/nonexistent/state");

    private static String conf(String totemExtra, String nodes, String quorum) {
        return "totem {\n version: 2\n cluster_name: t\n transport: udpu\n" + totemExtra + "}\nnodelist {\n" + nodes
                + "}\n" + quorum;
    }

    private static final String THREE = """
             node {
              name: a
              nodeid: 1
              ring0_addr: 127.0.0.1
             }
             node {
              name: b
              nodeid: 2
              ring0_addr: 127.0.0.2
              quorum_votes: 2
             }
             node {
              name: c
              nodeid: 3
              ring0_addr: 127.0.0.3
             }
            """;

    private static NodeSettings derive(String text, String node, Set<Path> existing) throws Exception {
        ClusterConfig config = ClusterConfig.parse("t.conf", text);
        LocalNode local = LocalNode.find(config, Optional.of(node),
                List.of(new HostAddress(InetAddress.getByName("127.0.0.1"), 8)), LocalNode.SYSTEM_RESOLVER);
        return NodeSettings.derive(config, local, STATE, LocalNode.SYSTEM_RESOLVER, existing::contains);
    }

    @Test
    void corosyncDefaultsAndTheNodeList() throws Exception {
        NodeSettings s = derive(conf(" crypto_cipher: none\n crypto_hash: none\n", THREE,
                "quorum {\n provider: corosync_votequorum\n}\n"), "b", Set.of());
        assertThat(s.nodeId()).isEqualTo(2);
        assertThat(s.totem().members()).containsExactly(1, 2, 3);
        // token 3000 + (3 - 2) * token_coefficient 650
        assertThat(s.totem().tokenNs()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(3650));
        assertThat(s.totem().windowSize()).isEqualTo(50);
        assertThat(s.totem().maxMessages()).isEqualTo(17);
        assertThat(s.totem().netmtu()).isEqualTo(1500);
        assertThat(s.membership().consensusNs()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(4380));
        assertThat(s.membership().joinNs()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
        assertThat(s.links()).hasSize(1);
        assertThat(s.links().get(0).localAddress()).isEqualTo(new InetSocketAddress("127.0.0.2", 5405));
        assertThat(s.links().get(0).nodes().get(3)).isEqualTo(new InetSocketAddress("127.0.0.3", 5405));
        assertThat(s.crypto().secure()).isFalse();
        assertThat(s.keyfile()).isEmpty();
        assertThat(s.quorum()).isPresent();
        assertThat(s.quorum().get().votesOf(2)).isEqualTo(2);
        assertThat(s.quorum().get().expectedVotes()).isEqualTo(4);
        assertThat(s.nameOf(3)).isEqualTo("c");
        assertThat(s.addressOf(1)).isEqualTo("127.0.0.1");
    }

    @Test
    void explicitTimingAndPort() throws Exception {
        NodeSettings s = derive(conf(" token: 1000\n token_coefficient: 0\n consensus: 1200\n join: 60\n merge: 300\n"
                + " window_size: 300\n max_messages: 20\n netmtu: 9000\n crypto_cipher: none\n crypto_hash: none\n"
                + " interface {\n  linknumber: 0\n  mcastport: 6000\n }\n", THREE, ""), "a", Set.of());
        assertThat(s.totem().tokenNs()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(1000));
        assertThat(s.membership().consensusNs()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(1200));
        assertThat(s.membership().mergeNs()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(300));
        assertThat(s.totem().windowSize()).isEqualTo(300);
        assertThat(s.totem().accelerated()).isTrue();
        assertThat(s.totem().acceleratedWindow()).isEqualTo(20);
        assertThat(s.totem().receiveBufferSlots()).isEqualTo(2048);
        assertThat(s.totem().netmtu()).isEqualTo(9000);
        assertThat(s.links().get(0).localAddress()).isEqualTo(new InetSocketAddress("127.0.0.1", 6000));
        assertThat(s.quorum()).as("no quorum section").isEmpty();
    }

    @Test
    void theAcceleratedRingGoesToTheRing() throws Exception {
        NodeSettings s = derive(conf(" accelerated: no\n accelerated_window: 0\n crypto_cipher: none\n"
                + " crypto_hash: none\n", THREE, ""), "a", Set.of());
        assertThat(s.totem().accelerated()).isFalse();
        assertThat(s.totem().acceleratedWindow()).isZero();
    }

    @Test
    void authkeyDefaultsToRingmastersThenCorosyncs() throws Exception {
        String text = conf(" crypto_cipher: aes256\n crypto_hash: sha256\n", THREE, "");
        NodeSettings s = derive(text, "a", Set.of(Path.of("/etc/ringmaster/authkey"), Path.of("/etc/corosync/authkey")));
        assertThat(s.crypto().hash()).isEqualTo(CryptoHash.SHA256);
        assertThat(s.crypto().cipher()).isEqualTo(CryptoCipher.AES256);
        assertThat(s.keyfile()).contains(Path.of("/etc/ringmaster/authkey"));
        assertThat(derive(text, "a", Set.of(Path.of("/etc/corosync/authkey"))).keyfile())
                .contains(Path.of("/etc/corosync/authkey"));
        assertThatThrownBy(() -> derive(text, "a", Set.of())).isInstanceOf(StartupException.class)
                .hasMessage("totem.keyfile: not set, and neither /etc/ringmaster/authkey nor /etc/corosync/authkey "
                        + "exists (crypto_hash sha256, crypto_cipher aes256 need an authkey; create it with "
                        + "ringmaster-keygen and copy it to every node)");
    }

    @Test
    void configuredAuthkeyMustExist() {
        String text = conf(" crypto_cipher: aes256\n crypto_hash: sha256\n keyfile: /srv/key\n", THREE, "");
        assertThatThrownBy(() -> derive(text, "a", Set.of(Path.of("/etc/ringmaster/authkey"))))
                .isInstanceOf(StartupException.class)
                .hasMessageStartingWith("totem.keyfile: authkey /srv/key does not exist");
    }

    @Test
    void valuesTheRingCannotUseNameTheirKey() {
        assertThatThrownBy(() -> derive(conf(" crypto_cipher: none\n crypto_hash: md5\n", THREE, ""), "a", Set.of()))
                .isInstanceOf(StartupException.class).hasMessageContaining("totem.crypto_hash=md5 is not accepted");
        String bigId = THREE.replace("nodeid: 3", "nodeid: 3000000000");
        assertThatThrownBy(() -> derive(conf(" crypto_cipher: none\n crypto_hash: none\n", bigId, ""), "a", Set.of()))
                .isInstanceOf(StartupException.class)
                .hasMessageContaining("nodelist.node.nodeid: node 'c' (nodeid 3000000000) has nodeid 3000000000; "
                        + "ringmaster carries node ids 1..2147483647");
    }

    @Test
    void knetNetmtuDefaultIsNotUsedAsIs() throws Exception {
        String knet = conf(" crypto_cipher: none\n crypto_hash: none\n", THREE, "").replace("transport: udpu",
                "transport: knet");
        NodeSettings s = derive(knet, "c", Set.of());
        assertThat(s.totem().netmtu()).isEqualTo(1500);
        assertThat(s.notes()).anyMatch(n -> n.startsWith("totem.netmtu 65536 (knet's default) is used as 1500"));
    }
}
