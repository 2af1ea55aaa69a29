package org.ringmaster.crm.simple.cib;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ringmaster.crm.simple.model.Clone;
import org.ringmaster.crm.simple.model.Group;
import org.ringmaster.crm.simple.model.NoQuorumPolicy;
import org.ringmaster.crm.simple.model.OrderConstraint;
import org.ringmaster.crm.simple.model.PlacementStrategy;
import org.ringmaster.crm.simple.model.Primitive;
import org.ringmaster.crm.simple.model.Role;
import org.ringmaster.crm.simple.model.Score;

@Timeout(value = 5, unit = TimeUnit.SECONDS)
class CibReaderTest {
    static final String CIB = """
            <cib have-quorum="0" dc-uuid="1">
              <configuration>
                <crm_config><cluster_property_set id="o">
                  <nvpair id="a" name="stonith-enabled" value="false"/>
                  <nvpair id="b" name="no-quorum-policy" value="suicide"/>
                  <nvpair id="c" name="symmetric-cluster" value="false"/>
                </cluster_property_set></crm_config>
                <nodes>
                  <node id="1" uname="n1"><instance_attributes id="i"><nvpair id="s" name="standby" value="on"/></instance_attributes></node>
                  <node id="2" uname="n2"/>
                </nodes>
                <resources>
                  <primitive id="ip" class="ocf" provider="heartbeat" type="IPaddr2">
                    <instance_attributes id="ia"><nvpair id="ip1" name="ip" value="10.0.0.1"/></instance_attributes>
                    <meta_attributes id="m"><nvpair id="t" name="target-role" value="Stopped"/></meta_attributes>
                    <operations><op id="o1" name="monitor" interval="10s" role="Master" on-fail="stop"/></operations>
                  </primitive>
                  <group id="g"><primitive id="g1" class="lsb" type="httpd"/></group>
                  <master id="ms"><primitive id="drbd" class="ocf" provider="linbit" type="drbd"/></master>
                </resources>
                <constraints>
                  <rsc_location id="l" rsc="ip" node="n2" score="-INFINITY"/>
                  <rsc_colocation id="c" rsc="g" with-rsc="ms" with-rsc-role="Master" score="INFINITY"/>
                  <rsc_order id="o" first="ms" first-action="promote" then="g" score="0"/>
                  <rsc_order id="set">
                    <resource_set id="s1"><resource_ref id="ip"/><resource_ref id="g"/></resource_set>
                  </rsc_order>
                </constraints>
              </configuration>
              <status>
                <node_state id="1" uname="n1" in_ccm="true" crmd="online" join="member" expected="member">
                  <transient_attributes id="t1"><instance_attributes id="t2">
                    <nvpair id="f" name="fail-count-ip#start_0" value="INFINITY"/>
                  </instance_attributes></transient_attributes>
                  <lrm id="l1"><lrm_resources>
                    <lrm_resource id="ip" class="ocf" type="IPaddr2">
                      <lrm_rsc_op id="x" operation="start" call-id="3" rc-code="0" op-status="0" interval="0" transition-key="1:2:0:u"/>
                    </lrm_resource>
                  </lrm_resources></lrm>
                </node_state>
              </status>
            </cib>
            """;

