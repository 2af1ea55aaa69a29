package org.ringmaster.fencing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
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
}
