package org.ringmaster.crm.simple.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ringmaster.crm.simple.policy.Fixture.dummy;
import static org.ringmaster.crm.simple.policy.Fixture.meta;
import static org.ringmaster.crm.simple.policy.Fixture.where;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ringmaster.crm.simple.model.ClusterOptions;
import org.ringmaster.crm.simple.model.Clone;
import org.ringmaster.crm.simple.model.Group;
import org.ringmaster.crm.simple.model.Node;
import org.ringmaster.crm.simple.model.PlacementStrategy;
import org.ringmaster.crm.simple.model.Primitive;
import org.ringmaster.crm.simple.status.NodeStatus;

/** Node capacity, resource utilization and the placement strategies. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class UtilizationTest {
    /** Nodes n1..nk with the given cpu capacities, all online, nothing running. */
    private static Fixture nodes(PlacementStrategy strategy, int... cpus) {
        Fixture f = new Fixture();
        java.util.Map<String, NodeStatus> dummy = new java.util.LinkedHashMap<>();
        for (int k = 0; k < cpus.length; k++) {
            String name = "n" + (k + 1);
            f.config.node(new Node(name, name, Map.of(), Map.of("cpu", cpus[k])));
            dummy.put(name, NodeStatus.online(name));
        }
        f.options(ClusterOptions.defaults().withPlacementStrategy(strategy));
        return f.withNodes(dummy);
    }

    private static Primitive cpu(String id, int cpu, String... meta) {
        return dummy(id, meta).withUtilization(Map.of("cpu", cpu));
    }

    private static List<String> placed(Transition t, String... ids) {
        return java.util.Arrays.stream(ids).map(id -> where(t, id)).toList();
    }

    @Test
    void theDefaultStrategyIgnoresCapacity() {
        Fixture f = nodes(PlacementStrategy.DEFAULT, 2, 2);
        f.config.resource(cpu("a", 2)).resource(cpu("b", 2)).resource(cpu("c", 2));
        assertThat(placed(f.decide(), "a", "b", "c")).doesNotContain("Stopped");
    }

    @Test
    void utilizationPlacesOnlyWhereThereIsRoomAndStopsWhatFitsNowhere() {
        Fixture f = nodes(PlacementStrategy.UTILIZATION, 4, 2);
        f.config.resource(cpu("a", 2)).resource(cpu("b", 2)).resource(cpu("c", 2)).resource(cpu("d", 2));
        Transition t = f.decide();
        List<String> where = placed(t, "a", "b", "c", "d");
        assertThat(where).filteredOn("n1"::equals).hasSize(2);
        assertThat(where).filteredOn("n2"::equals).hasSize(1);
        assertThat(where).filteredOn("Stopped"::equals).hasSize(1);
    }

    @Test
    void aNodeWithoutTheCapacityAttributeHasNone() {
        Fixture f = new Fixture();
        f.config.node(new Node("n1", "n1", Map.of(), Map.of("cpu", 4))).node("n2")
                .options(ClusterOptions.defaults().withPlacementStrategy(PlacementStrategy.UTILIZATION));
        f.withNodes(Map.of("n1", NodeStatus.online("n1"), "n2", NodeStatus.online("n2")));
        f.config.resource(cpu("a", 1)).location("a", "n2", 100).resource(dummy("free")).location("free", "n2", 100);
        Transition t = f.decide();
        assertThat(where(t, "a")).isEqualTo("n1");
        assertThat(where(t, "free")).isEqualTo("n2"); // needs nothing: fits anywhere
    }

    @Test
    void utilizationBalancesByCountBalancedByFreeCapacity() {
        Fixture u = nodes(PlacementStrategy.UTILIZATION, 8, 4);
        u.config.resource(cpu("a", 1)).resource(cpu("b", 1)).resource(cpu("c", 1));
        assertThat(placed(u.decide(), "a", "b", "c")).containsExactly("n1", "n2", "n1");

        Fixture b = nodes(PlacementStrategy.BALANCED, 8, 4);
        b.config.resource(cpu("a", 1)).resource(cpu("b", 1)).resource(cpu("c", 1));
        assertThat(placed(b.decide(), "a", "b", "c")).containsExactly("n1", "n1", "n1");
    }

    @Test
    void minimalPacksResourcesOntoFewNodes() {
        Fixture m = nodes(PlacementStrategy.MINIMAL, 4, 4, 4);
        m.config.resource(cpu("a", 2)).resource(cpu("b", 2)).resource(cpu("c", 2));
        assertThat(placed(m.decide(), "a", "b", "c")).containsExactly("n1", "n1", "n2");
    }

    @Test
    void aRunningResourceThatNoLongerFitsMoves() {
        Fixture f = nodes(PlacementStrategy.UTILIZATION, 4, 4);
        f.running("small", "n1");
        f.config.resource(cpu("small", 2, "resource-stickiness", "100")).resource(cpu("big", 4, "priority", "10"))
                .location("big", "n1", 500);
        Transition t = f.decide();
        assertThat(where(t, "big")).isEqualTo("n1");
        assertThat(where(t, "small")).isEqualTo("n2");
    }

    @Test
    void aGroupNeedsRoomForAllItsMembers() {
        Fixture f = nodes(PlacementStrategy.UTILIZATION, 3, 6);
        f.config.resource(new Group("g", List.of(cpu("g1", 2), cpu("g2", 2)), meta())).location("g", "n1", 100);
        Transition t = f.decide();
        assertThat(placed(t, "g1", "g2")).containsExactly("n2", "n2");
    }

    @Test
    void mandatoryColocatedResourcesAreCountedWithTheirPrimary() {
        Fixture f = nodes(PlacementStrategy.UTILIZATION, 3, 6);
        f.config.resource(cpu("db", 2)).resource(cpu("app", 2)).colocation("app", "db", 1_000_000)
                .location("db", "n1", 100);
        Transition t = f.decide();
        assertThat(placed(t, "db", "app")).containsExactly("n2", "n2");
    }

    @Test
    void cloneInstancesEachNeedRoom() {
        Fixture f = nodes(PlacementStrategy.UTILIZATION, 2, 1, 3);
        f.config.resource(new Clone("c", cpu("w", 2), meta()));
        assertThat(Fixture.nodesOf(f.decide(), "w")).containsExactly("n1", "n3");
    }

    @Test
    void anUnknownStrategyIsRefusedNamingTheOption() {
        assertThatThrownBy(() -> PlacementStrategy.parse("greedy", "cluster option placement-strategy"))
                .hasMessageContaining("placement-strategy").hasMessageContaining("'greedy'");
    }
}
