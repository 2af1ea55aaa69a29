package org.ringmaster.daemon.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Typed sections: defaults, derived values and every validation, with its key and position. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ClusterConfigTest {

    static final String TOTEM = "totem {\n version: 2\n cluster_name: c\n}\n";

    static String nodes(int n) {
        StringBuilder s = new StringBuilder("nodelist {\n");
        for (int i = 1; i <= n; i++) {
            s.append(" node {\n  name: n").append(i).append("\n  nodeid: ").append(i)
                    .append("\n  ring0_addr: 10.0.0.").append(i).append("\n }\n");
        }
        return s.append("}\n").toString();
    }

    static ClusterConfig ok(String text) throws ConfigException {
        return ClusterConfig.parse("t.conf", text);
    }

    static List<Diagnostic> errors(String text) {
        try {
            ClusterConfig.parse("t.conf", text);
        } catch (ConfigException e) {
            return e.errors();
        }
        throw new AssertionError("expected the configuration to be rejected");
    }

    static Diagnostic onlyError(String text) {
        List<Diagnostic> errors = errors(text);
        assertThat(errors).hasSize(1);
        return errors.get(0);
    }

    static Diagnostic warning(ClusterConfig c, String key) {
        return c.warnings().stream().filter(w -> w.key().equals(key)).findFirst()
                .orElseThrow(() -> new AssertionError("no warning for " + key + " in " + c.warnings()));
    }

    @Nested
    class Totem {

        @Test
        void defaultsAreCorosyncs() throws Exception {
            TotemConfig t = ok(TOTEM + nodes(2)).totem();
            assertThat(t.transport()).isEqualTo(Transport.KNET);
            assertThat(t.tokenMs()).isEqualTo(3000);
            assertThat(t.effectiveTokenMs()).isEqualTo(3000);
            assertThat(t.tokenCoefficientMs()).isEqualTo(650);
            assertThat(t.tokenRetransmitsBeforeLossConst()).isEqualTo(4);
            assertThat(t.tokenRetransmitMs()).as("3000 / 4.2").isEqualTo(714);
            assertThat(t.holdMs()).as("714 * 0.8 - 10").isEqualTo(561);
            assertThat(t.consensusMs()).isEqualTo(3600);
            assertThat(t.joinMs()).isEqualTo(50);
            assertThat(t.sendJoinMs()).isZero();
            assertThat(t.mergeMs()).isEqualTo(200);
            assertThat(t.downcheckMs()).isEqualTo(1000);
            assertThat(t.failRecvConst()).isEqualTo(2500);
            assertThat(t.seqnoUnchangedConst()).isEqualTo(30);
            assertThat(t.missCountConst()).isEqualTo(5);
            assertThat(t.windowSize()).isEqualTo(50);
            assertThat(t.maxMessages()).isEqualTo(17);
            assertThat(t.tokenWarningPercent()).isEqualTo(75);
            assertThat(t.netmtu()).as("not set: chosen at start").isEqualTo(TotemConfig.NETMTU_AUTO);
            assertThat(t.netmtuChosenAtStart()).isTrue();
            assertThat(t.cryptoCipher()).isEqualTo("none");
            assertThat(t.cryptoHash()).isEqualTo("none");
            assertThat(t.cryptoEnabled()).isFalse();
            assertThat(t.keyfile()).isEqualTo("/etc/corosync/authkey");
            assertThat(t.links()).containsExactly(LinkConfig.defaults(0));
            assertThat(t.clusterName()).contains("c");
        }

        @Test
        void tokenScalesWithNodeCountAndDerivedTimersFollow() throws Exception {
            TotemConfig t = ok("totem {\n version: 2\n token: 1000\n token_coefficient: 500\n}\n" + nodes(5)).totem();
            assertThat(t.effectiveTokenMs()).as("1000 + 3 * 500").isEqualTo(2500);
            assertThat(t.consensusMs()).isEqualTo(3000);
            assertThat(t.tokenRetransmitMs()).as("2500 / 4.2").isEqualTo(595);
            assertThat(t.holdMs()).isEqualTo(466);
        }

        @Test
        void udpuDefaultsToEthernetMtuAndZeroMeansDefault() throws Exception {
            TotemConfig t = ok("totem {\n version: 2\n transport: udpu\n token: 0\n join: 0\n}\n" + nodes(2)).totem();
            assertThat(t.transport()).isEqualTo(Transport.UDPU);
            assertThat(t.netmtu()).as("not set: chosen at start").isEqualTo(TotemConfig.NETMTU_AUTO);
            assertThat(t.tokenMs()).isEqualTo(3000);
            assertThat(t.joinMs()).isEqualTo(50);
        }

        @Test
        void explicitValuesAreKept() throws Exception {
            TotemConfig t = ok("totem {\n version: 2\n token: 2000\n consensus: 4000\n join: 60\n hold: 100\n"
                    + " token_retransmit: 300\n merge: 300\n downcheck: 2000\n fail_recv_const: 100\n"
                    + " seqno_unchanged_const: 40\n send_join: 20\n window_size: 100\n max_messages: 20\n"
                    + " netmtu: 9000\n token_retransmits_before_loss_const: 10\n config_version: 7\n}\n"
                    + nodes(2)).totem();
            assertThat(List.of(t.tokenMs(), t.consensusMs(), t.joinMs(), t.holdMs(), t.tokenRetransmitMs(),
                    t.mergeMs(), t.downcheckMs(), t.failRecvConst(), t.seqnoUnchangedConst(), t.sendJoinMs(),
                    t.windowSize(), t.maxMessages(), t.netmtu(), t.tokenRetransmitsBeforeLossConst(),
                    t.configVersion()))
                    .containsExactly(2000L, 4000L, 60L, 100L, 300L, 300L, 2000L, 100L, 40L, 20L, 100L, 20L, 9000L,
                            10L, 7L);
        }

        @Test
        void missingVersion() {
            Diagnostic d = onlyError("totem {\n cluster_name: x\n}\n");
            assertThat(d.key()).isEqualTo("totem.version");
            assertThat(d.position()).hasToString("t.conf:1:1");
            assertThat(d.message()).contains("version: 2");
        }

        @Test
        void noTotemSectionAtAllNeedsVersion() {
            assertThat(onlyError("").key()).isEqualTo("totem.version");
        }

        @Test
        void badTransport() {
            Diagnostic d = onlyError("totem {\n version: 2\n transport: tcp\n}\n");
            assertThat(d.key()).isEqualTo("totem.transport");
            assertThat(d.position()).hasToString("t.conf:3:13");
            assertThat(d.message()).isEqualTo("expected one of udpu, udp, knet but found 'tcp'");
        }

        @Test
        void timeoutsBelowCorosyncsMinimum() {
            List<Diagnostic> e = errors("totem {\n version: 2\n token: 20\n join: 10\n merge: 5\n downcheck: 1\n}\n");
            assertThat(e).extracting(Diagnostic::key)
                    .contains("totem.token", "totem.join", "totem.merge", "totem.downcheck");
            assertThat(e).filteredOn(d -> d.key().equals("totem.join")).singleElement()
                    .satisfies(d -> assertThat(d.message()).isEqualTo("join 10 ms may not be less than 30 ms"));
        }

        @Test
        void derivedRetransmitTooSmallNamesBothKeys() {
            List<Diagnostic> e = errors("totem {\n version: 2\n token: 100\n token_retransmits_before_loss_const: 10\n}\n");
            assertThat(e).anySatisfy(d -> {
                assertThat(d.key()).isEqualTo("totem.token");
                assertThat(d.message()).contains("token 100 ms and token_retransmits_before_loss_const 10")
                        .contains("token_retransmit of 9 ms");
            });
        }

        @Test
        void consensusBelowJoinIsAnErrorNamingBoth() {
            Diagnostic d = onlyError("totem {\n version: 2\n join: 500\n consensus: 400\n token: 300\n}\n");
            assertThat(d.key()).isEqualTo("totem.consensus");
            assertThat(d.position()).hasToString("t.conf:4:13");
            assertThat(d.message()).isEqualTo("consensus 400 ms may not be less than join 500 ms");
        }

        @Test
        void consensusBelowOnePointTwoTokenWarnsNamingBoth() throws Exception {
            ClusterConfig c = ok("totem {\n version: 2\n token: 1000\n consensus: 1100\n}\n" + nodes(2));
            Diagnostic w = warning(c, "totem.consensus");
            assertThat(w.position()).hasToString("t.conf:4:13");
            assertThat(w.message()).contains("consensus 1100 ms").contains("1.2 * token").contains("token 1000 ms")
                    .contains("at least 1200 ms");
            assertThat(c.totem().consensusMs()).isEqualTo(1100);
        }

        @Test
        void consensusCheckUsesTheEffectiveToken() throws Exception {
            ClusterConfig c = ok("totem {\n version: 2\n token: 1000\n consensus: 1300\n}\n" + nodes(3));
            assertThat(warning(c, "totem.consensus").message()).contains("token 1650 ms effective")
                    .contains("at least 1980 ms");
        }

        @Test
        void maxMessagesAboveWindowAndBufferBudgetWarn() throws Exception {
            ClusterConfig c = ok("totem {\n version: 2\n transport: udpu\n window_size: 300\n max_messages: 400\n}\n"
                    + nodes(2));
            assertThat(c.warnings()).extracting(Diagnostic::message).anySatisfy(m ->
                    assertThat(m).isEqualTo("max_messages 400 is larger than window_size 300; a node never sends more "
                            + "than window_size per rotation"))
                    .anySatisfy(m -> assertThat(m).contains("window_size 300 exceeds 256000 / netmtu 1500 = 170"));
        }

        @Test
        void netmtuAutoAndKnetsDiscoveryValueAreLeftToTheDaemon() throws Exception {
            TotemConfig auto = ok("totem {\n version: 2\n transport: udpu\n netmtu: auto\n}\n" + nodes(2)).totem();
            assertThat(auto.netmtu()).isEqualTo(TotemConfig.NETMTU_AUTO);
            assertThat(auto.netmtuChosenAtStart()).isTrue();
            TotemConfig knet = ok("totem {\n version: 2\n netmtu: 65536\n}\n" + nodes(2)).totem();
            assertThat(knet.netmtu()).isEqualTo(65536);
            assertThat(knet.netmtuChosenAtStart()).as("knet's default means discover").isTrue();
            TotemConfig set = ok("totem {\n version: 2\n transport: udpu\n netmtu: 9000\n}\n" + nodes(2)).totem();
            assertThat(set.netmtuChosenAtStart()).isFalse();
            Diagnostic bad = onlyError("totem {\n version: 2\n netmtu: big\n}\n" + nodes(2));
            assertThat(bad.key()).isEqualTo("totem.netmtu");
            assertThat(bad.message()).contains("expected an integer").contains("'big'");
        }

        @Test
        void bufferBudgetWarningUses1500WhereNetmtuIsChosenAtStart() throws Exception {
            ClusterConfig unset = ok("totem {\n version: 2\n window_size: 200\n}\n" + nodes(2));
            assertThat(unset.warnings()).extracting(Diagnostic::message)
                    .anySatisfy(m -> assertThat(m).contains("window_size 200 exceeds 256000 / netmtu 1500 = 170"));
            ClusterConfig knetQuiet = ok("totem {\n version: 2\n window_size: 100\n netmtu: 65536\n}\n" + nodes(2));
            assertThat(knetQuiet.warnings()).extracting(Diagnostic::message)
                    .noneSatisfy(m -> assertThat(m).contains("256000 / netmtu"));
            ClusterConfig jumbo = ok("totem {\n version: 2\n transport: udpu\n window_size: 50\n netmtu: 9000\n}\n"
                    + nodes(2));
            assertThat(jumbo.warnings()).extracting(Diagnostic::message)
                    .anySatisfy(m -> assertThat(m).contains("window_size 50 exceeds 256000 / netmtu 9000 = 28"));
        }

        @Test
        void acceleratedRingIsOnByDefaultAndSwitchable() throws Exception {
            TotemConfig defaults = ok(TOTEM + nodes(2)).totem();
            assertThat(defaults.accelerated()).isEqualTo(TotemConfig.DEFAULT_ACCELERATED);
            assertThat(defaults.acceleratedWindow()).isEqualTo(17);
            TotemConfig off = ok("totem {\n version: 2\n accelerated: no\n accelerated_window: 5\n}\n" + nodes(2)).totem();
            assertThat(off.accelerated()).isFalse();
            assertThat(off.acceleratedWindow()).isEqualTo(5);
            assertThat(ok("totem {\n version: 2\n accelerated: yes\n}\n" + nodes(2)).totem().accelerated()).isTrue();
        }

        @Test
        void badAcceleratedValuesNameTheirPlace() {
            Diagnostic word = onlyError("totem {\n version: 2\n accelerated: fast\n}\n" + nodes(2));
            assertThat(word.key()).isEqualTo("totem.accelerated");
            assertThat(word.position()).hasToString("t.conf:3:15");
            assertThat(word.message()).contains("expected yes or no").contains("'fast'");
            Diagnostic window = onlyError("totem {\n version: 2\n max_messages: 10\n accelerated_window: 11\n}\n"
                    + nodes(2));
            assertThat(window.key()).isEqualTo("totem.accelerated_window");
            assertThat(window.position()).hasToString("t.conf:4:22");
            assertThat(window.message()).contains("accelerated_window 11 is larger than max_messages 10");
        }

        @Test
        void secauthOnImpliesAes256AndSha256() throws Exception {
            TotemConfig t = ok("totem {\n version: 2\n secauth: on\n}\n" + nodes(2)).totem();
            assertThat(t.cryptoCipher()).isEqualTo("aes256");
            assertThat(t.cryptoHash()).isEqualTo("sha256");
            TotemConfig explicit = ok("totem {\n version: 2\n secauth: on\n crypto_cipher: aes128\n}\n" + nodes(2)).totem();
            assertThat(explicit.cryptoCipher()).isEqualTo("aes128");
            assertThat(explicit.cryptoHash()).isEqualTo("sha256");
        }

        @Test
        void secauthYesIsOffAsInCorosyncWithAWarning() throws Exception {
            ClusterConfig c = ok("totem {\n version: 2\n secauth: yes\n}\n" + nodes(2));
            assertThat(c.totem().cryptoEnabled()).isFalse();
            assertThat(warning(c, "totem.secauth").message()).contains("read as off");
        }

        @Test
        void cipherWithoutHash() {
            Diagnostic d = onlyError("totem {\n version: 2\n crypto_cipher: aes128\n}\n");
            assertThat(d.key()).isEqualTo("totem.crypto_cipher");
            assertThat(d.message()).contains("crypto_cipher aes128").contains("crypto_hash is none");
        }

        @Test
        void unknownCipherAndHash() {
            List<Diagnostic> e = errors("totem {\n version: 2\n crypto_cipher: 3des\n crypto_hash: crc\n}\n");
            assertThat(e).extracting(Diagnostic::key).containsExactly("totem.crypto_cipher", "totem.crypto_hash");
        }

        @Test
        void integerErrorsNameRangeValueAndHint() {
            Diagnostic d = onlyError("totem {\n version: 2\n token: 1000 # one second\n}\n");
            assertThat(d.position()).hasToString("t.conf:3:9");
            assertThat(d.message()).isEqualTo("expected an integer between 0 and 4294967295 but found "
                    + "'1000 # one second' (comments must be on their own line)");
            assertThat(onlyError("totem {\n version: 2\n token: -5\n}\n").message()).contains("'-5'");
            assertThat(onlyError("totem {\n version: 2\n token: 99999999999\n}\n").message()).contains("99999999999");
        }

        @Test
        void duplicateKeyWarnsAndLastWins() throws Exception {
            ClusterConfig c = ok("totem {\n version: 2\n token: 1000\n token: 2000\n}\n" + nodes(2));
            assertThat(c.totem().tokenMs()).isEqualTo(2000);
            Diagnostic w = warning(c, "totem.token");
            assertThat(w.position()).hasToString("t.conf:4:2");
            assertThat(w.message()).contains("first at t.conf:3:2").contains("'1000'").contains("'2000' wins");
        }

        @Test
        void repeatedSectionsMergeWithWarning() throws Exception {
            ClusterConfig c = ok("totem {\n version: 2\n}\n" + nodes(2) + "totem {\n token: 2000\n}\n");
            assertThat(c.totem().tokenMs()).isEqualTo(2000);
            assertThat(warning(c, "totem").message()).contains("repeated (first at t.conf:1:1)");
        }

        @Test
        void unknownAndUnimplementedOptionsAreWarnedByName() throws Exception {
            ClusterConfig c = ok("totem {\n version: 2\n tokn: 5\n knet_pmtud_interval: 10\n}\n" + nodes(2));
            assertThat(warning(c, "totem.tokn").message()).isEqualTo("unknown option, ignored");
            assertThat(warning(c, "totem.tokn").position()).hasToString("t.conf:3:2");
            assertThat(warning(c, "totem.knet_pmtud_interval").message()).startsWith("not implemented by ringmaster");
        }

        @Test
        void quotedValuesKeepTheirQuotesWithAWarning() throws Exception {
            ClusterConfig c = ok("totem {\n version: 2\n cluster_name: \"prod\"\n}\n" + nodes(2));
            assertThat(c.totem().clusterName()).contains("\"prod\"");
            assertThat(warning(c, "totem.cluster_name").message()).contains("quotes are part of the value");
        }

        @Test
        void interfacesLinkNumbersAndPorts() throws Exception {
            String twoLinks = "totem {\n version: 2\n interface {\n  linknumber: 1\n  mcastport: 6000\n }\n"
                    + " interface {\n  linknumber: 0\n }\n}\n";
            TotemConfig t = ok(twoLinks + nodes(2)).totem();
            assertThat(t.links()).extracting(LinkConfig::linknumber).containsExactly(0, 1);
            assertThat(t.link(1).orElseThrow().mcastport()).isEqualTo(6000);
            assertThat(t.link(0).orElseThrow().mcastport()).isEqualTo(LinkConfig.DEFAULT_PORT);
        }

        @Test
        void multicastSettingsAreIgnoredWithUnicastTransports() throws Exception {
            ClusterConfig c = ok("totem {\n version: 2\n transport: udpu\n interface {\n  bindnetaddr: 10.0.0.0\n"
                    + "  mcastaddr: 239.1.1.1\n }\n}\n" + nodes(2));
            assertThat(c.warnings()).extracting(Diagnostic::key)
                    .containsExactly("totem.interface.bindnetaddr", "totem.interface.mcastaddr");
            assertThat(warning(c, "totem.interface.bindnetaddr").message()).contains("only used with transport udp");
            ClusterConfig udp = ok("totem {\n version: 2\n transport: udp\n interface {\n  bindnetaddr: 10.0.0.0\n"
                    + "  mcastaddr: 239.1.1.1\n }\n}\n" + nodes(2));
            assertThat(udp.warnings()).isEmpty();
            assertThat(udp.totem().link(0).orElseThrow().mcastaddr()).contains("239.1.1.1");
        }

        @Test
        void interfaceErrors() {
            Diagnostic twice = onlyError("totem {\n version: 2\n interface {\n  linknumber: 0\n }\n"
                    + " interface {\n  linknumber: 0\n }\n}\n");
            assertThat(twice.position()).hasToString("t.conf:6:2");
            assertThat(twice.message()).contains("link 0 is configured twice (first interface section at t.conf:3:2)");
            Diagnostic udpLink1 = onlyError("totem {\n version: 2\n transport: udpu\n interface {\n  linknumber: 1\n }\n}\n");
            assertThat(udpLink1.key()).isEqualTo("totem.interface.linknumber");
            assertThat(udpLink1.message()).contains("transport udpu").contains("highest link number is 0");
            Diagnostic port = onlyError("totem {\n version: 2\n interface {\n  mcastport: 70000\n }\n}\n");
            assertThat(port.key()).isEqualTo("totem.interface.mcastport");
            assertThat(port.message()).contains("between 0 and 65535");
        }
    }

    @Nested
    class Nodes {

        @Test
        void nodeFieldsAndDefaults() throws Exception {
            ClusterConfig c = ok(TOTEM + "nodelist {\n node {\n  nodeid: 7\n  ring0_addr: host7\n  ring1_addr: 10.1.1.7\n"
                    + "  name: seven\n  quorum_votes: 3\n }\n node {\n  nodeid: 8\n  ring0_addr: host8\n"
                    + "  ring1_addr: 10.1.1.8\n  name: eight\n }\n}\n");
            NodeConfig seven = c.node(7).orElseThrow();
            assertThat(seven.name()).contains("seven");
            assertThat(seven.addresses()).containsExactly(java.util.Map.entry(0, "host7"), java.util.Map.entry(1, "10.1.1.7"));
            assertThat(seven.quorumVotes()).isEqualTo(3);
            assertThat(seven.position()).hasToString("t.conf:6:2");
            assertThat(c.node("eight").orElseThrow().quorumVotes()).isEqualTo(1);
            assertThat(c.quorum().expectedVotes()).isEqualTo(4);
        }

        @Test
        void knetNeedsNodeidsButUdpuDerivesThemFromIpv4() throws Exception {
            String node = "nodelist {\n node {\n  ring0_addr: 10.0.0.5\n }\n}\n";
            assertThat(onlyError(TOTEM + node).key()).isEqualTo("nodelist.node[1].nodeid");
            ClusterConfig c = ok("totem {\n version: 2\n transport: udpu\n}\n" + node);
            assertThat(c.nodes().get(0).nodeid()).isEqualTo(0x0a000005L);
            assertThat(warning(c, "nodelist.node[1].nodeid").message()).contains("derived 167772165");
            Diagnostic byName = onlyError("totem {\n version: 2\n transport: udpu\n}\n"
                    + "nodelist {\n node {\n  ring0_addr: somehost\n }\n}\n");
            assertThat(byName.message()).contains("unless its ring0_addr is an IPv4 address");
        }

        @Test
        void clearNodeHighBitAppliesToDerivedNodeids() throws Exception {
            String node = "nodelist {\n node {\n  ring0_addr: 192.168.1.1\n }\n}\n";
            assertThat(ok("totem {\n version: 2\n transport: udpu\n}\n" + node).nodes().get(0).nodeid())
                    .isEqualTo(0xc0a80101L);
            assertThat(ok("totem {\n version: 2\n transport: udpu\n clear_node_high_bit: yes\n}\n" + node).nodes()
                    .get(0).nodeid()).isEqualTo(0x40a80101L);
        }

        @Test
        void nodeidZeroIsReserved() {
            Diagnostic d = onlyError(TOTEM + "nodelist {\n node {\n  nodeid: 0\n  ring0_addr: 10.0.0.1\n }\n}\n");
            assertThat(d.key()).isEqualTo("nodelist.node[1].nodeid");
            assertThat(d.position()).hasToString("t.conf:7:11");
        }

        @Test
        void duplicatesOfNodeidNameAndAddressNameBothPlaces() {
            List<Diagnostic> e = errors(TOTEM + "nodelist {\n"
                    + " node {\n  nodeid: 1\n  name: a\n  ring0_addr: 10.0.0.1\n }\n"
                    + " node {\n  nodeid: 1\n  name: a\n  ring0_addr: 10.0.0.1\n }\n}\n");
            assertThat(e).extracting(Diagnostic::key).containsExactlyInAnyOrder("nodelist.node[2].nodeid",
                    "nodelist.node[2].name", "nodelist.node[2].ring0_addr");
            assertThat(e).allSatisfy(d -> {
                assertThat(d.position()).hasToString("t.conf:11:2");
                assertThat(d.message()).contains("t.conf:6:2");
            });
        }

        @Test
        void ringAddrAboveSevenAndEmpty() {
            List<Diagnostic> e = errors(TOTEM + "nodelist {\n node {\n  nodeid: 1\n  ring0_addr:\n  ring8_addr: x\n }\n}\n");
            assertThat(e).extracting(Diagnostic::key)
                    .containsExactlyInAnyOrder("nodelist.node[1].ring0_addr", "nodelist.node[1].ring8_addr");
        }

        @Test
        void severalLinksNeedNamesOnEveryNode() {
            List<Diagnostic> e = errors(TOTEM + "nodelist {\n node {\n  nodeid: 1\n  ring0_addr: 10.0.0.1\n"
                    + "  ring1_addr: 10.1.0.1\n }\n node {\n  nodeid: 2\n  ring0_addr: 10.0.0.2\n  ring1_addr: 10.1.0.2\n }\n}\n");
            assertThat(e).extracting(Diagnostic::key).containsExactly("nodelist.node[1].name", "nodelist.node[2].name");
        }

        @Test
        void unknownNodeKeyAndNodelistKeyWarn() throws Exception {
            ClusterConfig c = ok(TOTEM + "nodelist {\n foo: 1\n node {\n  nodeid: 1\n  ring0_addr: 10.0.0.1\n"
                    + "  colour: red\n }\n}\n");
            assertThat(c.warnings()).extracting(Diagnostic::key)
                    .containsExactly("nodelist.foo", "nodelist.node[1].colour");
        }
    }

    @Nested
    class Quorum {

        static final String VQ = "quorum {\n provider: corosync_votequorum\n";

        @Test
        void defaults() throws Exception {
            QuorumConfig q = ok(TOTEM + nodes(3) + VQ + "}\n").quorum();
            assertThat(q.enabled()).isTrue();
            assertThat(q.expectedVotes()).isEqualTo(3);
            assertThat(q.expectedVotesConfigured()).isFalse();
            assertThat(List.of(q.twoNode(), q.waitForAll(), q.lastManStanding(), q.autoTieBreaker(),
                    q.allowDownscale(), q.expectedVotesTracking())).containsOnly(false);
            assertThat(q.lastManStandingWindowMs()).isEqualTo(10000);
            assertThat(q.autoTieBreakerNode()).isEqualTo(QuorumConfig.TieBreaker.LOWEST);
            assertThat(q.device()).isEmpty();
        }

        @Test
        void noQuorumSectionMeansNoQuorum() throws Exception {
            assertThat(ok(TOTEM + nodes(2)).quorum().enabled()).isFalse();
        }

        @Test
        void optionsWithoutProviderWarn() throws Exception {
            ClusterConfig c = ok(TOTEM + nodes(2) + "quorum {\n two_node: 1\n}\n");
            assertThat(c.quorum().enabled()).isFalse();
            assertThat(warning(c, "quorum").message()).contains("no provider is set");
        }

        @Test
        void unknownProvider() {
            Diagnostic d = onlyError(TOTEM + nodes(2) + "quorum {\n provider: corosync_ymir\n}\n");
            assertThat(d.key()).isEqualTo("quorum.provider");
            assertThat(d.position()).hasToString("t.conf:" + (4 + 12 + 2) + ":12");
        }

        @Test
        void switchesAreIntegersAsInCorosync() {
            Diagnostic d = onlyError(TOTEM + nodes(2) + VQ + " two_node: yes\n}\n");
            assertThat(d.key()).isEqualTo("quorum.two_node");
            assertThat(d.message()).contains("between 0 and 255").contains("'yes'");
        }

        @Test
        void expectedVotesOverridesAndWarnsWhenBelowTotal() throws Exception {
            ClusterConfig c = ok(TOTEM + nodes(3) + VQ + " expected_votes: 2\n}\n");
            assertThat(c.quorum().expectedVotes()).isEqualTo(2);
            assertThat(warning(c, "quorum.expected_votes").message())
                    .contains("expected_votes 2 is less than the nodelist's total quorum_votes 3");
        }

        @Test
        void nodelistOrExpectedVotesRequired() {
            assertThat(onlyError(TOTEM + VQ + "}\n").message())
                    .isEqualTo("nodelist or quorum.expected_votes must be configured");
        }

        @Test
        void twoNodeTurnsOnWaitForAllUnlessSaidOtherwise() throws Exception {
            assertThat(ok(TOTEM + nodes(2) + VQ + " two_node: 1\n}\n").quorum().waitForAll()).isTrue();
            assertThat(ok(TOTEM + nodes(2) + VQ + " two_node: 1\n wait_for_all: 0\n}\n").quorum().waitForAll()).isFalse();
        }

        @Test
        void twoNodeWithThreeNodesWarnsNamingBoth() throws Exception {
            ClusterConfig c = ok(TOTEM + nodes(3) + VQ + " two_node: 1\n}\n");
            assertThat(warning(c, "quorum.two_node").message()).contains("two_node: 1 with 3 nodes in nodelist");
        }

        @Test
        void twoNodeAndAutoTieBreakerDisablesTwoNode() throws Exception {
            ClusterConfig c = ok(TOTEM + nodes(2) + VQ + " two_node: 1\n auto_tie_breaker: 1\n}\n");
            assertThat(c.quorum().twoNode()).isFalse();
            assertThat(warning(c, "quorum.two_node").message()).contains("auto_tie_breaker: 1 are not compatible");
        }

        @Test
        void autoTieBreakerInOddClusterNeedsWaitForAll() throws Exception {
            ClusterConfig c = ok(TOTEM + nodes(3) + VQ + " auto_tie_breaker: 1\n}\n");
            assertThat(c.quorum().autoTieBreaker()).isFalse();
            assertThat(warning(c, "quorum.auto_tie_breaker").message()).contains("odd number of votes (3)");
            assertThat(ok(TOTEM + nodes(3) + VQ + " auto_tie_breaker: 1\n wait_for_all: 1\n}\n").quorum()
                    .autoTieBreaker()).isTrue();
        }

        @Test
        void tieBreakerNodeForms() throws Exception {
            assertThat(ok(TOTEM + nodes(4) + VQ + " auto_tie_breaker: 1\n auto_tie_breaker_node: highest\n}\n")
                    .quorum().autoTieBreakerNode().kind()).isEqualTo(QuorumConfig.TieBreaker.Kind.HIGHEST);
            ClusterConfig unknownNode = ok(TOTEM + nodes(4) + VQ + " auto_tie_breaker: 1\n auto_tie_breaker_node: 2 9\n}\n");
            assertThat(unknownNode.quorum().autoTieBreakerNode().nodeids()).containsExactly(2L, 9L);
            assertThat(warning(unknownNode, "quorum.auto_tie_breaker_node").message())
                    .isEqualTo("node id 9 is not in the nodelist");
            ClusterConfig invalid = ok(TOTEM + nodes(4) + VQ + " auto_tie_breaker: 1\n auto_tie_breaker_node: first\n}\n");
            assertThat(invalid.quorum().autoTieBreaker()).isFalse();
            assertThat(warning(invalid, "quorum.auto_tie_breaker_node").message()).contains("auto_tie_breaker is disabled");
        }

        @Test
        void lastManStandingWithUnequalVotesWarns() throws Exception {
            String n = "nodelist {\n node {\n  nodeid: 1\n  ring0_addr: 10.0.0.1\n  quorum_votes: 2\n }\n"
                    + " node {\n  nodeid: 2\n  ring0_addr: 10.0.0.2\n }\n}\n";
            ClusterConfig c = ok(TOTEM + n + VQ + " last_man_standing: 1\n}\n");
            assertThat(warning(c, "quorum.last_man_standing").message()).contains("nodeid 1 has quorum_votes 2");
        }

        @Test
        void allowDownscaleWarnsAndEnablesTracking() throws Exception {
            ClusterConfig c = ok(TOTEM + nodes(2) + VQ + " allow_downscale: 1\n}\n");
            assertThat(c.quorum().expectedVotesTracking()).isTrue();
            assertThat(warning(c, "quorum.allow_downscale").message()).contains("unsupported");
        }

        @Test
        void deviceIncompatibilities() {
            String dev = " device {\n  model: net\n  votes: 1\n }\n}\n";
            assertThat(errors(TOTEM + nodes(4) + VQ + " last_man_standing: 1\n" + dev))
                    .extracting(Diagnostic::message).anySatisfy(m -> assertThat(m).contains("last_man_standing"));
            assertThat(errors(TOTEM + nodes(4) + VQ + " auto_tie_breaker: 1\n" + dev))
                    .extracting(Diagnostic::message).anySatisfy(m -> assertThat(m).contains("auto_tie_breaker"));
            assertThat(errors(TOTEM + nodes(4) + VQ + " allow_downscale: 1\n" + dev))
                    .extracting(Diagnostic::message).anySatisfy(m -> assertThat(m).contains("allow_downscale"));
        }

        @Test
        void deviceVotesRules() {
            assertThat(onlyError(TOTEM + nodes(3) + VQ + " expected_votes: 5\n device {\n  model: net\n }\n}\n").message())
                    .contains("must be set because quorum.expected_votes is set (5)");
            assertThat(onlyError(TOTEM + nodes(3) + VQ + " expected_votes: 4\n device {\n  model: net\n  votes: 3\n }\n}\n")
                    .message()).contains("votes 3 is too high for quorum.expected_votes 4");
            String unequal = "nodelist {\n node {\n  nodeid: 1\n  ring0_addr: 10.0.0.1\n  quorum_votes: 2\n }\n"
                    + " node {\n  nodeid: 2\n  ring0_addr: 10.0.0.2\n }\n}\n";
            assertThat(onlyError(TOTEM + unequal + VQ + " device {\n  model: net\n }\n}\n").message())
                    .contains("not every node has 1 vote");
            Diagnostic noModel = onlyError(TOTEM + nodes(3) + VQ + " device {\n  votes: 1\n }\n}\n");
            assertThat(noModel.key()).isEqualTo("quorum.device.model");
        }

        @Test
        void deviceModels() throws Exception {
            ClusterConfig qdisk = ok(TOTEM + nodes(2) + VQ + " device {\n  model: qdisk\n  votes: 1\n"
                    + "  qdisk {\n   path: /dev/q\n   label: q1\n  }\n }\n}\n");
            assertThat(qdisk.warnings()).isEmpty();
            assertThat(qdisk.quorum().device().orElseThrow().raw().sections("qdisk")).hasSize(1);
            Diagnostic unknown = onlyError(TOTEM + nodes(2) + VQ + " device {\n  model: coin\n }\n}\n");
            assertThat(unknown.key()).isEqualTo("quorum.device.model");
            assertThat(unknown.message()).contains("unknown quorum device model 'coin'; expected qdisk or ping");
        }

        /** 1-based line of the first line containing {@code needle}. */
        private int lineOf(String text, String needle) {
            return (int) text.substring(0, text.indexOf(needle)).chars().filter(c -> c == '\n').count() + 1;
        }

        @Test
        void qdiskSectionIsReadWithItsHeuristics() throws Exception {
            ClusterConfig c = ok(TOTEM + nodes(2) + VQ + " device {\n  model: qdisk\n  votes: 1\n"
                    + "  heuristics {\n   mode: on\n   interval: 500\n   timeout: 300\n"
                    + "   exec_gw: ping -c1 -W1 10.0.0.254\n   exec_disk: test -w /srv\n  }\n"
                    + "  qdisk {\n   path: /dev/disk/by-id/q\n   label: prod\n   interval: 500\n   tko: 8\n"
                    + "   upgrade_wait: 3\n   min_score: 2\n   max_error_cycles: 1\n  }\n }\n}\n");
            assertThat(c.warnings()).isEmpty();
            QuorumDeviceConfig.Qdisk q = c.quorum().device().orElseThrow().qdisk().orElseThrow();
            assertThat(q.path()).hasToString("/dev/disk/by-id/q");
            assertThat(q.config().label()).isEqualTo("prod");
            assertThat(q.config().intervalMs()).isEqualTo(500);
            assertThat(q.config().tko()).isEqualTo(8);
            assertThat(q.config().upgradeWait()).isEqualTo(3);
            assertThat(q.config().minScore()).isEqualTo(2);
            assertThat(q.config().maxErrorCycles()).isEqualTo(1);
            assertThat(q.config().heuristics()).extracting(h -> h.program() + "/" + h.intervalMs() + "/" + h.timeoutMs())
                    .containsExactly("ping -c1 -W1 10.0.0.254/500/300", "test -w /srv/500/300");
            assertThat(c.quorum().device().get().ping()).isEmpty();
        }

        @Test
        void pingSectionIsReadWithItsProbe() throws Exception {
            ClusterConfig c = ok(TOTEM + nodes(3) + VQ + " device {\n  model: ping\n"
                    + "  ping {\n   host: 10.0.0.254 gw.example.com\n   probe: tcp:443\n   interval: 400\n"
                    + "   deadping: 1200\n  }\n }\n}\n");
            assertThat(c.warnings()).isEmpty();
            assertThat(c.quorum().waitForAll()).as("a ping device implies wait_for_all, as two_node does").isTrue();
            QuorumDeviceConfig.Ping p = c.quorum().device().orElseThrow().ping().orElseThrow();
            assertThat(p.hosts()).containsExactly("10.0.0.254", "gw.example.com");
            assertThat(p.probe()).isEqualTo(QuorumDeviceConfig.ProbeKind.TCP);
            assertThat(p.port()).isEqualTo(443);
            assertThat(p.timeoutMs()).as("defaults to the interval").isEqualTo(400);
            org.ringmaster.quorum.ping.PingConfig pc = p.toPingConfig(3000);
            assertThat(pc.groups()).hasSize(1);
            assertThat(pc.groups().get(0)).extracting(Object::toString)
                    .containsExactly("10.0.0.254:443", "gw.example.com:443");
            assertThat(pc.deadPingMs()).isEqualTo(1200);
            QuorumDeviceConfig.Ping icmp = ok(TOTEM + nodes(2) + VQ + " device {\n  model: ping\n"
                    + "  ping {\n   host: 10.0.0.254\n  }\n }\n}\n").quorum().device().get().ping().get();
            assertThat(icmp.probe()).isEqualTo(QuorumDeviceConfig.ProbeKind.ICMP);
            assertThat(icmp.toPingConfig(3000).deadPingMs()).as("deadping defaults to the token timeout").isEqualTo(3000);
            assertThat(ok(TOTEM + nodes(2) + VQ + " device {\n  model: ping\n  ping {\n   host: ::1\n"
                    + "   probe: udp:7\n  }\n }\n}\n").quorum().device().get().ping().get().probe())
                    .isEqualTo(QuorumDeviceConfig.ProbeKind.UDP);
        }

        @Test
        void badDeviceKeysAreNamedWithTheirPlace() {
            String head = TOTEM + nodes(2) + VQ + " device {\n  model: qdisk\n  votes: 1\n";
            String noPath = head + "  qdisk {\n   tko: 12\n  }\n }\n}\n";
            Diagnostic e = onlyError(noPath);
            assertThat(e.key()).isEqualTo("quorum.device.qdisk.path");
            assertThat(e.position().line()).isEqualTo(lineOf(noPath, "qdisk {"));

            String badTko = head + "  qdisk {\n   path: /q\n   tko: 1\n  }\n }\n}\n";
            e = onlyError(badTko);
            assertThat(e.key()).isEqualTo("quorum.device.qdisk.tko");
            assertThat(e.toString()).startsWith("t.conf:" + lineOf(badTko, "tko: 1") + ":9: error: quorum.device.qdisk.tko:");

            String unreachable = head + "  heuristics {\n   exec_a: true\n  }\n"
                    + "  qdisk {\n   path: /q\n   min_score: 3\n  }\n }\n}\n";
            e = onlyError(unreachable);
            assertThat(e.key()).isEqualTo("quorum.device.qdisk.min_score");
            assertThat(e.message()).contains("can never be reached");
            assertThat(e.position().line()).isEqualTo(lineOf(unreachable, "min_score"));

            String noExec = head + "  heuristics {\n   mode: on\n  }\n  qdisk {\n   path: /q\n  }\n }\n}\n";
            assertThat(onlyError(noExec).key()).isEqualTo("quorum.device.heuristics.exec_NAME");

            String fast = head + "  qdisk {\n   path: /q\n   interval: 100\n   tko: 20\n  }\n }\n}\n";
            e = onlyError(fast);
            assertThat(e.key()).isEqualTo("quorum.device.qdisk.tko");
            assertThat(e.message()).contains("2000 ms must exceed the token timeout (3000 ms)");
            assertThat(e.position().line()).isEqualTo(lineOf(fast, "tko: 20"));

            String ping = TOTEM + nodes(2) + VQ + " device {\n  model: ping\n  ping {\n   host: 10.0.0.1:80\n"
                    + "   probe: tcp:http\n   deadping: 5000\n  }\n }\n}\n";
            List<Diagnostic> all = errors(ping);
            assertThat(all).extracting(Diagnostic::key)
                    .containsExactly("quorum.device.ping.host", "quorum.device.ping.probe");
            assertThat(all.get(0).message()).contains("'10.0.0.1:80' is not a host name or address");
            assertThat(all.get(1).position().line()).isEqualTo(lineOf(ping, "probe:"));

            String slowPing = TOTEM + nodes(2) + VQ + " device {\n  model: ping\n  ping {\n   host: 10.0.0.1\n"
                    + "   deadping: 5000\n  }\n }\n}\n";
            e = onlyError(slowPing);
            assertThat(e.key()).isEqualTo("quorum.device.ping.deadping");
            assertThat(e.message()).contains("exceeds the token timeout (3000 ms)");

            assertThat(onlyError(TOTEM + nodes(2) + VQ + " device {\n  model: ping\n }\n}\n").key())
                    .isEqualTo("quorum.device.ping");
        }

        @Test
        void misplacedDeviceSettingsAreWarnedAbout() throws Exception {
            ClusterConfig c = ok(TOTEM + nodes(2) + VQ + " device {\n  model: ping\n  timeout: 5000\n"
                    + "  heuristics {\n   exec_a: true\n  }\n  qdisk {\n   path: /q\n  }\n"
                    + "  ping {\n   host: 10.0.0.1\n   colour: blue\n  }\n }\n}\n");
            assertThat(warning(c, "quorum.device.qdisk").message()).contains("model is 'ping'");
            assertThat(warning(c, "quorum.device.heuristics").message()).contains("model qdisk only");
            assertThat(warning(c, "quorum.device.timeout").message()).contains("without effect");
            assertThat(warning(c, "quorum.device.ping.colour").message()).contains("unknown option");
            ClusterConfig noWfa = ok(TOTEM + nodes(2) + VQ + " wait_for_all: 0\n device {\n  model: ping\n"
                    + "  ping {\n   host: 10.0.0.1\n  }\n }\n}\n");
            assertThat(noWfa.quorum().waitForAll()).isFalse();
            assertThat(warning(noWfa, "quorum.wait_for_all").message()).contains("each quorate");
        }

        @Test
        void deprecatedVotesIsIgnoredWithNodelist() throws Exception {
            ClusterConfig c = ok(TOTEM + nodes(2) + VQ + " votes: 3\n}\n");
            assertThat(warning(c, "quorum.votes").message()).contains("quorum_votes of each node is used");
        }
    }

    @Nested
    class LoggingAndOurSections {

        @Test
        void loggingDefaults() throws Exception {
            assertThat(ok(TOTEM + nodes(2)).logging()).isEqualTo(LoggingConfig.defaults());
        }

        @Test
        void loggingValues() throws Exception {
            LoggingConfig l = ok(TOTEM + nodes(2) + "logging {\n to_stderr: off\n to_logfile: yes\n logfile: /x.log\n"
                    + " to_syslog: no\n debug: trace\n timestamp: on\n syslog_facility: local3\n syslog_priority: err\n"
                    + " logger_subsys {\n  subsys: TOTEM\n  debug: on\n  to_syslog: yes\n }\n}\n").logging();
            assertThat(l.toStderr()).isFalse();
            assertThat(l.toLogfile()).isTrue();
            assertThat(l.logfile()).contains("/x.log");
            assertThat(l.toSyslog()).isFalse();
            assertThat(l.debug()).isEqualTo("trace");
            assertThat(l.timestamp()).isEqualTo("on");
            assertThat(l.syslogFacility()).isEqualTo("local3");
            assertThat(l.syslogPriority()).isEqualTo("err");
            assertThat(l.subsystems()).singleElement().satisfies(s -> {
                assertThat(s.subsys()).isEqualTo("TOTEM");
                assertThat(s.debug()).contains("on");
                assertThat(s.toSyslog()).contains(true);
                assertThat(s.toStderr()).isEmpty();
            });
        }

        @Test
        void loggingErrors() {
            List<Diagnostic> e = errors(TOTEM + nodes(2) + "logging {\n to_stderr: true\n debug: maybe\n"
                    + " syslog_facility: kern\n logger_subsys {\n  debug: on\n }\n}\n");
            assertThat(e).extracting(Diagnostic::key).containsExactly("logging.to_stderr", "logging.debug",
                    "logging.syslog_facility", "logging.logger_subsys.subsys");
            assertThat(e.get(0).message()).isEqualTo("expected yes or no (or on/off) but found 'true'");
        }

        @Test
        void logfileFlagWithoutFileWarns() throws Exception {
            ClusterConfig c = ok(TOTEM + nodes(2) + "logging {\n to_logfile: yes\n}\n");
            assertThat(c.logging().toLogfile()).isFalse();
            assertThat(warning(c, "logging.to_logfile").message()).contains("no logfile is set");
        }

        @Test
        void crmAndMetricsDefaultsAndErrors() throws Exception {
            ClusterConfig none = ok(TOTEM + nodes(2));
            assertThat(none.crm().enabled()).isFalse();
            assertThat(none.metrics().enabled()).isFalse();
            ClusterConfig c = ok(TOTEM + nodes(2) + "crm {\n}\nmetrics {\n port: 9100\n}\n");
            assertThat(c.crm().plugin()).isEqualTo("simple");
            assertThat(c.metrics()).isEqualTo(new MetricsConfig(true, 9100, "127.0.0.1"));
            List<Diagnostic> e = errors(TOTEM + nodes(2) + "crm {\n plugin: my plugin\n}\n"
                    + "metrics {\n prometheus_port: 0\n bind: localhost\n}\n");
            assertThat(e).extracting(Diagnostic::key).containsExactly("crm.plugin", "metrics.prometheus_port",
                    "metrics.bind");
            ClusterConfig address = ok(TOTEM + nodes(2) + "metrics {\n prometheus_port: 9100\n prometheus_address: ::1\n"
                    + " bind: 0.0.0.0\n}\n");
            assertThat(address.metrics()).isEqualTo(new MetricsConfig(true, 9100, "::1"));
            assertThat(warning(address, "metrics.bind").message()).contains("prometheus_address is also set");
            assertThat(errors(TOTEM + nodes(2) + "metrics {\n prometheus_port: 9100\n prometheus_address: web1\n}\n"))
                    .extracting(Diagnostic::key).containsExactly("metrics.prometheus_address");
        }

        @Test
        void crmAgentPathsLimitsAndPingAreReadAndValidated() throws Exception {
            CrmConfig d = ok(TOTEM + nodes(2) + "crm {\n config: /etc/r.conf\n}\n").crm();
            assertThat(d.agents()).isEqualTo(CrmConfig.Agents.defaults());
            assertThat(d.ping()).isEmpty();
            assertThat(d.options()).containsExactly(java.util.Map.entry("config", "/etc/r.conf"));
            CrmConfig c = ok(TOTEM + nodes(2) + "crm {\n ocf-root: /opt/ocf\n lsb-directory: /opt/init.d\n"
                    + " heartbeat-directories: /opt/ha /opt/init.d\n max-concurrent-actions: 2\n"
                    + " ping-hosts: 10.0.0.254, gw.example\n ping-multiplier: 100\n ping-interval: 2s\n"
                    + " ping-timeout: 500ms\n action-timeout: 30s\n}\n").crm();
            assertThat(c.agents()).isEqualTo(new CrmConfig.Agents(java.nio.file.Path.of("/opt/ocf"),
                    java.nio.file.Path.of("/opt/init.d"),
                    List.of(java.nio.file.Path.of("/opt/ha"), java.nio.file.Path.of("/opt/init.d")), 2));
            assertThat(c.ping()).contains(new CrmConfig.Ping(List.of("10.0.0.254", "gw.example"), 100, "pingd",
                    java.time.Duration.ofSeconds(2), java.time.Duration.ofMillis(500)));
            // the daemon's keys are not the plugin's
            assertThat(c.options()).containsOnlyKeys("action-timeout");

            List<Diagnostic> e = errors(TOTEM + nodes(2) + "crm {\n ocf-root: ocf\n max-concurrent-actions: 0\n"
                    + " ping-hosts: h\n ping-interval: soon\n ping-attribute: a b\n heartbeat-directories: /x y\n}\n");
            assertThat(e).extracting(Diagnostic::key).containsExactlyInAnyOrder("crm.ocf-root",
                    "crm.max-concurrent-actions", "crm.ping-interval", "crm.ping-attribute", "crm.heartbeat-directories");
            Diagnostic interval = e.stream().filter(x -> x.key().equals("crm.ping-interval")).findFirst().orElseThrow();
            assertThat(interval.position().line()).isEqualTo(21);
            assertThat(interval.message()).contains("'soon'");
            assertThat(onlyError(TOTEM + nodes(2) + "crm {\n ping-hosts: h\n ping-interval: 1s\n ping-timeout: 2s\n}\n")
                    .key()).isEqualTo("crm.ping-timeout");
            ClusterConfig noHosts = ok(TOTEM + nodes(2) + "crm {\n ping-multiplier: 5\n}\n");
            assertThat(warning(noHosts, "crm.ping-multiplier").message()).contains("without ping-hosts");
        }

        @Test
        void corosyncSectionsWeDoNotImplementAreNamed() throws Exception {
            ClusterConfig c = ok(TOTEM + nodes(2) + "nozzle {\n name: noz\n}\nsystem {\n sched_rr: yes\n}\n"
                    + "resources {\n watchdog_device: off\n}\nmystery {\n}\n");
            assertThat(c.warnings()).extracting(Diagnostic::key)
                    .containsExactly("nozzle", "system.sched_rr", "resources.watchdog_device", "mystery");
            assertThat(warning(c, "mystery").message()).isEqualTo("unknown section, ignored");
        }

        @Test
        void everyErrorOfAFileIsReportedAtOnceInFileOrder() {
            try {
                ClusterConfig.parse("t.conf", "totem {\n version: 2\n token: x\n join: y\n}\nquorum {\n provider: p\n}\n");
                fail("should not load");
            } catch (ConfigException e) {
                assertThat(e.errors()).extracting(d -> d.position().line()).containsExactly(3, 4, 6, 7);
                assertThat(e.getMessage().lines()).hasSize(4).first().asString().startsWith("t.conf:3:9: error: totem.token:");
            }
        }
    }
}
