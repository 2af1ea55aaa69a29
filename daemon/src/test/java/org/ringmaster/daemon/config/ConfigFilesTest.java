package org.ringmaster.daemon.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whole files: Corosync 3 files of our own in src/test/resources/conf (good ones must load, each
 * bad one names its expected error position in a first-line {@code # expect: LINE:COL KEY: text}).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConfigFilesTest {

    static final Path CONF = Path.of("src", "test", "resources", "conf");
    private static final Pattern EXPECT = Pattern.compile("# expect: (\\d+):(\\d+) (.*?): (.*)");

    static Stream<Path> goodFiles() throws IOException {
        return list(CONF.resolve("good"));
    }

    static Stream<Path> badFiles() throws IOException {
        return list(CONF.resolve("bad"));
    }

    private static Stream<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> files = s.filter(p -> p.toString().endsWith(".conf")).sorted().toList();
            assertThat(files).as("test files in " + dir).isNotEmpty();
            return files.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("goodFiles")
    void goodFileLoads(Path file) throws Exception {
        ClusterConfig c = ClusterConfig.load(file);
        assertThat(c.nodes()).isNotEmpty();
        assertThat(c.totem().version()).isEqualTo(2);
    }

    @ParameterizedTest
    @MethodSource("badFiles")
    void badFileFailsAtTheExpectedPosition(Path file) throws Exception {
        String first = Files.readAllLines(file).get(0);
        Matcher m = EXPECT.matcher(first);
        assertThat(m.matches()).as("first line of " + file + " is '# expect: LINE:COL KEY: text'").isTrue();
        try {
            ClusterConfig.load(file);
            fail(file + " should not load");
        } catch (ConfigException e) {
            SourcePosition expected = new SourcePosition(file.toString(), Integer.parseInt(m.group(1)),
                    Integer.parseInt(m.group(2)));
            assertThat(e.errors()).as(e.getMessage()).anySatisfy(d -> {
                assertThat(d.position()).isEqualTo(expected);
                assertThat(d.key()).isEqualTo(m.group(3));
                assertThat(d.message()).contains(m.group(4));
            });
        }
    }

    @Test
    void multiLinkKnetFile() throws Exception {
        ClusterConfig c = ClusterConfig.load(CONF.resolve("good/knet-multilink.conf"));
        assertThat(c.warnings()).isEmpty();
        assertThat(c.totem().links()).extracting(LinkConfig::linknumber, LinkConfig::mcastport)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(0, 5405), org.assertj.core.groups.Tuple.tuple(1, 5407));
        assertThat(c.node("beta").orElseThrow().addresses()).containsEntry(0, "192.168.10.2")
                .containsEntry(1, "192.168.20.2");
        assertThat(c.totem().effectiveTokenMs()).isEqualTo(6000);
        assertThat(c.totem().consensusMs()).isEqualTo(7200);
        assertThat(c.totem().cryptoCipher()).isEqualTo("aes256");
        assertThat(c.totem().cryptoHash()).isEqualTo("sha256");
        assertThat(c.logging().toStderr()).isFalse();
    }

    @Test
    void votequorumOptionsFile() throws Exception {
        ClusterConfig c = ClusterConfig.load(CONF.resolve("good/votequorum-options.conf"));
        assertThat(c.warnings()).isEmpty();
        QuorumConfig q = c.quorum();
        assertThat(q.expectedVotes()).isEqualTo(4);
        assertThat(q.waitForAll()).isTrue();
        assertThat(q.lastManStanding()).isTrue();
        assertThat(q.lastManStandingWindowMs()).isEqualTo(20000);
        assertThat(q.autoTieBreaker()).isTrue();
        assertThat(q.autoTieBreakerNode().kind()).isEqualTo(QuorumConfig.TieBreaker.Kind.LIST);
        assertThat(q.autoTieBreakerNode().nodeids()).containsExactly(3L, 1L);
    }

    @Test
    void twoNodeFile() throws Exception {
        ClusterConfig c = ClusterConfig.load(CONF.resolve("good/two-node.conf"));
        assertThat(c.warnings()).isEmpty();
        assertThat(c.quorum().twoNode()).isTrue();
        assertThat(c.quorum().waitForAll()).as("two_node turns on wait_for_all").isTrue();
        assertThat(c.quorum().expectedVotes()).isEqualTo(2);
    }

    @Test
    void qdeviceFileKeepsTheModelSectionForTheDevice() throws Exception {
        ClusterConfig c = ClusterConfig.load(CONF.resolve("good/qdevice.conf"));
        assertThat(c.warnings()).singleElement().satisfies(w -> {
            assertThat(w.key()).isEqualTo("quorum.device.model");
            assertThat(w.message()).contains("model net").contains("not implemented");
        });
        QuorumDeviceConfig d = c.quorum().device().orElseThrow();
        assertThat(d.model()).isEqualTo("net");
        assertThat(d.votes()).contains(1);
        assertThat(d.timeoutMs()).isEqualTo(20000);
        assertThat(d.syncTimeoutMs()).isEqualTo(QuorumDeviceConfig.DEFAULT_SYNC_TIMEOUT_MS);
        assertThat(d.raw().sections("net").get(0).value("algorithm")).contains("ffsplit");
    }

    @Test
    void ringmasterSectionsFile() throws Exception {
        ClusterConfig c = ClusterConfig.load(CONF.resolve("good/ringmaster-sections.conf"));
        assertThat(c.warnings()).isEmpty();
        assertThat(c.crm().enabled()).isTrue();
        assertThat(c.crm().plugin()).isEqualTo("simple");
        assertThat(c.crm().options()).containsEntry("stickiness", "100");
        assertThat(c.metrics()).isEqualTo(new MetricsConfig(true, 9464, "0.0.0.0"));
        assertThat(c.system().stateDir()).contains("/var/lib/ringmaster/n1");
        assertThat(c.resources().orElseThrow().sections("group").get(0).value("name")).contains("web");
        assertThat(c.fencing().orElseThrow().sections("device").get(0).value("agent")).contains("fence_ipmilan");
    }
}
