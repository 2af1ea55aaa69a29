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
import org.ringmaster.totem.transport.PathMtu;

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

    /** A host with lo (MTU 65536) holding 127/8 and nothing else; the 4 MiB receive buffer is granted. */
    private static final PathMtu HOST = PathMtu.of(address -> address.isLoopbackAddress()
            ? Optional.of(new PathMtu.LocalInterface("lo", 65536)) : Optional.empty(), requested -> requested);

    private static NodeSettings derive(String text, String node, Set<Path> existing) throws Exception {
        return derive(text, node, existing, HOST);
    }

    private static NodeSettings derive(String text, String node, Set<Path> existing, PathMtu pathMtu)
            throws Exception {
        ClusterConfig config = ClusterConfig.parse("t.conf", text);
        LocalNode local = LocalNode.find(config, Optional.of(node),
                List.of(new HostAddress(InetAddress.getByName("127.0.0.1"), 8)), LocalNode.SYSTEM_RESOLVER);
        return NodeSettings.derive(config, local, STATE, LocalNode.SYSTEM_RESOLVER, existing::contains, pathMtu);
    }

    /** A look-up that must not be asked: the netmtu is configured or fixed. */
    private static final PathMtu UNUSED = PathMtu.of(address -> {
        throw new AssertionError("PathMtu consulted for " + address);
    }, requested -> {
        throw new AssertionError("receive buffer probed");
    });

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
        assertThat(s.totem().netmtu()).as("all on loopback: the loopback MTU, capped").isEqualTo(65535);
        assertThat(s.netmtu()).isEqualTo(65535);
        assertThat(s.links().get(0).netmtu()).isEqualTo(65535);
        assertThat(s.totem().receiveBufferSlots()).as("4 * window_size, not 1024 datagrams of 64 KB").isEqualTo(256);
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
                + " interface {\n  linknumber: 0\n  mcastport: 6000\n }\n", THREE, ""), "a", Set.of(), UNUSED);
        assertThat(s.totem().tokenNs()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(1000));
        assertThat(s.membership().consensusNs()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(1200));
        assertThat(s.membership().mergeNs()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(300));
        assertThat(s.totem().windowSize()).isEqualTo(300);
        assertThat(s.totem().accelerated()).isTrue();
        assertThat(s.totem().acceleratedWindow()).isEqualTo(20);
        assertThat(s.totem().receiveBufferSlots()).isEqualTo(2048);
        assertThat(s.totem().netmtu()).isEqualTo(9000);
        assertThat(s.links().get(0).netmtu()).isEqualTo(9000);
        assertThat(s.netmtuReason()).isEqualTo("totem.netmtu 9000 as configured");
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
    void knetsDefaultAndItsExplicit65536AreChosenFromTheAddresses() throws Exception {
        String knet = conf(" crypto_cipher: none\n crypto_hash: none\n", THREE, "").replace("transport: udpu",
                "transport: knet");
        NodeSettings s = derive(knet, "c", Set.of());
        assertThat(s.totem().netmtu()).isEqualTo(65535);
        assertThat(s.netmtuReason()).startsWith("totem.netmtu not set, auto: all 3 node addresses are on this host "
                + "(lo MTU 65536)");
        NodeSettings explicit = derive(knet.replace("crypto_hash: none\n", "crypto_hash: none\n netmtu: 65536\n"),
                "c", Set.of());
        assertThat(explicit.netmtu()).isEqualTo(65535);
        assertThat(explicit.netmtuReason()).startsWith("totem.netmtu 65536 (knet's path MTU discovery), auto: ");
        assertThat(explicit.notes()).noneMatch(n -> n.contains("netmtu"));
    }

    @Test
    void autoIsBoundedByTheReceiveBufferAndSaysSo() throws Exception {
        // A default kernel's rmem_max (212992): 50 datagrams of 4259 bytes.
        PathMtu smallBuffers = PathMtu.of(address -> Optional.of(new PathMtu.LocalInterface("lo", 65536)),
                requested -> 212992);
        NodeSettings s = derive(conf(" netmtu: auto\n crypto_cipher: none\n crypto_hash: none\n", THREE, ""), "a",
                Set.of(), smallBuffers);
        assertThat(s.netmtu()).isEqualTo(4259);
        assertThat(s.netmtuReason()).contains("bounded by the receive buffer: 212992 bytes / window_size 50 = 4259");
    }

    @Test
    void aNodeOnAnotherHostKeeps1500() throws Exception {
        String twoHosts = THREE.replace("ring0_addr: 127.0.0.3", "ring0_addr: 192.0.2.3");
        NodeSettings s = derive(conf(" crypto_cipher: none\n crypto_hash: none\n", twoHosts, ""), "a", Set.of());
        assertThat(s.netmtu()).isEqualTo(1500);
        assertThat(s.links().get(0).netmtu()).isEqualTo(1500);
        assertThat(s.totem().receiveBufferSlots()).isEqualTo(1024);
        assertThat(s.netmtuReason()).contains("192.0.2.3 is not on this host");
    }

    @Test
    void udpMulticastKeeps1500UnlessSet() throws Exception {
        String udp = conf(" crypto_cipher: none\n crypto_hash: none\n interface {\n  linknumber: 0\n"
                + "  mcastaddr: 239.192.7.7\n }\n", THREE, "").replace("transport: udpu", "transport: udp");
        NodeSettings s = derive(udp, "a", Set.of(), UNUSED);
        assertThat(s.netmtu()).isEqualTo(1500);
        assertThat(s.netmtuReason()).startsWith("totem.netmtu not set: 1500 for transport udp");
        NodeSettings set = derive(udp.replace("crypto_hash: none\n", "crypto_hash: none\n netmtu: 9000\n"), "a",
                Set.of(), UNUSED);
        assertThat(set.netmtu()).isEqualTo(9000);
    }
}
