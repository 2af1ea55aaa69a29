package org.ringmaster.daemon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ringmaster.crm.simple.config.NativeConfigReader;
import org.ringmaster.crm.simple.model.Configuration;
import org.ringmaster.crm.simple.model.Group;
import org.ringmaster.daemon.config.ClusterConfig;

/** {@code ringctl config import-heartbeat} on sample heartbeat directories, good and broken. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ImportHeartbeatTest {

    @TempDir
    Path tmp;

    private record Run(int code, String out, String err) {
    }

    private static Run ringctl(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Ringctl.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    /** A copy of a sample directory from the test resources. */
    private Path sample(String name) throws IOException {
        Path from = Path.of("src", "test", "resources", "heartbeat", name);
        Path to = tmp.resolve(name);
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
        return to;
    }

    private Path dir(String haCf, String authkeys, String haresources) throws IOException {
        Path d = Files.createDirectories(tmp.resolve("ha.d"));
        Files.writeString(d.resolve("ha.cf"), haCf);
        if (authkeys != null) {
            Files.writeString(d.resolve("authkeys"), authkeys);
        }
        if (haresources != null) {
            Files.writeString(d.resolve("haresources"), haresources);
        }
        return d;
    }

    @Test
    void aHeartbeatPairBecomesAValidConfigWithResourcesAndANewKey() throws Exception {
        Path ha = sample("pair");
        Path conf = tmp.resolve("out").resolve("ringmaster.conf");
        Files.createDirectories(conf.getParent());
        Run r = ringctl("config", "import-heartbeat", ha.toString(), "-o", conf.toString(), "--cluster-name", "web");
        assertThat(r.code()).as(r.err()).isEqualTo(Ringctl.OK);
        Path key = conf.resolveSibling("authkey");
        assertThat(r.out()).contains("wrote " + conf + " (2 nodes) and a new 256-byte authkey " + key);
        assertThat(Files.size(key)).isEqualTo(256);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("r--------");

        String text = Files.readString(conf);
        assertThat(text).contains("cluster_name: web").contains("transport: udpu").contains("token: 30000")
                .contains("token_coefficient: 0").contains("token_retransmits_before_loss_const: 15")
                .contains("token_warning: 33").contains("crypto_cipher: aes256").contains("keyfile: " + key)
                .contains("mcastport: 694").contains("name: alice").contains("name: bob").contains("ring0_addr: bob")
                .contains("wait_for_all: 1").contains("model: ping").contains("host: 192.168.1.254")
                .doesNotContain("two_node") // a ping device and two_node exclude each other
                .contains("syslog_facility: local0").contains("logfile: /var/log/ha-log")
                .contains("plugin: simple").contains("config: " + conf).contains("resource-stickiness: INFINITY")
                .contains("agent: heartbeat:IPaddr").contains("param: 1=192.168.1.222/24/eth0");

        // What the CRM and the daemon make of it.
        ClusterConfig checked = ClusterConfig.load(conf);
        assertThat(checked.nodes()).hasSize(2);
        assertThat(checked.totem().tokenMs()).isEqualTo(30000);
        assertThat(checked.crm().enabled()).isTrue();
        Configuration crm = NativeConfigReader.read(text, conf.toString(), List.of());
        assertThat(crm.resources()).hasSize(2).allSatisfy(g -> assertThat(g).isInstanceOf(Group.class));
        assertThat(((Group) crm.resources().get(0)).members()).extracting(p -> p.agent())
                .containsExactly("heartbeat:IPaddr", "heartbeat:Filesystem", "heartbeat:apache2");
        assertThat(crm.locations()).extracting(l -> l.node() + "=" + l.score()).containsExactly("alice=100", "bob=100");
        assertThat(ringctl("config", "check", conf.toString()).code()).isEqualTo(Ringctl.OK);

        // Said, not silently dropped.
        assertThat(r.out()).contains("authkeys:3: sha1 with a short text key is weak; replaced by a new random key")
                .contains("ha.cf:15: ipfail is replaced by the ping quorum device")
                .contains("resource script 'apache2' is not on this host")
                .contains("Not translated (3):")
                .contains(ha.resolve("ha.cf") + ":10: ucast eth1 10.0.0.2: a second network (eth1)")
                .contains(ha.resolve("ha.cf") + ":16: watchdog /dev/watchdog: ringmaster never arms a watchdog")
                .contains(ha.resolve("ha.cf") + ":17: serial /dev/ttyS0: serial links are not supported");
    }

    @Test
    void multicastTrioWithAPingGroupAndNoResources() throws Exception {
        Path ha = sample("trio-mcast");
        Path conf = tmp.resolve("trio.conf");
        Run r = ringctl("config", "import-heartbeat", ha.toString(), "-o", conf.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(Ringctl.OK);
        String text = Files.readString(conf);
        assertThat(text).contains("transport: udp\n").contains("mcastaddr: 225.0.0.7").contains("mcastport: 6940")
                .contains("token: 5000").contains("token_retransmits_before_loss_const: 10")
                .contains("host: 10.1.1.1 10.1.1.2").contains("deadping: 5000").doesNotContain("crm {");
        assertThat(ClusterConfig.load(conf).nodes()).extracting(n -> n.name().orElseThrow())
                .containsExactly("n1", "n2", "n3");
        assertThat(r.out()).contains("deadping 10s is longer than deadtime 5s").contains("md5 is broken as a MAC").contains("authkeys: readable by others than its owner").contains("haresources: not found")
                .contains(":7: auto_failback on: no haresources to apply it to")
                .contains(":8: crm respawn: heartbeat's CRM mode keeps its resources in a CIB");
    }

    @Test
    void brokenLinesAreErrorsNamingFileAndLine() throws Exception {
        Path d = dir("node a b\nkeepalive 2\ndeadtime thirty\n", null, null);
        Run r = ringctl("config", "import-heartbeat", d.toString(), "-o", tmp.resolve("x.conf").toString());
        assertThat(r.code()).isEqualTo(Ringctl.INVALID);
        assertThat(r.err().trim()).isEqualTo("ringctl config import-heartbeat: " + d.resolve("ha.cf")
                + ":3: deadtime expects seconds (e.g. 30) or milliseconds (e.g. 1500ms), not 'thirty'");
        assertThat(tmp.resolve("x.conf")).doesNotExist();
        assertThat(tmp.resolve("authkey")).doesNotExist();

        assertThat(ringctl("config", "import-heartbeat", dir("node a b\n\n# media\nmcast eth0 225.0.0.1 694\n", null,
                null).toString(), "-o", tmp.resolve("x.conf").toString()).err())
                .contains("ha.cf:4: 'mcast eth0 225.0.0.1 694' is incomplete; expected mcast INTERFACE GROUP PORT TTL LOOP");
        assertThat(ringctl("config", "import-heartbeat", dir("node a b\nmcast eth0 10.0.0.1 694 1 0\n", null, null)
                .toString(), "-o", tmp.resolve("x.conf").toString()).err())
                .contains("ha.cf:2: mcast group '10.0.0.1' is not an IPv4 multicast address");
        assertThat(ringctl("config", "import-heartbeat", dir("keepalive 1\n", null, null).toString(), "-o",
                tmp.resolve("x.conf").toString()).err()).contains("ha.cf: no 'node' line");
        assertThat(ringctl("config", "import-heartbeat", dir("node a b\n", "auth 1\n1 rot13 x\n", null).toString(),
                "-o", tmp.resolve("x.conf").toString()).err())
                .contains("authkeys:2: unknown method 'rot13'; heartbeat has crc, md5 and sha1");
        assertThat(ringctl("config", "import-heartbeat", dir("node a b\n", "auth 3\n1 sha1 x\n", null).toString(),
                "-o", tmp.resolve("x.conf").toString()).err()).contains("authkeys:1: auth 3 names no key line");
        assertThat(ringctl("config", "import-heartbeat", dir("node a b\n", "auth 1\n1 sha1 x\n",
                "a 10.0.0.5\n# c\ncarol 10.0.0.6\n").toString(), "-o", tmp.resolve("x.conf").toString()).err())
                .contains("haresources:3: preferred node 'carol' is not a cluster node");
        assertThat(ringctl("config", "import-heartbeat", tmp.resolve("nowhere").toString()).err())
                .contains("nowhere/ha.cf: no such file");
    }

    @Test
    void broadcastBecomesUnicastAndASecondInterfaceIsListed() throws Exception {
        Path d = dir("udpport 7000\nbcast eth0 eth1\nnode a b c\nlogfacility none\ndebug 1\n", "auth 1\n1 crc\n", null);
        Path conf = tmp.resolve("b.conf");
        Run r = ringctl("config", "import-heartbeat", d.toString(), "-o", conf.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(Ringctl.OK);
        assertThat(Files.readString(conf)).contains("transport: udpu").contains("mcastport: 7000")
                .contains("to_syslog: no").contains("debug: on").doesNotContain("two_node").doesNotContain("token:");
        assertThat(r.out()).contains("ha.cf:2: bcast eth0 becomes udpu (unicast to every node)")
                .contains("authkeys:2: crc authenticated nothing")
                .contains("ha.cf:2: bcast eth1: a second network (eth1)");
        assertThat(ringctl("config", "check", conf.toString()).code()).isEqualTo(Ringctl.OK);
    }

    @Test
    void existingFilesAreKeptUnlessForced() throws Exception {
        Path ha = sample("trio-mcast");
        Path conf = tmp.resolve("ringmaster.conf");
        Files.writeString(conf, "mine");
        Run r = ringctl("config", "import-heartbeat", ha.toString(), "-o", conf.toString());
        assertThat(r.code()).isEqualTo(Ringctl.INVALID);
        assertThat(r.err()).contains(conf + " exists; use --force");
        assertThat(Files.readString(conf)).isEqualTo("mine");
        assertThat(ringctl("config", "import-heartbeat", ha.toString(), "-o", conf.toString(), "--force").code())
                .isEqualTo(Ringctl.OK);
        assertThat(Files.readString(conf)).contains("nodelist {");
    }
}