    @Test
    void readsConfigurationAndStatus() throws Exception {
        Cib cib = CibReader.read(CIB, "test.xml");
        var c = cib.configuration();
        assertThat(c.options().fencingEnabled()).isFalse();
        assertThat(c.options().noQuorumPolicy()).isEqualTo(NoQuorumPolicy.FENCE);
        assertThat(c.options().symmetricCluster()).isFalse();
        assertThat(c.nodes()).extracting(n -> n.uname()).containsExactly("n1", "n2");
        assertThat(c.node("n1").orElseThrow().attributes()).containsEntry("standby", "on");
        Primitive ip = (Primitive) c.resources().get(0);
        assertThat(ip.agent()).isEqualTo("ocf:heartbeat:IPaddr2");
        assertThat(ip.params()).containsEntry("ip", "10.0.0.1");
        assertThat(ip.meta().get("target-role")).contains("Stopped");
        assertThat(ip.operations().get(0).intervalMs()).isEqualTo(10_000);
        assertThat(ip.operations().get(0).role()).isEqualTo(Role.PROMOTED);
        assertThat(c.resources().get(1)).isInstanceOf(Group.class);
        assertThat(((Clone) c.resources().get(2)).promotable()).isTrue();
        assertThat(c.locations().get(0).score()).isEqualTo(-Score.INFINITY);
        assertThat(c.colocations().get(0).primaryRole()).isEqualTo(Role.PROMOTED);
        assertThat(c.orders().get(0).kind()).isEqualTo(OrderConstraint.Kind.OPTIONAL);
        assertThat(c.orders().get(1).first()).isEqualTo("ip");
        assertThat(c.orders().get(1).then()).isEqualTo("g");
        assertThat(cib.status().haveQuorum()).isFalse();
        assertThat(cib.status().dcUname()).isEqualTo("n1");
        assertThat(cib.status().nodes().get("n1").attributes()).containsEntry("fail-count-ip#start_0", "INFINITY");
        assertThat(cib.status().resources()).singleElement().satisfies(s -> {
            assertThat(s.resourceId()).isEqualTo("ip");
            assertThat(s.role()).isEqualTo(Role.STARTED);
        });
    }

    @Test
    void malformedXmlNamesTheFileAndLine() {
        assertThatThrownBy(() -> CibReader.read("<cib>\n<configuration>\n</cib>", "broken.xml"))
                .isInstanceOf(CibFormatException.class).hasMessageContaining("broken.xml:3");
    }

    @Test
    void missingAttributeNamesTheElement() {
        String xml = CIB.replace("<primitive id=\"g1\" class=\"lsb\" type=\"httpd\"/>",
                "<primitive id=\"g1\" class=\"lsb\"/>");
        assertThatThrownBy(() -> CibReader.read(xml, "x.xml")).isInstanceOf(CibFormatException.class)
                .hasMessageContaining("<primitive id=\"g1\">").hasMessageContaining("'type'");
    }

    @Test
    void constraintOnAnUnknownResourceNamesTheConstraint() {
        String xml = CIB.replace("with-rsc=\"ms\"", "with-rsc=\"nope\"");
        assertThatThrownBy(() -> CibReader.read(xml, "x.xml")).isInstanceOf(CibFormatException.class)
                .hasMessageContaining("rsc_colocation c").hasMessageContaining("nope");
    }

    @Test
    void badScoreNamesTheElement() {
        String xml = CIB.replace("score=\"-INFINITY\"", "score=\"lots\"");
        assertThatThrownBy(() -> CibReader.read(xml, "x.xml")).isInstanceOf(CibFormatException.class)
                .hasMessageContaining("<rsc_location id=\"l\">").hasMessageContaining("lots");
    }

    @Test
    void wrongRootAndDoctypeAreRejected() {
        assertThatThrownBy(() -> CibReader.read("<config/>", "x.xml")).isInstanceOf(CibFormatException.class)
                .hasMessageContaining("<config>");
        assertThatThrownBy(() -> CibReader.read("<!DOCTYPE cib [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><cib>&e;</cib>",
                "x.xml")).isInstanceOf(CibFormatException.class);
    }

    private static String cib(String crmConfig, String nodes, String resources) {
        return """
                <cib have-quorum="1" dc-uuid="1">
                  <configuration>
                    <crm_config><cluster_property_set id="o">%s</cluster_property_set></crm_config>
                    <nodes>%s</nodes>
                    <resources>%s</resources>
                    <constraints/>
                  </configuration>
                  <status/>
                </cib>
                """.formatted(crmConfig, nodes, resources);
    }

