package org.ringmaster.crm.simple.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ringmaster.crm.simple.policy.Fixture.dummy;
import static org.ringmaster.crm.simple.policy.Fixture.meta;
import static org.ringmaster.crm.simple.policy.Fixture.where;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ringmaster.crm.simple.model.ClusterOptions;
import org.ringmaster.crm.simple.model.Group;

/** is-managed=false and maintenance (resource, node, cluster): left alone, others placed around them. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ManagementTest {
    private static List<String> actions(Transition t) {
        return t.actions().stream().map(Action::describe).toList();
    }

    @Test
    void anUnmanagedResourceIsNeitherMovedNorStoppedAndOthersFollowIt() {
        Fixture f = Fixture.nodes("n1", "n2").running("a", "n1");
        f.config.resource(dummy("a", "is-managed", "false", "target-role", "Stopped")).resource(dummy("b"))
                .location("a", "n2", 1000).colocation("b", "a", 1_000_000);
        Transition t = f.decide();
        assertThat(where(t, "a")).isEqualTo("n1");
        assertThat(where(t, "b")).isEqualTo("n1");
        assertThat(actions(t)).noneMatch(s -> s.contains(" a on ")).contains("start b on n1");
    }

    @Test
    void aStoppedUnmanagedResourceIsNotStarted() {
        Fixture f = Fixture.nodes("n1", "n2");
        f.config.resource(dummy("a", "is-managed", "false"));
        Transition t = f.decide();
        assertThat(where(t, "a")).isEqualTo("Stopped");
        assertThat(t.actions()).isEmpty();
    }

    @Test
    void aFailedUnmanagedResourceIsNotRecovered() {
        Fixture f = Fixture.nodes("n1", "n2").failed("a", "n1");
        f.config.resource(dummy("a", "is-managed", "false"));
        Transition t = f.decide();
        assertThat(where(t, "a")).isEqualTo("n1");
        assertThat(t.actions()).isEmpty();
    }

    @Test
    void isManagedIsInheritedFromTheGroupAndFromDefaults() {
        Fixture f = Fixture.nodes("n1", "n2").running("m1", "n1").running("m2", "n1").running("c", "n1");
        f.config.resource(new Group("g", List.of(dummy("m1"), dummy("m2")), meta("is-managed", "false")))
                .resource(dummy("c")).defaults(meta("is-managed", "false"))
                .location("g", "n2", 1000).location("c", "n2", 1000);
        Transition t = f.decide();
        assertThat(List.of(where(t, "m1"), where(t, "m2"), where(t, "c"))).containsOnly("n1");
        assertThat(t.actions()).isEmpty();
    }

    @Test
    void maintenanceModeLeavesTheWholeClusterAlone() {
        Fixture f = Fixture.nodes("n1", "n2").running("a", "n1").failed("b", "n2").running("gone", "n2")
                .options(ClusterOptions.defaults().withMaintenanceMode(true));
        f.config.resource(dummy("a", "target-role", "Stopped")).resource(dummy("b")).resource(dummy("c"))
                .location("a", "n2", 1000);
        Transition t = f.decide();
        assertThat(where(t, "a")).isEqualTo("n1");
        assertThat(where(t, "b")).isEqualTo("n2");
        assertThat(where(t, "c")).isEqualTo("Stopped");
        assertThat(t.actions()).isEmpty(); // not even the orphan "gone" is stopped
    }

    @Test
    void aNodeInMaintenanceKeepsItsResourcesAndGetsNoNewOnes() {
        Fixture f = Fixture.nodes("n1", "n2").attribute("n1", "maintenance", "true").running("a", "n1");
        f.config.resource(dummy("a")).resource(dummy("b")).location("a", "n2", 1000).location("b", "n1", 1000);
        Transition t = f.decide();
        assertThat(where(t, "a")).isEqualTo("n1");
        assertThat(where(t, "b")).isEqualTo("n2");
        assertThat(actions(t)).containsExactly("start b on n2");
    }

    @Test
    void aResourceInMaintenanceIsLeftAloneWhileOthersAreManaged() {
        Fixture f = Fixture.nodes("n1", "n2").running("a", "n1").running("b", "n1");
        f.config.resource(dummy("a", "maintenance", "true")).resource(dummy("b"))
                .location("a", "n2", 1000).location("b", "n2", 1000);
        Transition t = f.decide();
        assertThat(where(t, "a")).isEqualTo("n1");
        assertThat(where(t, "b")).isEqualTo("n2");
    }
}
