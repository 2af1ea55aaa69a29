package org.ringmaster.crm.simple.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ringmaster.crm.simple.model.Clone;
import org.ringmaster.crm.simple.model.Configuration;
import org.ringmaster.crm.simple.model.Group;
import org.ringmaster.crm.simple.model.NoQuorumPolicy;
import org.ringmaster.crm.simple.model.PlacementStrategy;
import org.ringmaster.crm.simple.model.Primitive;
import org.ringmaster.crm.simple.policy.PolicyEngine;
import org.ringmaster.crm.simple.policy.Transition;
import org.ringmaster.crm.simple.status.ClusterStatus;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class NativeConfigReaderTest {
    static final String CONF = """
            totem {
                version: 2
            }
            nodelist {
                node {
                    name: a
                    nodeid: 1
                }
                node {
                    name: b
                    nodeid: 2
                }
                node {
                    name: c
                    nodeid: 3
                }
            }
            resources {
                options {
                    no-quorum-policy: freeze
                    fencing-enabled: false
                }
                defaults {
                    resource-stickiness: 50
                }
                primitive {
                    id: ip
                    agent: ocf:heartbeat:IPaddr2
                    param: ip=10.0.0.1
                    param: cidr_netmask=24
                    op: monitor interval=10s timeout=20s
                }
                primitive {
                    id: httpd
                    agent: systemd:httpd
                }
                primitive {
                    id: ping
                    agent: ocf:pacemaker:ping
                }
                group {
                    id: web
                    members: ip httpd
                }
                clone {
                    id: ping-clone
                    child: ping
                }
                location {
                    rsc: web
                    node: b
                    score: 100
                }
                colocation {
                    rsc: web
                    with-rsc: ping-clone
                    score: INFINITY
                }
                order {
                    first: ping-clone
                    then: web
                }
                failoverdomain {
                    name: fd
                    nodes: b c
                    restricted: yes
                    resources: web
                }
            }
            """;

    @Test
    void readsTheResourcesSection() throws Exception {
        Configuration c = NativeConfigReader.read(CONF, "ringmaster.conf", List.of());
        assertThat(c.nodes()).extracting(n -> n.uname()).containsExactly("a", "b", "c");
        assertThat(c.options().noQuorumPolicy()).isEqualTo(NoQuorumPolicy.FREEZE);
        assertThat(c.options().fencingEnabled()).isFalse();
        assertThat(c.resources()).extracting(r -> r.id()).containsExactly("web", "ping-clone");
        Group web = (Group) c.resources().get(0);
        Primitive ip = web.members().get(0);
        assertThat(ip.params()).containsEntry("ip", "10.0.0.1").containsEntry("cidr_netmask", "24");
        assertThat(ip.operations().get(0).intervalMs()).isEqualTo(10_000);
        assertThat(web.members().get(1).agent()).isEqualTo("systemd:httpd");
        assertThat(((Clone) c.resources().get(1)).child().id()).isEqualTo("ping");
        assertThat(c.failoverDomains().get(0).restricted()).isTrue();
        assertThat(c.resourceDefaults().get("resource-stickiness")).contains("50");

        Transition t = PolicyEngine.decide(c, ClusterStatus.allOnline(List.of("a", "b", "c")));
        assertThat(t.placement("ip").orElseThrow().node()).isEqualTo("b");
        assertThat(t.placement("httpd").orElseThrow().node()).isEqualTo("b");
    }

    @Test
    void locationRulesOnNodeAttributesPlaceTheResource() throws Exception {
        String conf = """
                resources {
                  primitive {
                    id: web
                    agent: builtin:dummy
                  }
                  location {
                    rsc: web
                    rule: not_defined pingd
                    score: -INFINITY
                  }
                  location {
                    rsc: web
                    rule: defined pingd
                    score-attribute: pingd
                  }
                }
                """;
        Configuration c = NativeConfigReader.read(conf, "r.conf", List.of("a", "b", "c"));
        assertThat(c.locations()).hasSize(2).allSatisfy(l -> assertThat(l.rules()).hasSize(1));
        java.util.Map<String, org.ringmaster.crm.simple.status.NodeStatus> nodes = new java.util.LinkedHashMap<>();
        nodes.put("a", new org.ringmaster.crm.simple.status.NodeStatus("a", true, true, true, "member", true,
                java.util.Map.of("pingd", "100")));
        nodes.put("b", new org.ringmaster.crm.simple.status.NodeStatus("b", true, true, true, "member", true,
                java.util.Map.of("pingd", "300")));
        nodes.put("c", new org.ringmaster.crm.simple.status.NodeStatus("c", true, true, true, "member", true,
                java.util.Map.of()));
        Transition t = PolicyEngine.decide(c, new ClusterStatus(true, "a", nodes, List.of()));
        assertThat(t.actions()).anySatisfy(a -> {
            assertThat(a.kind()).isEqualTo("start");
            assertThat(a.node()).isEqualTo("b"); // the best ping score wins
        });

        assertThatThrownBy(() -> NativeConfigReader.read("resources {\n location {\n rsc: web\n rule: pingd about 3\n"
                + " }\n}\n", "r.conf", List.of("a"))).hasMessageContaining("r.conf:4").hasMessageContaining("pingd about 3");
        assertThatThrownBy(() -> NativeConfigReader.read("resources {\n location {\n rsc: web\n node: a\n"
                + " rule: defined pingd\n }\n}\n", "r.conf", List.of("a"))).hasMessageContaining("r.conf:5")
                .hasMessageContaining("exclude");
    }

    @Test
    void errorsNameLineAndKey() {
        assertThatThrownBy(() -> NativeConfigReader.read("resources {\n  primitive {\n    id: x\n  }\n}\n", "r.conf",
                List.of("a"))).isInstanceOf(ConfigFormatException.class).hasMessageContaining("r.conf:2")
                .hasMessageContaining("'agent'");
        assertThatThrownBy(() -> NativeConfigReader.read("resources {\n  group {\n    id: g\n    members: nope\n  }\n}\n",
                "r.conf", List.of("a"))).hasMessageContaining("r.conf:4").hasMessageContaining("nope");
        assertThatThrownBy(() -> NativeConfigReader.read("resources {\n  location {\n rsc: x\n node: a\n score: lots\n}\n}\n",
                "r.conf", List.of("a"))).hasMessageContaining("r.conf:5").hasMessageContaining("lots");
        assertThatThrownBy(() -> NativeConfigReader.read("resources {\n  primitive {\n", "r.conf", List.of("a")))
                .hasMessageContaining("not closed");
        assertThatThrownBy(() -> NativeConfigReader.read("resources {\n  just words\n}\n", "r.conf", List.of("a")))
                .hasMessageContaining("r.conf:2").hasMessageContaining("key: value");
        assertThatThrownBy(() -> NativeConfigReader.read("totem {\n}\n", "r.conf", List.of("a")))
                .hasMessageContaining("resources");
        assertThatThrownBy(() -> NativeConfigReader.read("resources {\n colocation {\n rsc: x\n with-rsc: y\n }\n}\n",
                "r.conf", List.of("a"))).hasMessageContaining("rsc_colocation").hasMessageContaining("'x'");
    }

    @Test
    void readsCapacityUtilizationStrategyAndOnFail() throws Exception {
        Configuration c = NativeConfigReader.read("""
                nodelist {
                    node {
                        name: a
                    }
                    node {
                        name: b
                    }
                }
                resources {
                    options {
                        placement-strategy: utilization
                        maintenance-mode: false
                    }
                    node {
                        name: a
                        utilization: cpu=4 memory=2048
                        attribute: rack=r1
                    }
                    primitive {
                        id: big
                        agent: ocf:pacemaker:Dummy
                        utilization: cpu=3
                        op: monitor interval=10s on-fail=block
                    }
                    primitive {
                        id: other
                        agent: ocf:pacemaker:Dummy
                        utilization: cpu=3
                    }
                }
                """, "u.conf", List.of());
        assertThat(c.options().placementStrategy()).isEqualTo(PlacementStrategy.UTILIZATION);
        assertThat(c.node("a").orElseThrow().utilization()).containsEntry("cpu", 4).containsEntry("memory", 2048);
        assertThat(c.node("a").orElseThrow().attributes()).containsEntry("rack", "r1");
        assertThat(c.node("b").orElseThrow().utilization()).isEmpty();
        Primitive big = (Primitive) c.resourcesById().get("big");
        assertThat(big.utilization()).containsEntry("cpu", 3);
        assertThat(big.operations().get(0).onFail()).isEqualTo("block");
        // b has no cpu capacity: only one of the two fits, on a
        Transition t = PolicyEngine.decide(c, ClusterStatus.allOnline(List.of("a", "b")));
        assertThat(t.placements()).filteredOn(p -> p.node() != null).extracting(p -> p.node()).containsExactly("a");
    }

    @Test
    void badCapacityStrategyAndOnFailNameTheLine() {
        String nodes = "nodelist {\n node {\n name: a\n }\n}\n";
        assertThatThrownBy(() -> NativeConfigReader.read(nodes + "resources {\n node {\n name: a\n utilization: cpu=x\n"
                + " }\n}\n", "u.conf", List.of())).isInstanceOf(ConfigFormatException.class)
                .hasMessageContaining("u.conf:9").hasMessageContaining("cpu").hasMessageContaining("'x'");
        assertThatThrownBy(() -> NativeConfigReader.read(nodes + "resources {\n node {\n name: zz\n }\n}\n", "u.conf",
                List.of())).hasMessageContaining("u.conf:7").hasMessageContaining("'zz'");
        assertThatThrownBy(() -> NativeConfigReader.read(nodes + "resources {\n options {\n placement-strategy: most\n"
                + " }\n}\n", "u.conf", List.of())).hasMessageContaining("u.conf:8").hasMessageContaining("'most'");
        assertThatThrownBy(() -> NativeConfigReader.read(nodes + "resources {\n primitive {\n id: p\n"
                + " agent: ocf:pacemaker:Dummy\n op: monitor interval=5s on-fail=explode\n }\n}\n", "u.conf", List.of()))
                .hasMessageContaining("u.conf:10").hasMessageContaining("on-fail 'explode'");
    }

    @Test
    void clusterRecheckIntervalIsReadAndABadValueNamesTheLine() throws Exception {
        String nodes = "nodelist {\n node {\n name: a\n }\n}\n";
        Configuration c = NativeConfigReader.read(nodes + "resources {\n options {\n cluster-recheck-interval: 90s\n"
                + " }\n}\n", "r.conf", List.of());
        assertThat(c.options().recheckInterval()).isEqualTo(java.time.Duration.ofSeconds(90));
        assertThat(NativeConfigReader.read(nodes + "resources {\n}\n", "r.conf", List.of()).options().recheckInterval())
                .isEqualTo(java.time.Duration.ofMinutes(15));
        assertThatThrownBy(() -> NativeConfigReader.read(nodes + "resources {\n options {\n cluster-recheck-interval: "
                + "soon\n }\n}\n", "r.conf", List.of())).hasMessageContaining("r.conf:8")
                .hasMessageContaining("cluster-recheck-interval").hasMessageContaining("'soon'");
    }
}
