package org.ringmaster.quorum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class QuorumConfigTest
{
    private static final Path CONFS = Path.of("src/test/resources/corosync-conf");

    private static Map<String, String> keys(final String... kv)
    {
        final Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2)
        {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void defaults()
    {
        final QuorumConfig c = QuorumConfig.builder().nodesWithVotes(1, 1, 1).build();
        assertThat(c.expectedVotes()).isEqualTo(3);
        assertThat(c.twoNode()).isFalse();
        assertThat(c.waitForAll()).isFalse();
        assertThat(c.lastManStanding()).isFalse();
        assertThat(c.lastManStandingWindowMs()).isEqualTo(10_000);
        assertThat(c.autoTieBreaker()).isFalse();
        assertThat(c.tieBreaker()).isEqualTo(TieBreaker.LOWEST);
        assertThat(c.allowDownscale()).isFalse();
        assertThat(c.deviceVotes()).isZero();
        assertThat(c.warnings()).isEmpty();
    }

    @Test
    void configuredExpectedVotesOverrideTheNodelist()
    {
        final QuorumConfig c = QuorumConfig.fromKeys(keys("quorum.expected_votes", "7", "nodelist.node.0.nodeid", "1",
            "nodelist.node.1.nodeid", "2"));
        assertThat(c.expectedVotes()).isEqualTo(7);
    }

    @Test
    void twoNodeImpliesWaitForAllUnlessOverridden()
    {
        assertThat(QuorumConfig.builder().nodesWithVotes(1, 1).twoNode(true).build().waitForAll()).isTrue();
        assertThat(QuorumConfig.builder().nodesWithVotes(1, 1).twoNode(true).waitForAll(false).build().waitForAll())
            .isFalse();
        // votequorum(5) two_node example configuration 1: no nodelist, expected_votes 2.
        final QuorumConfig noNodelist = QuorumConfig.fromKeys(keys("quorum.provider", "corosync_votequorum",
            "quorum.expected_votes", "2", "quorum.two_node", "1"));
        assertThat(noNodelist.twoNode()).isTrue();
        assertThat(noNodelist.waitForAll()).isTrue();
        assertThat(noNodelist.expectedVotes()).isEqualTo(2);
        assertThat(noNodelist.votesOf(7)).isEqualTo(1);
    }

    @Test
    void rejectsMissingVotesInformation()
    {
        assertThatThrownBy(() -> QuorumConfig.fromKeys(keys("quorum.provider", "corosync_votequorum")))
            .isInstanceOf(QuorumConfigException.class).hasMessageContaining("quorum.expected_votes")
            .hasMessageContaining("nodelist");
    }

    @Test
    void rejectsTwoNodeWithThreeNodes()
    {
        assertThatThrownBy(() -> QuorumConfig.builder().nodesWithVotes(1, 1, 1).twoNode(true).build())
            .isInstanceOf(QuorumConfigException.class)
            .hasMessageStartingWith("quorum.two_node:").hasMessageContaining("found 3");
    }

    @Test
    void rejectsConflictsNamingTheKey()
    {
        assertThatThrownBy(() -> QuorumConfig.builder().nodesWithVotes(1, 1).twoNode(true).deviceVotes(1).build())
            .hasMessageStartingWith("quorum.two_node:").hasMessageContaining("quorum.device.votes=1");
        assertThatThrownBy(() -> QuorumConfig.builder().nodesWithVotes(1, 1).twoNode(true).autoTieBreaker(true).build())
            .hasMessageStartingWith("quorum.two_node:").hasMessageContaining("auto_tie_breaker");
        assertThatThrownBy(() -> QuorumConfig.builder().nodesWithVotes(1, 1, 1).lastManStanding(true).deviceVotes(2).build())
            .hasMessageStartingWith("quorum.last_man_standing:");
        assertThatThrownBy(() -> QuorumConfig.builder().nodesWithVotes(1, 1, 1, 1).autoTieBreaker(true).deviceVotes(1).build())
            .hasMessageStartingWith("quorum.auto_tie_breaker:");
        assertThatThrownBy(() -> QuorumConfig.builder().nodesWithVotes(1, 1, 1).allowDownscale(true).deviceVotes(1).build())
            .hasMessageStartingWith("quorum.allow_downscale:");
        assertThatThrownBy(() -> QuorumConfig.builder().expectedVotes(3).deviceVotes(2).build())
            .hasMessageStartingWith("quorum.device.votes:").hasMessageContaining("expected_votes=3");
        assertThatThrownBy(() -> QuorumConfig.builder().nodesWithVotes(1, 1, 1).autoTieBreaker(true)
            .lastManStanding(true).build())
            .hasMessageStartingWith("quorum.last_man_standing:").hasMessageContaining("wait_for_all");
    }

    @Test
    void rejectsMalformedValuesNamingKeyAndValue()
    {
        assertThatThrownBy(() -> QuorumConfig.fromKeys(keys("quorum.expected_votes", "lots")))
            .hasMessage("quorum.expected_votes: must be an integer >= 1, got 'lots'");
        assertThatThrownBy(() -> QuorumConfig.fromKeys(keys("quorum.expected_votes", "3", "quorum.two_node", "maybe")))
            .hasMessage("quorum.two_node: must be 0 or 1, got 'maybe'");
        assertThatThrownBy(() -> QuorumConfig.fromKeys(keys("nodelist.node.0.nodeid", "1", "nodelist.node.0.quorum_votes", "-2")))
            .hasMessageStartingWith("nodelist.node.0.quorum_votes:");
        assertThatThrownBy(() -> QuorumConfig.fromKeys(keys("nodelist.node.3.quorum_votes", "2")))
            .hasMessageStartingWith("nodelist.node.3.nodeid:");
        assertThatThrownBy(() -> QuorumConfig.fromKeys(keys("nodelist.node.0.nodeid", "1", "nodelist.node.1.nodeid", "1")))
            .hasMessageContaining("appears twice");
        assertThatThrownBy(() -> QuorumConfig.fromKeys(keys("quorum.expected_votes", "4", "quorum.auto_tie_breaker", "1",
            "quorum.auto_tie_breaker_node", "first")))
            .hasMessageStartingWith("quorum.auto_tie_breaker_node:").hasMessageContaining("'first'");
        assertThatThrownBy(() -> QuorumConfig.fromKeys(keys("quorum.provider", "corosync_ykd", "quorum.expected_votes", "2")))
            .hasMessageStartingWith("quorum.provider:");
        assertThatThrownBy(() -> QuorumConfig.fromKeys(keys("quorum.expected_votes", "4", "quorum.last_man_standing_window", "0")))
            .hasMessageStartingWith("quorum.last_man_standing_window:");
    }

    @Test
    void oddClusterAutoTieBreakerWithoutWaitForAllIsDisabledWithAWarning()
    {
        final QuorumConfig c = QuorumConfig.builder().nodesWithVotes(1, 1, 1).autoTieBreaker(true).build();
        assertThat(c.autoTieBreaker()).isFalse();
        assertThat(c.warnings()).anyMatch(w -> w.contains("quorum.auto_tie_breaker disabled"));
        assertThat(QuorumConfig.builder().nodesWithVotes(1, 1, 1).autoTieBreaker(true).waitForAll(true).build()
            .autoTieBreaker()).isTrue();
    }

    @Test
    void riskySettingsAreWarnedAbout()
    {
        final QuorumConfig lms = QuorumConfig.builder().nodesWithVotes(1, 1, 2).lastManStanding(true).build();
        assertThat(lms.warnings()).anyMatch(w -> w.contains("without quorum.wait_for_all"))
            .anyMatch(w -> w.contains("quorum_votes 1"));
        final QuorumConfig tb = QuorumConfig.builder().nodesWithVotes(1, 1).tieBreaker(TieBreaker.HIGHEST).build();
        assertThat(tb.warnings()).anyMatch(w -> w.contains("meaningless"));
        final QuorumConfig unknown = QuorumConfig.fromKeys(keys("quorum.expected_votes", "2", "quorum.frobnicate", "1"));
        assertThat(unknown.warnings()).anyMatch(w -> w.contains("quorum.frobnicate"));
    }

    @Test
    void deviceVotesDefaultToNodesMinusOne()
    {
        final QuorumConfig c = QuorumConfig.fromKeys(keys("quorum.device.model", "disk", "nodelist.node.0.nodeid", "1",
            "nodelist.node.1.nodeid", "2", "nodelist.node.2.nodeid", "3"));
        assertThat(c.deviceVotes()).isEqualTo(2);
        assertThat(c.expectedVotes()).isEqualTo(5);
        assertThatThrownBy(() -> QuorumConfig.fromKeys(keys("quorum.device.model", "disk", "quorum.expected_votes", "3")))
            .hasMessageStartingWith("quorum.device.votes:");
    }

    @Test
    void readsTheConformanceCorosyncConfs() throws IOException
    {
        final QuorumConfig weighted = QuorumConfig.fromKeys(read("quorum-4node.n1.conf"));
        assertThat(weighted.nodeVotes()).containsExactly(Map.entry(1, 4), Map.entry(2, 2), Map.entry(3, 1), Map.entry(4, 2));
        assertThat(weighted.expectedVotes()).isEqualTo(9);
        assertThat(QuorumRules.quorumOf(weighted.expectedVotes())).isEqualTo(5);

        final QuorumConfig twoNode = QuorumConfig.fromKeys(read("twonode.n1.conf"));
        assertThat(twoNode.twoNode()).isTrue();
        assertThat(twoNode.waitForAll()).isTrue();
        assertThat(twoNode.expectedVotes()).isEqualTo(2);

        final QuorumConfig example = QuorumConfig.fromKeys(read("corosync.conf.example"));
        assertThat(example.nodeVotes()).containsOnlyKeys(1, 2);
        assertThat(example.expectedVotes()).isEqualTo(2);

        final QuorumConfig bench = QuorumConfig.fromKeys(read("bench-knet-cryptoon.n1.conf"));
        assertThat(bench.expectedVotes()).isEqualTo(3);

        // The corosync 2 lens test sets two_node together with auto_tie_breaker; Corosync disables two_node
        // with a critical log, we refuse and name the key.
        assertThatThrownBy(() -> QuorumConfig.fromKeys(read("corosync2-lens-test.conf")))
            .isInstanceOf(QuorumConfigException.class).hasMessageStartingWith("quorum.two_node:");
    }

    private static Map<String, String> read(final String name) throws IOException
    {
        return CorosyncConfFlattener.flatten(Files.readString(CONFS.resolve(name)));
    }

    @Test
    void tieBreakerParsing()
    {
        assertThat(TieBreaker.parse("lowest")).isEqualTo(TieBreaker.LOWEST);
        assertThat(TieBreaker.parse(" highest ")).isEqualTo(TieBreaker.HIGHEST);
        assertThat(TieBreaker.parse("1 3  5").nodes()).isEqualTo(List.of(1, 3, 5));
        assertThatThrownBy(() -> TieBreaker.parse("1 -3")).hasMessageStartingWith("quorum.auto_tie_breaker_node:");
        assertThatThrownBy(() -> TieBreaker.parse("")).hasMessageStartingWith("quorum.auto_tie_breaker_node:");
    }
}
