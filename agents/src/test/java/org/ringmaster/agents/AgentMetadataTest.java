package org.ringmaster.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class AgentMetadataTest {
    static final String XML = """
        <?xml version="1.0"?>
        <!DOCTYPE resource-agent SYSTEM "ra-api-1.dtd">
        <resource-agent name="Thing" version="1.0">
          <version>1.1</version>
          <shortdesc lang="en">A thing</shortdesc>
          <parameters>
            <parameter name="ip" required="1" unique="1"><content type="string"/></parameter>
            <parameter name="count" required="0"><content type="integer" default="3"/></parameter>
            <parameter name="flag"><content type="boolean" default="false"/></parameter>
            <parameter name="mode" reloadable="1"><content type="select" default="a"><option value="a"/><option value="b"/></content></parameter>
          </parameters>
          <actions>
            <action name="start" timeout="20s"/>
            <action name="stop" timeout="2m"/>
            <action name="monitor" timeout="30" interval="10s" depth="0"/>
            <action name="meta-data" timeout="5000ms"/>
          </actions>
        </resource-agent>
        """;

    @Test
    void parsesParametersAndActions() {
        AgentMetadata md = AgentMetadata.parse(XML, "ocf:test:Thing");
        assertThat(md.name()).isEqualTo("Thing");
        assertThat(md.shortDesc()).isEqualTo("A thing");
        assertThat(md.parameters()).extracting(AgentMetadata.Parameter::name).containsExactly("ip", "count", "flag", "mode");
        AgentMetadata.Parameter ip = md.parametersByName().get("ip");
        assertThat(ip.required()).isTrue();
        assertThat(ip.unique()).isTrue();
        assertThat(md.parametersByName().get("count").defaultValue()).isEqualTo("3");
        assertThat(md.parametersByName().get("mode").options()).containsExactly("a", "b");
        assertThat(md.parametersByName().get("mode").reloadable()).isTrue();
        assertThat(md.timeout("start")).contains(Duration.ofSeconds(20));
        assertThat(md.timeout("stop")).contains(Duration.ofMinutes(2));
        assertThat(md.timeout("monitor")).contains(Duration.ofSeconds(30));
        assertThat(md.timeout("meta-data")).contains(Duration.ofSeconds(5));
        assertThat(md.timeout("promote")).isEmpty();
        assertThat(md.supports("monitor")).isTrue();
        assertThat(md.actions().get(2).interval()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void checksRequiredParametersAndTypes() {
        AgentMetadata md = AgentMetadata.parse(XML, "ocf:test:Thing");
        assertThat(md.problems(Map.of("ip", "10.0.0.1", "count", "4", "flag", "yes", "mode", "b"))).isEmpty();
        assertThat(md.problems(Map.of("count", "four", "flag", "maybe", "mode", "c")))
            .containsExactly("missing required parameter 'ip'", "parameter 'count'='four' is not an integer",
                "parameter 'flag'='maybe' is not a boolean", "parameter 'mode'='c' is not one of [a, b]");
    }

    @Test
    void garbageIsAClearErrorNamingTheAgent() {
        assertThatThrownBy(() -> AgentMetadata.parse("usage: thing {start|stop}\n", "ocf:test:Bad"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("meta-data of ocf:test:Bad is not XML (line 1");
        assertThatThrownBy(() -> AgentMetadata.parse("", "ocf:test:Bad")).hasMessageContaining("is empty");
        assertThatThrownBy(() -> AgentMetadata.parse("<html/>", "ocf:test:Bad"))
            .hasMessageContaining("root element <html>");
        assertThatThrownBy(() -> AgentMetadata.parse(XML.replace("20s", "soon"), "ocf:test:Bad"))
            .hasMessageContaining("action 'start'").hasMessageContaining("bad duration 'soon'");
    }

    @Test
    void externalEntitiesAreNotResolved() {
        String evil = """
            <?xml version="1.0"?>
            <!DOCTYPE resource-agent [<!ENTITY x SYSTEM "file:///etc/passwd">]>
            <resource-agent name="E"><shortdesc>&x;</shortdesc></resource-agent>
            """;
        AgentMetadata md = AgentMetadata.parse(evil, "ocf:test:E");
        assertThat(md.shortDesc()).doesNotContain("root:");
    }

    @Test
    void durations() {
        assertThat(AgentMetadata.parseDuration("90")).isEqualTo(Duration.ofSeconds(90));
        assertThat(AgentMetadata.parseDuration("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(AgentMetadata.parseDuration("1min")).isEqualTo(Duration.ofMinutes(1));
        assertThat(AgentMetadata.parseDuration("2h")).isEqualTo(Duration.ofHours(2));
        assertThatThrownBy(() -> AgentMetadata.parseDuration("5 fortnights")).hasMessageContaining("unknown unit");
        assertThatThrownBy(() -> AgentMetadata.parseDuration("-1")).hasMessageContaining("bad duration '-1'");
    }
}
