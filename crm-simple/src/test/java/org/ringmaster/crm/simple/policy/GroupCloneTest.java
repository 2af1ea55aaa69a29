package org.ringmaster.crm.simple.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ringmaster.crm.simple.policy.Fixture.dummy;
import static org.ringmaster.crm.simple.policy.Fixture.meta;
import static org.ringmaster.crm.simple.policy.Fixture.nodesOf;
import static org.ringmaster.crm.simple.policy.Fixture.where;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ringmaster.crm.simple.model.Clone;
import org.ringmaster.crm.simple.model.Group;
import org.ringmaster.crm.simple.model.Meta;
import org.ringmaster.crm.simple.model.Role;
import org.ringmaster.crm.simple.model.Score;
import org.ringmaster.crm.simple.simulate.PlacementListing;

/** Groups and clones. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class GroupCloneTest {
    private static final int INF = Score.INFINITY;

    private static Group group(String id, String... members) {
        return new Group(id, java.util.Arrays.stream(members).map(Fixture::dummy).toList(), Meta.EMPTY);
    }

    @Test
    void groupMembersRunTogetherAndStartInOrder() {
        Fixture f = Fixture.nodes("n1", "n2");
        f.config.resource(group("web", "ip", "fs", "httpd")).location("web", "n2", 10);
        Transition t = f.decide();
        assertThat(List.of(where(t, "ip"), where(t, "fs"), where(t, "httpd"))).containsOnly("n2");
        assertThat(t.actions()).extracting(Action::describe)
                .containsSubsequence("start ip on n2", "start fs on n2", "start httpd on n2");
    }

    @Test
    void aMemberThatCannotRunStopsTheMembersAfterIt() {
        Fixture f = Fixture.nodes("n1");
        f.config.resource(group("web", "ip", "fs", "httpd")).location("fs", "n1", -INF);
        Transition t = f.decide();
        assertThat(where(t, "ip")).isEqualTo("n1");
        assertThat(where(t, "fs")).isEqualTo("Stopped");
        assertThat(where(t, "httpd")).isEqualTo("Stopped");
    }

    @Test
    void groupStickinessIsTheSumOfItsActiveMembers() {
        // 3 members x 40 stickiness = 120 > 100 preference elsewhere: stays
        Fixture f = Fixture.nodes("n1", "n2").running("a", "n1").running("b", "n1").running("c", "n1");
        f.config.resource(new Group("g", List.of(dummy("a"), dummy("b"), dummy("c")),
                meta("resource-stickiness", "40"))).location("g", "n2", 100);
        assertThat(where(f.decide(), "a")).isEqualTo("n1");
    }

    @Test
    void anonymousCloneRunsOncePerNodeUpToCloneMax() {
        Fixture f = Fixture.nodes("n1", "n2", "n3");
        f.config.resource(new Clone("c", dummy("p"), meta("clone-max", "2")));
        Transition t = f.decide();
        assertThat(nodesOf(t, "p")).hasSize(2).doesNotHaveDuplicates();
        assertThat(PlacementListing.lines(t)).allMatch(l -> l.startsWith("p\t"));
    }

    @Test
    void cloneNodeMaxAllowsSeveralInstancesPerNode() {
        Fixture f = Fixture.nodes("n1");
        f.config.resource(new Clone("c", dummy("p"),
                meta("clone-max", "3", "clone-node-max", "2", "globally-unique", "true")));
        Transition t = f.decide();
        assertThat(nodesOf(t, "p")).containsExactly("n1", "n1");
        assertThat(PlacementListing.lines(t)).containsExactly("p:0\tn1\tStarted", "p:1\tn1\tStarted",
                "p:2\tStopped\tStopped");
    }

    @Test
    void cloneInstancesStayWhereTheyRun() {
        Fixture f = Fixture.nodes("n1", "n2", "n3").running("p:0", "n3");
        f.config.resource(new Clone("c", dummy("p"), meta("clone-max", "1")));
        assertThat(nodesOf(f.decide(), "p")).containsExactly("n3");
    }

    @Test
    void colocationWithACloneFollowsItsInstances() {
        Fixture f = Fixture.nodes("n1", "n2", "n3");
        f.config.resource(new Clone("c", dummy("p"), meta("clone-max", "1"))).location("c", "n3", 100)
                .resource(dummy("user")).colocation("user", "c", INF);
        Transition t = f.decide();
        assertThat(where(t, "user")).isEqualTo("n3");
    }

    @Test
    void clonedGroupRunsItsMembersOnEachNode() {
        Fixture f = Fixture.nodes("n1", "n2");
        f.config.resource(new Clone("cg", group("g", "dlm", "clvm"), Meta.EMPTY));
        Transition t = f.decide();
        assertThat(nodesOf(t, "dlm")).containsExactly("n1", "n2");
        assertThat(nodesOf(t, "clvm")).containsExactly("n1", "n2");
    }

    @Test
    void promotableClonePromotesTheBestScoredInstance() {
        Fixture f = Fixture.nodes("n1", "n2").attribute("n1", "master-db", "5").attribute("n2", "master-db", "10");
        f.config.resource(new Clone("ms", dummy("db"), meta("promotable", "true")));
        Transition t = f.decide();
        assertThat(t.placements()).filteredOn(p -> p.role() == Role.PROMOTED).extracting(InstancePlacement::node)
                .containsExactly("n2");
        assertThat(t.placements()).filteredOn(p -> p.role() == Role.UNPROMOTED).extracting(InstancePlacement::node)
                .containsExactly("n1");
    }

    @Test
    void aFiniteWishToStayUnpromotedWithAResourceCountsAgainstPromotionThere() {
        for (boolean wish : new boolean[] {false, true}) {
            Fixture f = Fixture.nodes("n1", "n2").attribute("n1", "master-db", "10").attribute("n2", "master-db", "5");
            f.config.resource(new Clone("ms", dummy("db"), meta("promotable", "true"))).resource(dummy("ip"))
                    .location("ip", "n1", Score.INFINITY);
            if (wish) {
                f.config.colocation(new org.ringmaster.crm.simple.model.ColocationConstraint("stay", "db", "ip", 100,
                        Role.UNPROMOTED, null, null, true));
            }
            Transition t = f.decide();
            assertThat(t.placements()).as("with the colocation: %s", wish).filteredOn(p -> p.role() == Role.PROMOTED)
                    .extracting(InstancePlacement::node).containsExactly(wish ? "n2" : "n1");
        }
    }
}
