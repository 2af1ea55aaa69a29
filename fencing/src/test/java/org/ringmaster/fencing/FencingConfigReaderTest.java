package org.ringmaster.fencing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ringmaster.fencing.agent.AgentMetadata;
import org.ringmaster.fencing.agent.FenceAgentException;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class FencingConfigReaderTest {

    /** A section built in code; every line gets a fake position "f:<line>". */
    static final class S implements FencingConfigReader.Section {
        final String name;
        final int line;
        final List<FencingConfigReader.Entry> entries = new ArrayList<>();
        final List<FencingConfigReader.Section> sections = new ArrayList<>();
        static int next = 1;

        S(String name) {
            this.name = name;
            this.line = next++;
        }

        S kv(String k, String v) {
            entries.add(new FencingConfigReader.Entry(k, v, "f:" + next++));
            return this;
        }

        S sub(S s) {
            sections.add(s);
            return this;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String where() {
            return "f:" + line;
        }

        @Override
        public List<FencingConfigReader.Entry> entries() {
            return entries;
        }

        @Override
        public List<FencingConfigReader.Section> sections() {
            return sections;
        }
    }

    @Test
    void readsDevicesLevelsAndOptions() {
        S f = new S("fencing").kv("fence_without_quorum", "yes").kv("operation_timeout", "3m")
            .kv("history_size", "50")
            .sub(new S("alert").kv("path", "/usr/local/bin/fence-alert").kv("timeout", "500ms")
                .kv("recipient", "ops"))
            .sub(new S("device").kv("name", "ipmi-node2").kv("agent", "fence_ipmilan").kv("ip", "10.0.0.5")
                .kv("password", "secret").kv("pcmk_host_list", "node2").kv("timeout", "20").kv("retries", "1")
                .kv("delay", "5s"))
            .sub(new S("device").kv("name", "pdu").kv("agent", "fence_apc").kv("host_map", "node1:1;node2:2")
                .kv("host_argument", "port"))
            .sub(new S("level").kv("node", "node2").kv("index", "2").kv("devices", "pdu"))
            .sub(new S("level").kv("node", "node2").kv("index", "1").kv("devices", "ipmi-node2"));
        FencingConfig c = FencingConfigReader.read(f);
        assertThat(c.fenceWithoutQuorum()).isTrue();
        assertThat(c.operationTimeout()).isEqualTo(Duration.ofMinutes(3));
        assertThat(c.historySize()).isEqualTo(50);
        assertThat(c.alertProgram()).contains(Path.of("/usr/local/bin/fence-alert"));
        assertThat(c.alertTimeout()).isEqualTo(Duration.ofMillis(500));
        FenceDevice ipmi = c.devices().get("ipmi-node2");
        assertThat(ipmi.params().asMap()).containsOnlyKeys("ip", "password");
        assertThat(ipmi.hostList()).containsExactly("node2");
        assertThat(ipmi.timeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(ipmi.retries()).isEqualTo(1);
        assertThat(ipmi.delay()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.devices().get("pdu").plugFor("node1")).contains("1");
        assertThat(c.devices().get("pdu").hostArgument()).isEqualTo("port");
        assertThat(c.levelsFor("node2")).containsExactly(FencingLevel.of(1, "ipmi-node2"), FencingLevel.of(2, "pdu"));
    }

    @Test
    void everyProblemIsReportedWithItsPlace() {
        S f = new S("fencing").kv("operation_timeout", "soon").kv("colour", "red")
            .sub(new S("device").kv("agent", "fence_x"))
            .sub(new S("device").kv("name", "d").kv("agent", "fence_x").kv("host_check", "maybe"))
            .sub(new S("level").kv("node", "n1").kv("devices", "d").kv("prio", "1"))
            .sub(new S("stonith"));
        assertThatThrownBy(() -> FencingConfigReader.read(f))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("operation_timeout 'soon' is not a duration")
            .hasMessageContaining("unknown key 'colour' in fencing")
            .hasMessageContaining("device needs 'name'")
            .hasMessageContaining("host_check 'maybe' is not static-list, dynamic-list or none")
            .hasMessageContaining("unknown key 'prio' in level")
            .hasMessageContaining("unknown section 'stonith' in fencing")
            .hasMessageMatching("(?s)f:\\d+: .*");
    }

    @Test
    void aTopologyNamingAnUnknownDeviceIsNamed() {
        S f = new S("fencing").sub(new S("level").kv("node", "n1").kv("devices", "ghost"));
        assertThatThrownBy(() -> FencingConfigReader.read(f))
            .hasMessageEndingWith("fencing topology for node n1 level 1: unknown device 'ghost'");
    }

    private static final String METADATA = """
        <?xml version="1.0" ?>
        <resource-agent name="fence_lab" shortdesc="lab switch">
        <parameters>
          <parameter name="action" required="1"><content type="string"/></parameter>
          <parameter name="ip" required="1"><content type="string"/></parameter>
          <parameter name="password"><content type="string"/></parameter>
          <parameter name="power_timeout"><content type="second" default="20"/></parameter>
          <parameter name="plug"><content type="string"/></parameter>
        </parameters>
        <actions><action name="off"/><action name="reboot"/><action name="metadata"/></actions>
        </resource-agent>
        """;

    @Test
    void devicesAreCheckedAgainstTheirAgentsMetadataWithThePlaceOfEachKey() {
        S missingIp = new S("device");
        S badTimeout = new S("device");
        S f = new S("fencing")
            .sub(missingIp.kv("name", "a").kv("agent", "fence_lab").kv("password", "hunter2").kv("colour", "red"))
            .sub(badTimeout.kv("name", "b").kv("agent", "fence_lab").kv("ip", "10.0.0.9").kv("power_timeout", "soon")
                .kv("host_argument", "outlet"))
            .sub(new S("device").kv("name", "c").kv("agent", "fence_gone"))
            .sub(new S("device").kv("name", "m").kv("agent", "manual"))
            .sub(new S("device").kv("name", "p").kv("agent", "poison-pill").kv("disk", "/dev/sdz"));
        FencingConfigReader.read(f); // the keys themselves are fine
        List<String> asked = new ArrayList<>();
        List<String> problems = FencingConfigReader.checkAgainstMetadata(f, agent -> {
            asked.add(agent);
            if (agent.equals("fence_gone")) {
                throw new FenceAgentException("fence agent fence_gone not found in /usr/sbin");
            }
            return AgentMetadata.parse(agent, METADATA);
        });
        String colour = missingIp.entries().get(3).where();
        String timeout = badTimeout.entries().get(3).where();
        String hostArgument = badTimeout.entries().get(4).where();
        assertThat(problems).containsExactlyInAnyOrder(
            colour + ": fence device 'a': unknown parameter 'colour' for agent fence_lab",
            missingIp.where() + ": fence device 'a': missing required parameter 'ip' for agent fence_lab",
            timeout + ": fence device 'b': parameter 'power_timeout' of agent fence_lab expects seconds, got 'soon'",
            hostArgument + ": fence device 'b': host argument 'outlet' is not a parameter of agent fence_lab",
            f.sections().get(2).entries().get(1).where() + ": fence device 'c': cannot read the metadata of agent "
                + "fence_gone: fence agent fence_gone not found in /usr/sbin");
        assertThat(asked).as("each agent once, built-in types never").containsExactly("fence_lab", "fence_gone");
        assertThat(String.join("\n", problems)).doesNotContain("hunter2");
    }
}
