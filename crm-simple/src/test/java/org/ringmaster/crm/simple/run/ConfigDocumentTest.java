package org.ringmaster.crm.simple.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ringmaster.crm.simple.model.Configuration;
import org.ringmaster.crm.simple.model.Group;
import org.ringmaster.crm.simple.model.Score;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ConfigDocumentTest {
    static final String TEXT = Configs.of(2, true, "stop", Configs.dummy("a") + Configs.dummy("b")
            + "  group {\n    id: g\n    members: a b\n  }\n");

    @Test
    void overlayBecomesConstraintsMetaAndNodeAttributes() throws Exception {
        ConfigDocument d = new ConfigDocument(3, 1, "native", TEXT, new TreeMap<>(Map.of(
                "loc:cli-prefer-g", "g n2 INFINITY", "loc:cli-ban-a-on-n1", "a n1 -INFINITY",
                "meta:a:target-role", "Stopped", "node:n2:standby", "on")));
        Configuration c = d.configuration(List.of("n1", "n2", "n3"));
        assertThat(c.nodes()).extracting(n -> n.uname()).containsExactly("n1", "n2", "n3");
        assertThat(c.node("n2").orElseThrow().attributes()).containsEntry("standby", "on");
        assertThat(c.locations()).anyMatch(l -> l.id().equals("cli-prefer-g") && l.score() == Score.INFINITY);
        assertThat(c.locations()).anyMatch(l -> l.id().equals("cli-ban-a-on-n1") && l.score() == -Score.INFINITY);
        Group g = (Group) c.resourcesById().get("g");
        assertThat(g.members().get(0).meta().get("target-role")).contains("Stopped");
        assertThat(g.members().get(1).meta().get("target-role")).isEmpty();
    }

    @Test
    void reconciliationPrefersEpochThenAuthor() {
        ConfigDocument base = new ConfigDocument(5, 2, "native", TEXT, new TreeMap<>());
        assertThat(new ConfigDocument(6, 1, "native", TEXT, new TreeMap<>()).winsOver(base)).isTrue();
        assertThat(new ConfigDocument(5, 3, "native", TEXT, new TreeMap<>()).winsOver(base)).isTrue();
        assertThat(new ConfigDocument(5, 1, "native", TEXT, new TreeMap<>()).winsOver(base)).isFalse();
        assertThat(base.winsOver(base)).isFalse();
        ConfigDocument other = new ConfigDocument(5, 2, "native", TEXT + "\n", new TreeMap<>());
        assertThat(other.winsOver(base)).isNotEqualTo(base.winsOver(other));
    }

    @Test
    void brokenInputNamesThePlace() {
        assertThatThrownBy(() -> new ConfigDocument(1, 1, "native", "resources {\n primitive {\n }\n}\n",
                new TreeMap<>()).configuration(List.of("n1"))).isInstanceOf(ConfigDocument.ConfigException.class)
                .hasMessageContaining("replicated configuration");
        assertThatThrownBy(() -> new ConfigDocument(1, 1, "native", TEXT, new TreeMap<>(Map.of("loc:x", "a n1")))
                .configuration(List.of())).hasMessageContaining("overlay loc:x");
        assertThatThrownBy(() -> new ConfigDocument(1, 1, "native", TEXT, new TreeMap<>(Map.of("bogus", "1")))
                .configuration(List.of())).hasMessageContaining("overlay key 'bogus'");
        assertThatThrownBy(() -> new ConfigDocument(1, 1, "yaml", "", new TreeMap<>()))
                .hasMessageContaining("config format 'yaml'");
        assertThatThrownBy(() -> new ConfigDocument(1, 1, "cib", "<cib><oops", new TreeMap<>())
                .configuration(List.of())).isInstanceOf(ConfigDocument.ConfigException.class);
    }

    @Test
    void emptyHasNoResources() throws Exception {
        assertThat(ConfigDocument.EMPTY.configuration(List.of("n1")).resources()).isEmpty();
    }
}
