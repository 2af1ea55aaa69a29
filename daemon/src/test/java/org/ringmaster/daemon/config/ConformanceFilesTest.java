package org.ringmaster.daemon.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every real corosync.conf in shared/conformance/corosync-conf is accepted, with warnings that name
 * what Ringmaster does not implement. The directory must exist: a missing one fails the build.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConformanceFilesTest {

    static final Path DIR = Path.of("..", "..", "shared", "conformance", "corosync-conf");

    static Stream<Path> files() throws IOException {
        assertThat(DIR).as("conformance directory (relative to the daemon module)").isDirectory();
        try (Stream<Path> s = Files.list(DIR)) {
            List<Path> files = s.filter(p -> !p.getFileName().toString().equals("README.md")).sorted().toList();
            assertThat(files).hasSizeGreaterThanOrEqualTo(5);
            return files.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("files")
    void everyFileIsAccepted(Path file) throws Exception {
        ClusterConfig c = ClusterConfig.load(file);
        assertThat(c.totem().version()).isEqualTo(2);
        assertThat(c.warnings()).allSatisfy(w -> {
            assertThat(w.severity()).isEqualTo(Diagnostic.Severity.WARNING);
            assertThat(w.position().file()).isEqualTo(file.toString());
            assertThat(w.position().line()).isPositive();
        });
    }

    private static List<String> warnedKeys(ClusterConfig c) {
        return c.warnings().stream().map(Diagnostic::key).toList();
    }

    @Test
    void benchKnetCryptoOn() throws Exception {
        ClusterConfig c = ClusterConfig.load(DIR.resolve("bench-knet-cryptoon.n1.conf"));
        assertThat(c.warnings()).isEmpty();
        assertThat(c.totem().transport()).isEqualTo(Transport.KNET);
        assertThat(c.totem().cryptoCipher()).isEqualTo("aes256");
        assertThat(c.totem().cryptoHash()).isEqualTo("sha256");
        assertThat(c.totem().keyfile()).isEqualTo("work/authkey");
        assertThat(c.nodes()).extracting(NodeConfig::nodeid).containsExactly(1L, 2L, 3L);
        assertThat(c.totem().effectiveTokenMs()).as("3000 + (3 - 2) * 650").isEqualTo(3650);
        assertThat(c.totem().consensusMs()).isEqualTo(4380);
        assertThat(c.logging().toLogfile()).isTrue();
        assertThat(c.logging().logfile()).contains("work/n1/corosync.log");
        assertThat(c.logging().timestamp()).isEqualTo("hires");
        assertThat(c.system().stateDir()).contains("work/n1/state");
        assertThat(c.quorum().enabled()).isTrue();
        assertThat(c.quorum().expectedVotes()).isEqualTo(3);
    }

    @Test
    void quorumFourNodesWithUnequalVotes() throws Exception {
        ClusterConfig c = ClusterConfig.load(DIR.resolve("quorum-4node.n1.conf"));
        assertThat(c.warnings()).isEmpty();
        assertThat(c.nodes()).extracting(NodeConfig::quorumVotes).containsExactly(4, 2, 1, 2);
        assertThat(c.quorum().expectedVotes()).isEqualTo(9);
        assertThat(c.quorum().expectedVotesConfigured()).isFalse();
        assertThat(c.totem().effectiveTokenMs()).as("3000 + 2 * 650").isEqualTo(4300);
    }

    @Test
    void twoNode() throws Exception {
        ClusterConfig c = ClusterConfig.load(DIR.resolve("twonode.n1.conf"));
        assertThat(c.warnings()).isEmpty();
        assertThat(c.quorum().twoNode()).isTrue();
        assertThat(c.quorum().waitForAll()).isTrue();
        assertThat(c.totem().effectiveTokenMs()).isEqualTo(3000);
    }

    @Test
    void corosyncExampleWarnsAboutNodesWithoutAddressAndFileline() throws Exception {
        ClusterConfig c = ClusterConfig.load(DIR.resolve("corosync.conf.example"));
        assertThat(warnedKeys(c)).containsExactly("logging.fileline", "nodelist.node[1].ring0_addr",
                "nodelist.node[2].ring0_addr");
        assertThat(c.warnings().get(0).message()).contains("not implemented");
        assertThat(c.quorum().enabled()).as("provider is commented out").isFalse();
        assertThat(c.logging().subsystems()).singleElement().satisfies(s -> {
            assertThat(s.subsys()).isEqualTo("QUORUM");
            assertThat(s.debug()).contains("off");
        });
        assertThat(c.totem().clusterName()).contains("ExampleCluster");
    }

    @Test
    void corosync2LensTestWarnsByNameAboutEverythingNotImplemented() throws Exception {
        ClusterConfig c = ClusterConfig.load(DIR.resolve("corosync2-lens-test.conf"));
        assertThat(warnedKeys(c)).containsExactlyInAnyOrder(
                "totem.threads", "totem.rrp_mode", "totem.interface.ringnumber",
                "logging.fileline", "logging.function_name", "logging.logger_subsys.tags",
                "quorum.votes", "quorum.two_node", "quorum.last_man_standing",
                "resources.system", "uidgid", "nodelist.node[2].ring1_addr", "nodelist");
        assertThat(c.warnings()).filteredOn(w -> w.key().equals("nodelist")).singleElement()
                .satisfies(w -> assertThat(w.position().line()).isEqualTo(88));
        assertThat(c.warnings()).filteredOn(w -> w.key().equals("quorum.two_node")).singleElement()
                .satisfies(w -> assertThat(w.message()).contains("auto_tie_breaker"));
        assertThat(c.totem().transport()).isEqualTo(Transport.UDP);
        assertThat(c.totem().tokenMs()).isEqualTo(1000);
        assertThat(c.totem().link(0).orElseThrow().mcastaddr()).contains("226.94.1.1");
        assertThat(c.totem().link(0).orElseThrow().bindnetaddr()).contains("192.168.122.1");
        assertThat(c.quorum().twoNode()).as("disabled because auto_tie_breaker is on").isFalse();
        assertThat(c.quorum().autoTieBreaker()).isTrue();
        assertThat(c.quorum().expectedVotes()).isEqualTo(5);
        assertThat(c.logging().subsystems()).extracting(LoggerSubsysConfig::subsys).containsExactly("CPG", "MSG");
        assertThat(c.nodes()).extracting(NodeConfig::quorumVotes).containsExactly(2, 1);
    }
}
