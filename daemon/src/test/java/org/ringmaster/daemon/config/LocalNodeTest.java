package org.ringmaster.daemon.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class LocalNodeTest {

    private static final Path LOOPBACK_3 = ConfigFilesTest.CONF.resolve("good/loopback-3node.conf");

    /** A host with lo (127.0.0.1/8) and one Ethernet address. */
    private static List<HostAddress> host(String ethernet) throws UnknownHostException {
        return List.of(new HostAddress(InetAddress.getByName("127.0.0.1"), 8),
                new HostAddress(InetAddress.getByName("::1"), 128),
                new HostAddress(InetAddress.getByName(ethernet), 24));
    }

    private static ClusterConfig threeNodes() throws ConfigException {
        return ClusterConfig.parse("t.conf", "totem {\n version: 2\n}\nnodelist {\n"
                + " node {\n  name: a\n  nodeid: 1\n  ring0_addr: 10.0.0.1\n }\n"
                + " node {\n  name: b\n  nodeid: 2\n  ring0_addr: 10.0.0.2\n }\n"
                + " node {\n  name: c\n  nodeid: 3\n  ring0_addr: c.example\n }\n}\n");
    }

    /** Resolves literals and a fixed table of names; never touches DNS. */
    private static LocalNode.Resolver names(Map<String, String> table) {
        return s -> {
            Optional<InetAddress> literal = Addresses.literal(s);
            if (literal.isPresent()) {
                return new InetAddress[] {literal.get()};
            }
            String ip = table.get(s);
            if (ip == null) {
                throw new UnknownHostException(s);
            }
            return new InetAddress[] {InetAddress.getByName(ip)};
        };
    }

    @Test
    void theOneNodeWhoseAddressIsOnThisHost() throws Exception {
        LocalNode me = LocalNode.find(threeNodes(), Optional.empty(), host("10.0.0.2"), names(Map.of()));
        assertThat(me.node().nodeid()).isEqualTo(2);
        assertThat(me.address().getHostAddress()).isEqualTo("10.0.0.2");
        assertThat(me.link()).isZero();
    }

    @Test
    void hostNamesAreResolved() throws Exception {
        LocalNode me = LocalNode.find(threeNodes(), Optional.empty(), host("10.0.0.3"),
                names(Map.of("c.example", "10.0.0.3")));
        assertThat(me.node().name()).contains("c");
    }

    @Test
    void noMatchExplainsNodesAndHostAddresses() {
        assertThatThrownBy(() -> LocalNode.find(threeNodes(), Optional.empty(), host("192.168.1.5"), names(Map.of())))
                .isInstanceOf(LocalNodeException.class)
                .hasMessageContaining("no node of the nodelist has an address on this host")
                .hasMessageContaining("'a' (nodeid 1) [10.0.0.1]")
                .hasMessageContaining("192.168.1.5/24")
                .hasMessageContaining("could not resolve: c.example")
                .hasMessageContaining("--node");
    }

    @Test
    void severalLoopbackNodesNeedTheOverride() throws Exception {
        ClusterConfig c = ClusterConfig.load(LOOPBACK_3);
        assertThatThrownBy(() -> LocalNode.find(c, Optional.empty(), host("10.9.9.9"), LocalNode.SYSTEM_RESOLVER))
                .isInstanceOf(LocalNodeException.class)
                .hasMessage("several nodes have an address on this host: 'n1' (nodeid 1) at 127.0.0.1, "
                        + "'n2' (nodeid 2) at 127.0.0.2, 'n3' (nodeid 3) at 127.0.0.3; choose one with --node NAME|ID");
    }

    @Test
    void overrideByNameOrId() throws Exception {
        ClusterConfig c = ClusterConfig.load(LOOPBACK_3);
        List<HostAddress> h = host("10.9.9.9");
        LocalNode byName = LocalNode.find(c, Optional.of("n2"), h, LocalNode.SYSTEM_RESOLVER);
        assertThat(byName.node().nodeid()).isEqualTo(2);
        assertThat(byName.address().getHostAddress()).isEqualTo("127.0.0.2");
        assertThat(LocalNode.find(c, Optional.of("3"), h, LocalNode.SYSTEM_RESOLVER).node().name()).contains("n3");
    }

    @Test
    void overrideMustNameANodeOfThisHost() throws Exception {
        ClusterConfig c = ClusterConfig.load(LOOPBACK_3);
        assertThatThrownBy(() -> LocalNode.find(c, Optional.of("n9"), host("10.9.9.9"), LocalNode.SYSTEM_RESOLVER))
                .isInstanceOf(LocalNodeException.class)
                .hasMessageContaining("--node n9: no node with that name or nodeid");
        assertThatThrownBy(() -> LocalNode.find(threeNodes(), Optional.of("a"), host("10.0.0.2"), names(Map.of())))
                .isInstanceOf(LocalNodeException.class)
                .hasMessageContaining("--node a: node 'a' (nodeid 1) has no address on this host");
    }

    @Test
    void loopbackNetworkCoversAllOfIt() throws Exception {
        HostAddress lo = new HostAddress(InetAddress.getByName("127.0.0.1"), 8);
        assertThat(lo.covers(InetAddress.getByName("127.0.0.3"))).isTrue();
        assertThat(lo.covers(InetAddress.getByName("127.255.0.1"))).isTrue();
        assertThat(lo.covers(InetAddress.getByName("10.0.0.1"))).isFalse();
        HostAddress eth = new HostAddress(InetAddress.getByName("10.0.0.1"), 24);
        assertThat(eth.covers(InetAddress.getByName("10.0.0.2"))).as("only loopback networks are local").isFalse();
        assertThat(eth.covers(InetAddress.getByName("10.0.0.1"))).isTrue();
    }

    @Test
    void noNodelist() throws Exception {
        ClusterConfig c = ClusterConfig.parse("t.conf", "totem {\n version: 2\n}\n");
        assertThatThrownBy(() -> LocalNode.find(c, Optional.empty(), host("10.0.0.1"), names(Map.of())))
                .hasMessageContaining("no nodelist");
    }

    @Test
    void realInterfacesOfThisHostIncludeLoopback() throws Exception {
        List<HostAddress> real = HostAddress.ofThisHost();
        assertThat(real).anySatisfy(h -> assertThat(h.address().isLoopbackAddress()).isTrue());
        ClusterConfig c = ClusterConfig.load(LOOPBACK_3);
        assertThat(LocalNode.find(c, Optional.of("n3"), real, LocalNode.SYSTEM_RESOLVER).address().getHostAddress())
                .isEqualTo("127.0.0.3");
    }
}