    @Test
    void readsUtilizationPlacementStrategyMaintenanceAndOnFail() throws Exception {
        Cib c = CibReader.read(cib("""
                <nvpair id="p" name="placement-strategy" value="balanced"/>
                <nvpair id="m" name="maintenance-mode" value="true"/>""", """
                <node id="1" uname="n1"><utilization id="u"><nvpair id="u1" name="cpu" value="8"/>
                  <nvpair id="u2" name="memory" value="16384"/></utilization></node>""", """
                <primitive id="vm" class="ocf" provider="heartbeat" type="VirtualDomain">
                  <utilization id="vu"><nvpair id="v1" name="cpu" value="2"/></utilization>
                  <operations><op id="o" name="monitor" interval="10s" on-fail="Standby"/></operations>
                </primitive>"""), "u.xml");
        assertThat(c.configuration().options().placementStrategy()).isEqualTo(PlacementStrategy.BALANCED);
        assertThat(c.configuration().options().maintenanceMode()).isTrue();
        assertThat(c.configuration().nodes().get(0).utilization()).containsEntry("cpu", 8)
                .containsEntry("memory", 16384);
        Primitive vm = (Primitive) c.configuration().resources().get(0);
        assertThat(vm.utilization()).containsExactlyEntriesOf(java.util.Map.of("cpu", 2));
        assertThat(vm.operations().get(0).onFail()).isEqualTo("standby");
        assertThat(c.status().now()).isNull();
    }

    @Test
    void badUtilizationOnFailAndStrategyNameTheirPlace() {
        assertThatThrownBy(() -> CibReader.read(cib("", """
                <node id="1" uname="n1"><utilization id="u"><nvpair id="u1" name="cpu" value="many"/></utilization></node>""",
                ""), "u.xml")).isInstanceOf(CibFormatException.class).hasMessageContaining("u.xml")
                .hasMessageContaining("nvpair").hasMessageContaining("cpu").hasMessageContaining("'many'");
        assertThatThrownBy(() -> CibReader.read(cib("", "<node id=\"1\" uname=\"n1\"/>", """
                <primitive id="x" class="ocf" provider="heartbeat" type="Dummy">
                  <operations><op id="bad-op" name="monitor" interval="10s" on-fail="reboot"/></operations>
                </primitive>"""), "u.xml")).isInstanceOf(CibFormatException.class).hasMessageContaining("bad-op")
                .hasMessageContaining("on-fail 'reboot'");
        assertThatThrownBy(() -> CibReader.read(cib("<nvpair id=\"p\" name=\"placement-strategy\" value=\"fast\"/>",
                "<node id=\"1\" uname=\"n1\"/>", ""), "u.xml")).isInstanceOf(CibFormatException.class)
                .hasMessageContaining("placement-strategy").hasMessageContaining("'fast'");
    }

    @Test
    void aColocationWithoutScoreScoresZeroAsInPacemaker() throws Exception {
        Cib c = CibReader.read("""
                <cib><configuration><crm_config/><nodes><node id="1" uname="n1"/></nodes>
                  <resources><primitive id="a" class="ocf" provider="pacemaker" type="Dummy"/>
                    <primitive id="b" class="ocf" provider="pacemaker" type="Dummy"/></resources>
                  <constraints><rsc_colocation id="c" rsc="a" with-rsc="b"/></constraints>
                </configuration><status/></cib>""", "c.xml");
        assertThat(c.configuration().colocations()).singleElement().extracting(x -> x.score()).isEqualTo(0);
    }

    @Test
    void clusterRecheckIntervalIsReadWithPacemakersDefaultAndABadValueNamesIt() throws Exception {
        Cib d = CibReader.read(cib("", "<node id=\"1\" uname=\"n1\"/>", ""), "r.xml");
        assertThat(d.configuration().options().recheckInterval()).isEqualTo(java.time.Duration.ofMinutes(15));
        Cib c = CibReader.read(cib("<nvpair id=\"r\" name=\"cluster-recheck-interval\" value=\"2min\"/>",
                "<node id=\"1\" uname=\"n1\"/>", ""), "r.xml");
        assertThat(c.configuration().options().recheckInterval()).isEqualTo(java.time.Duration.ofMinutes(2));
        assertThatThrownBy(() -> CibReader.read(cib("<nvpair id=\"r\" name=\"cluster-recheck-interval\" value=\"often\"/>",
                "<node id=\"1\" uname=\"n1\"/>", ""), "r.xml")).isInstanceOf(CibFormatException.class)
                .hasMessageContaining("r.xml").hasMessageContaining("cluster-recheck-interval")
                .hasMessageContaining("'often'");
    }
}
