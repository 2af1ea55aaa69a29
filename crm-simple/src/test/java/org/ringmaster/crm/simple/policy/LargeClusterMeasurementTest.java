package org.ringmaster.crm.simple.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ringmaster.crm.simple.model.Clone;
import org.ringmaster.crm.simple.model.Configuration;
import org.ringmaster.crm.simple.model.Group;
import org.ringmaster.crm.simple.model.Meta;
import org.ringmaster.crm.simple.model.OrderConstraint;
import org.ringmaster.crm.simple.model.Primitive;
import org.ringmaster.crm.simple.model.Role;
import org.ringmaster.crm.simple.model.Score;
import org.ringmaster.crm.simple.status.ClusterStatus;
import org.ringmaster.crm.simple.status.NodeStatus;
import org.ringmaster.crm.simple.status.ResourceState;

/**
 * 32 nodes, 500 primitives (100 groups of three, 200 standalone) plus 4 clones, with location,
 * colocation and order constraints and half of it running. Prints the time per decision (no timed
 * assertion: the machine is shared) and checks the placement honours the constraints.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LargeClusterMeasurementTest {
    static final int NODES = 32;

    static Configuration config() {
        Configuration.Builder b = Configuration.builder();
        for (int n = 0; n < NODES; n++) {
            b.node(String.format("node%02d", n));
        }
        for (int g = 0; g < 100; g++) {
            List<Primitive> members = new ArrayList<>();
            for (int m = 0; m < 3; m++) {
                members.add(Primitive.of("g" + g + "m" + m, "ocf:pacemaker:Dummy"));
            }
            b.resource(new Group("grp" + g, members, new Meta(Map.of("resource-stickiness", "10"))));
            b.location("grp" + g, String.format("node%02d", g % NODES), 100);
            b.location("grp" + g, String.format("node%02d", (g + 7) % NODES), 50);
        }
        for (int s = 0; s < 200; s++) {
            b.resource(Primitive.of("svc" + s, "ocf:pacemaker:Dummy"));
            if (s < 100) {
                b.colocation("svc" + s, "grp" + s, Score.INFINITY);
                b.order("grp" + s, "svc" + s, OrderConstraint.Kind.MANDATORY);
            } else {
                b.colocation("svc" + s, "svc" + (s - 100), -Score.INFINITY);
                b.location("svc" + s, String.format("node%02d", s % NODES), 25);
            }
        }
        for (int c = 0; c < 4; c++) {
            b.resource(new Clone("clone" + c, Primitive.of("base" + c, "ocf:pacemaker:ping"), Meta.EMPTY));
        }
        b.colocation("svc150", "clone0", Score.INFINITY);
        return b.build();
    }

    static ClusterStatus status() {
        Map<String, NodeStatus> nodes = new java.util.LinkedHashMap<>();
        for (int n = 0; n < NODES; n++) {
            String name = String.format("node%02d", n);
            nodes.put(name, n == 3 ? new NodeStatus(name, true, false, false, "down", true, Map.of())
                    : NodeStatus.online(name));
        }
        List<ResourceState> states = new ArrayList<>();
        for (int g = 0; g < 100; g += 2) {
            String node = String.format("node%02d", g % NODES);
            for (int m = 0; m < 3; m++) {
                states.add(new ResourceState("g" + g + "m" + m, node, Role.STARTED, false, false, false, false, null));
            }
            states.add(new ResourceState("svc" + g, node, Role.STARTED, false, false, false, false, null));
        }
        return new ClusterStatus(true, "node00", nodes, states);
    }

    @Test
    void decidesA32NodeConfigurationQuicklyAndCorrectly() {
        Configuration c = config();
        ClusterStatus st = status();
        long first = System.nanoTime();
        Transition t = PolicyEngine.decide(c, st);
        double coldMs = (System.nanoTime() - first) / 1e6;
        for (int i = 0; i < 20; i++) {
            t = PolicyEngine.decide(c, st); // warm up the JIT
        }
        int runs = 20;
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            t = PolicyEngine.decide(c, st);
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        java.util.Arrays.sort(ms);
        System.out.printf("MEASURE 32 nodes, 500 primitives + 4 clones: cold %.1f ms, warm min %.1f ms, "
                + "median %.1f ms per decision, %d actions%n", coldMs, ms[0], ms[runs / 2], t.actions().size());

        Map<String, String> where = new HashMap<>();
        for (InstancePlacement p : t.placements()) {
            if (p.cloneId() == null) {
                assertThat(where.put(p.instanceId(), p.node())).as("placed once: %s", p.instanceId()).isNull();
            }
        }
        assertThat(t.fenced()).containsExactly("node03");
        for (int g = 0; g < 100; g++) {
            String node = where.get("g" + g + "m0");
            assertThat(node).as("grp%d runs", g).isNotNull().isNotEqualTo("node03");
            assertThat(where.get("g" + g + "m2")).isEqualTo(node);
            assertThat(where.get("svc" + g)).as("svc%d with grp%d", g, g).isEqualTo(node);
        }
        for (int s = 100; s < 200; s++) {
            assertThat(where.get("svc" + s)).as("svc%d runs", s).isNotNull().isNotEqualTo(where.get("svc" + (s - 100)));
        }
        assertThat(t.placements()).filteredOn(p -> "clone0".equals(p.cloneId()) && p.node() != null)
                .hasSize(NODES - 1);
    }
}
