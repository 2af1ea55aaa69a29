package org.ringmaster.crm.simple.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ringmaster.crm.simple.policy.Fixture.dummy;
import static org.ringmaster.crm.simple.policy.Fixture.where;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ringmaster.crm.simple.model.ClusterOptions;
import org.ringmaster.crm.simple.model.ColocationConstraint;
import org.ringmaster.crm.simple.model.Expression;
import org.ringmaster.crm.simple.model.LocationConstraint;
import org.ringmaster.crm.simple.model.NoQuorumPolicy;
import org.ringmaster.crm.simple.model.OrderConstraint;
import org.ringmaster.crm.simple.model.Rule;
import org.ringmaster.crm.simple.model.Score;

/** One test per scoring rule, on hand-built models. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class PlacementRulesTest {
    private static final int INF = Score.INFINITY;

    @Test
    void highestLocationScoreWinsAndMinusInfinityBans() {
        Fixture f = Fixture.nodes("n1", "n2", "n3");
        f.config.resource(dummy("a")).location("a", "n2", 50).location("a", "n3", 100)
                .resource(dummy("b")).location("b", "n1", -INF).location("b", "n2", -INF).location("b", "n3", -INF);
        Transition t = f.decide();
        assertThat(where(t, "a")).isEqualTo("n3");
        assertThat(where(t, "b")).isEqualTo("Stopped");
    }

    @Test
    void equalScoresSpreadByLoadThenNodeOrder() {
        Fixture f = Fixture.nodes("n1", "n2");
        f.config.resource(dummy("a")).resource(dummy("b")).resource(dummy("c"));
        Transition t = f.decide();
        assertThat(List.of(where(t, "a"), where(t, "b"), where(t, "c"))).containsExactly("n1", "n2", "n1");
    }

    @Test
    void asymmetricClusterRunsOnlyWhereAllowed() {
        Fixture f = Fixture.nodes("n1", "n2", "n3");
        f.options(new ClusterOptions(NoQuorumPolicy.STOP, true, false, true, true));
        f.config.resource(dummy("a")).location("a", "n3", 0).resource(dummy("b"));
        Transition t = f.decide();
        assertThat(where(t, "a")).isEqualTo("n3");
        assertThat(where(t, "b")).isEqualTo("Stopped");
    }

    @Test
    void ruleOnNodeAttributeUsesScoreAttribute() {
        Fixture f = Fixture.nodes("n1", "n2", "n3").attribute("n1", "pingd", "100").attribute("n2", "pingd", "300");
        Rule ping = new Rule("r1", 0, "pingd", true, List.of(new Expression("pingd", "defined", null, null)),
                List.of(), null, false);
        Rule notUname = new Rule("r2", -INF, null, true, List.of(new Expression("#uname", "eq", "n2", null)),
                List.of(), null, false);
        f.config.resource(dummy("a")).location(new LocationConstraint("l1", "a", null, null, 0, List.of(ping), null))
                .resource(dummy("b")).location(new LocationConstraint("l2", "b", null, null, 0, List.of(ping), null))
                .location(new LocationConstraint("l3", "b", null, null, 0, List.of(notUname), null));
        Transition t = f.decide();
        assertThat(where(t, "a")).isEqualTo("n2");
        assertThat(where(t, "b")).isEqualTo("n1");
    }

    @Test
    void typedRuleComparesNumbersNotStrings() {
        Fixture f = Fixture.nodes("n1", "n2").attribute("n1", "mem", "9").attribute("n2", "mem", "10");
        Rule big = new Rule("r", 100, null, true, List.of(new Expression("mem", "gt", "9", "integer")), List.of(),
                null, false);
        f.config.resource(dummy("a")).location(new LocationConstraint("l", "a", null, null, 0, List.of(big), null));
        assertThat(where(f.decide(), "a")).isEqualTo("n2");
    }

    @Test
    void stickinessKeepsARunningResourceAgainstAWeakerPreference() {
        Fixture sticky = Fixture.nodes("n1", "n2").running("a", "n1");
        sticky.config.resource(dummy("a", "resource-stickiness", "100")).location("a", "n2", 50);
        assertThat(where(sticky.decide(), "a")).isEqualTo("n1");

        Fixture loose = Fixture.nodes("n1", "n2").running("a", "n1");
        loose.config.resource(dummy("a", "resource-stickiness", "10")).location("a", "n2", 50);
        Transition t = loose.decide();
        assertThat(where(t, "a")).isEqualTo("n2");
        assertThat(t.actions()).extracting(Action::describe).containsSubsequence("stop a on n1", "start a on n2");
    }

    @Test
    void colocationInfinityMinusInfinityAndPreference() {
        Fixture f = Fixture.nodes("n1", "n2", "n3");
        // db's own preference outweighs backup's wish (500) to push it away from n2
        f.config.resource(dummy("db")).location("db", "n2", 1000)
                .resource(dummy("web")).colocation("web", "db", INF)
                .resource(dummy("backup")).colocation("backup", "db", -INF).location("backup", "n2", 500)
                .resource(dummy("cache")).colocation("cache", "db", 20).location("cache", "n3", 10);
        Transition t = f.decide();
        assertThat(where(t, "db")).isEqualTo("n2");
        assertThat(where(t, "web")).isEqualTo("n2");
        assertThat(where(t, "backup")).isNotIn("n2", "Stopped");
        assertThat(where(t, "cache")).isEqualTo("n2");
    }

    @Test
    void anAntiColocatedDependentPushesItsPrimaryAway() {
        Fixture f = Fixture.nodes("n1", "n2");
        f.config.resource(dummy("db")).location("db", "n2", 100)
                .resource(dummy("backup")).colocation("backup", "db", -INF).location("backup", "n2", 500);
        Transition t = f.decide();
        assertThat(where(t, "db")).isEqualTo("n1");
        assertThat(where(t, "backup")).isEqualTo("n2");
    }

    @Test
    void mandatoryColocationWithAStoppedPrimaryStopsTheDependent() {
        Fixture f = Fixture.nodes("n1", "n2");
        f.config.resource(dummy("db", "target-role", "Stopped")).resource(dummy("web")).colocation("web", "db", INF);
        Transition t = f.decide();
        assertThat(where(t, "db")).isEqualTo("Stopped");
        assertThat(where(t, "web")).isEqualTo("Stopped");
    }

    @Test
    void colocationChainInfluencesThePrimary() {
        // web must run with db; web is banned from n1 so db is pulled to n2 even though db prefers n1 a bit
        Fixture f = Fixture.nodes("n1", "n2");
        f.config.resource(dummy("db")).location("db", "n1", 10)
                .resource(dummy("web")).location("web", "n1", -INF).colocation("web", "db", INF);
        Transition t = f.decide();
        assertThat(where(t, "db")).isEqualTo("n2");
        assertThat(where(t, "web")).isEqualTo("n2");
    }

    @Test
    void colocationOnANodeAttributeMeansSameSite() {
        Fixture f = Fixture.nodes("a1", "a2", "b1").attribute("a1", "site", "A").attribute("a2", "site", "A")
                .attribute("b1", "site", "B");
        f.config.resource(dummy("p")).location("p", "a1", 100)
                .resource(dummy("d")).location("d", "a1", -INF)
                .colocation(new ColocationConstraint("c", "d", "p", INF, null, null, "site", true));
        Transition t = f.decide();
        assertThat(where(t, "p")).isEqualTo("a1");
        assertThat(where(t, "d")).isEqualTo("a2");
    }

    @Test
    void mandatoryOrderBlocksThenWhenFirstCannotRun() {
        Fixture f = Fixture.nodes("n1");
        f.config.resource(dummy("first", "target-role", "Stopped")).resource(dummy("then"))
                .order("first", "then", OrderConstraint.Kind.MANDATORY)
                .resource(dummy("opt")).order("first", "opt", OrderConstraint.Kind.OPTIONAL);
        Transition t = f.decide();
        assertThat(where(t, "then")).isEqualTo("Stopped");
        assertThat(where(t, "opt")).isEqualTo("n1");
    }

    @Test
    void asymmetricOrderLeavesARunningThenAlone() {
        Fixture f = Fixture.nodes("n1").running("then", "n1");
        f.config.resource(dummy("first", "target-role", "Stopped")).resource(dummy("then"))
                .order(new OrderConstraint("o", "first", "start", "then", "start", OrderConstraint.Kind.MANDATORY,
                        false));
        assertThat(where(f.decide(), "then")).isEqualTo("n1");
    }

    @Test
    void orderedActionsStartFirstBeforeThen() {
        Fixture f = Fixture.nodes("n1");
        f.config.resource(dummy("b")).resource(dummy("a")).order("a", "b", OrderConstraint.Kind.MANDATORY);
        Transition t = f.decide();
        assertThat(t.actions()).extracting(Action::describe).containsSubsequence("start a on n1", "start b on n1");
        Action startB = t.actions().stream().filter(a -> a.describe().equals("start b on n1")).findFirst()
                .orElseThrow();
        Action startA = t.actions().stream().filter(a -> a.describe().equals("start a on n1")).findFirst()
                .orElseThrow();
        assertThat(startB.after()).contains(startA.index());
    }

    @Test
    void priorityDecidesWhoGetsTheLastNode() {
        Fixture f = Fixture.nodes("n1");
        f.config.resource(dummy("low", "priority", "1")).resource(dummy("high", "priority", "10"))
                .colocation("low", "high", -INF);
        Transition t = f.decide();
        assertThat(where(t, "high")).isEqualTo("n1");
        assertThat(where(t, "low")).isEqualTo("Stopped");
    }
}
