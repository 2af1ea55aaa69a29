package org.ringmaster.fencing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class FencingConfigTest {

    static FenceDevice pdu(String name, String... hosts) {
        return FenceDevice.builder(name, "fence_apc").hosts(hosts).build();
    }

    @Test
    void defaultsAreDocumented() {
        FencingConfig c = FencingConfig.builder().build();
        assertThat(c.operationTimeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(c.fenceWithoutQuorum()).isFalse();
        assertThat(c.historySize()).isEqualTo(500);
        assertThat(c.alertProgram()).isEmpty();
        FenceDevice d = FenceDevice.builder("ipmi", "fence_ipmilan").param("password", "pw").build();
        assertThat(d.hostCheck()).isEqualTo(FenceDevice.HostCheck.DYNAMIC_LIST);
        assertThat(d.timeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(d.retries()).isEqualTo(2);
        assertThat(d.hostArgument()).isEqualTo("plug");
        assertThat(d.toString()).isEqualTo("ipmi (fence_ipmilan {password=******})");
    }

    @Test
    void implicitTopologyIsOneLevelPerDeviceThatMayFenceTheNode() {
        FencingConfig c = FencingConfig.builder().device(pdu("a", "n1")).device(pdu("b", "n1", "n2"))
            .device(FenceDevice.builder("c", "fence_x").hostMap("n2:4").build()).build();
        assertThat(c.levelsFor("n2")).containsExactly(FencingLevel.of(1, "b"), FencingLevel.of(2, "c"));
        assertThat(c.levelsFor("n9")).isEmpty();
        assertThat(c.devices().get("c").plugFor("n2")).contains("4");
        assertThat(c.devices().get("b").plugFor("n2")).contains("n2");
        assertThat(c.devices().get("b").plugFor("n3")).isEmpty();
    }

    @Test
    void explicitTopologyIsSortedByIndex() {
        FencingConfig c = FencingConfig.builder().device(pdu("a", "n1")).device(pdu("b", "n1"))
            .level("n1", 2, "b").level("n1", 1, "a").build();
        assertThat(c.levelsFor("n1")).extracting(FencingLevel::index).containsExactly(1, 2);
    }

    @Test
    void badConfigurationNamesTheKey() {
        assertThatThrownBy(() -> FencingConfig.builder().device(pdu("a", "n1")).level("n1", 1, "nope").build())
            .hasMessage("fencing topology for node n1 level 1: unknown device 'nope'");
        assertThatThrownBy(() -> FencingConfig.builder().device(pdu("a", "n1")).device(pdu("a", "n2")))
            .hasMessage("fencing: device 'a' defined twice");
        assertThatThrownBy(() -> FencingConfig.builder().device(pdu("a", "n1")).level("n1", 1, "a")
            .level("n1", 1, "a").build()).hasMessage("fencing topology for node n1: level 1 defined twice");
        assertThatThrownBy(() -> FencingConfig.builder().operationTimeout(Duration.ZERO).build())
            .hasMessageContaining("operationTimeout must be positive");
        assertThatThrownBy(() -> FencingConfig.builder().historySize(0).build())
            .hasMessageContaining("historySize must be >= 1");
        assertThatThrownBy(() -> FenceDevice.builder("x", "fence_x").hostMap("n1:1;broken").build())
            .hasMessage("fence device 'x': host map entry 'broken' is not node:plug");
        assertThatThrownBy(() -> FenceDevice.builder("x", "fence_x").hostCheck(FenceDevice.HostCheck.STATIC_LIST)
            .build()).hasMessage("fence device 'x': host check static-list needs a host list or host map");
        assertThatThrownBy(() -> FenceDevice.builder("bad name", "fence_x").build())
            .hasMessageContaining("fence device name 'bad name'");
        assertThatThrownBy(() -> FenceDevice.builder("x", "fence_x").retries(-1).build())
            .hasMessage("fence device 'x': retries must be >= 0, was -1");
        assertThatThrownBy(() -> FencingLevel.of(0, "a")).hasMessageContaining("index must be >= 1");
    }

    @Test
    void devicesAreValidatedAgainstAgentMetadata() {
        String xml = """
            <?xml version="1.0" ?>
            <resource-agent name="fence_x" shortdesc="x">
            <parameters>
              <parameter name="action" required="1"><content type="string"/></parameter>
              <parameter name="ip" required="1"><content type="string"/></parameter>
              <parameter name="password"><content type="string"/></parameter>
              <parameter name="plug"><content type="string"/></parameter>
              <parameter name="port" deprecated="1"><content type="string"/></parameter>
            </parameters>
            <actions><action name="off"/><action name="metadata"/></actions>
            </resource-agent>
            """;
        org.ringmaster.fencing.agent.AgentMetadata meta = org.ringmaster.fencing.agent.AgentMetadata.parse("fence_x", xml);
        FencingConfig c = FencingConfig.builder()
            .device(FenceDevice.builder("good", "fence_x").param("ip", "10.0.0.1").param("password", "Sekr1t").build())
            .device(FenceDevice.builder("typo", "fence_x").param("ipaddr", "10.0.0.1").param("password", "Sekr1t")
                .build())
            .device(FenceDevice.builder("badarg", "fence_x").param("ip", "1").hostArgument("outlet").build())
            .device(FenceDevice.builder("gone", "fence_nothere").build())
            .device(FenceDevice.builder("pill", FenceDevice.POISON_PILL).build())
            .build();
        java.util.List<String> problems = c.validateAgainst(agent -> {
            if (!agent.equals("fence_x")) {
                throw new org.ringmaster.fencing.agent.FenceAgentException("fence agent '" + agent + "' not found");
            }
            return meta;
        });
        assertThat(problems).containsExactly(
            "fence device 'typo': unknown parameter 'ipaddr' for agent fence_x",
            "fence device 'typo': missing required parameter 'ip' for agent fence_x",
            "fence device 'badarg': host argument 'outlet' is not a parameter of agent fence_x",
            "fence device 'gone': cannot read metadata of agent fence_nothere: fence agent 'fence_nothere' not found");
        assertThat(String.join("\n", problems)).doesNotContain("Sekr1t");
    }
}
