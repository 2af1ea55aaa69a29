package org.ringmaster.crm.simple.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ringmaster.crm.simple.policy.Fixture.dummy;
import static org.ringmaster.crm.simple.policy.Fixture.where;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ringmaster.crm.simple.model.ClusterOptions;
import org.ringmaster.crm.simple.model.NoQuorumPolicy;

/** Failures, migration-threshold, node states, fencing and no-quorum-policy. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class FailuresAndNodesTest {
    private static ClusterOptions opts(NoQuorumPolicy p, boolean fencing) {
        return new ClusterOptions(p, fencing, true, true, true);
    }

    @Test
    void failureBelowMigrationThresholdRecoversInPlace() {
        Fixture f = Fixture.nodes("n1", "n2").failed("a", "n1").attribute("n1", "fail-count-a#monitor_10000", "1");
        f.config.resource(dummy("a", "migration-threshold", "3", "resource-stickiness", "100"));
        Transition t = f.decide();
        assertThat(where(t, "a")).isEqualTo("n1");
        assertThat(t.actions()).extracting(Action::describe).containsSubsequence("stop a on n1", "start a on n1");
    }

    @Test
    void reachingMigrationThresholdMovesTheResource() {
        Fixture f = Fixture.nodes("n1", "n2").failed("a", "n1").attribute("n1", "fail-count-a#monitor_10000", "3");
        f.config.resource(dummy("a", "migration-threshold", "3", "resource-stickiness", "100"));
        assertThat(where(f.decide(), "a")).isEqualTo("n2");
    }

    @Test
    void failedStartBansTheNodeThroughItsInfiniteFailCount() {
        Fixture f = Fixture.nodes("n1", "n2").startFailed("a", "n1").attribute("n1", "fail-count-a#start_0", "INFINITY");
        f.config.resource(dummy("a")).location("a", "n1", 100);
        assertThat(where(f.decide(), "a")).isEqualTo("n2");
    }

    @Test
    void aFailedStartWithoutFailCountIsRetriedInPlace() {
        Fixture f = Fixture.nodes("n1", "n2").failed("a", "n1");
        f.config.resource(dummy("a")).location("a", "n1", 100);
        Transition t = f.decide();
        assertThat(where(t, "a")).isEqualTo("n1");
        assertThat(t.actions()).extracting(Action::describe).containsSubsequence("stop a on n1", "start a on n1");
    }

    @Test
    void standbyAndShuttingDownNodesHostNothing() {
        Fixture f = Fixture.nodes("n1", "n2", "n3").attribute("n1", "standby", "on").attribute("n2", "shutdown", "1234")
                .running("a", "n1");
        f.config.resource(dummy("a")).location("a", "n1", 100).location("a", "n2", 50);
        assertThat(where(f.decide(), "a")).isEqualTo("n3");
    }

    @Test
    void lostNodeIsFencedAndItsResourcesRecovered() {
        Fixture f = Fixture.nodes("n1", "n2").running("a", "n1").lost("n1");
        f.config.resource(dummy("a"));
        Transition t = f.decide();
        assertThat(t.fenced()).containsExactly("n1");
        assertThat(where(t, "a")).isEqualTo("n2");
        assertThat(t.actions().get(0).describe()).isEqualTo("fence n1");
    }

    @Test
    void withoutFencingAFailedStopStaysBlockedOnItsNode() {
        Fixture f = Fixture.nodes("n1", "n2").stopFailed("a", "n1").options(opts(NoQuorumPolicy.STOP, false));
        f.config.resource(dummy("a")).location("a", "n2", 100);
        Transition t = f.decide();
        assertThat(where(t, "a")).isEqualTo("n1");
        assertThat(t.fenced()).isEmpty();
    }

    @Test
    void withFencingAFailedStopFencesTheNode() {
        Fixture f = Fixture.nodes("n1", "n2").stopFailed("a", "n1");
        f.config.resource(dummy("a")).resource(dummy("b"));
        f.running("b", "n1");
        Transition t = f.decide();
        assertThat(t.fenced()).containsExactly("n1");
        assertThat(where(t, "a")).isEqualTo("n2");
        assertThat(where(t, "b")).isEqualTo("n2");
    }

    @Test
    void noQuorumStopStopsEverything() {
        Fixture f = Fixture.nodes("n1", "n2").running("a", "n1").noQuorum();
        f.config.resource(dummy("a")).resource(dummy("b"));
        Transition t = f.decide();
        assertThat(where(t, "a")).isEqualTo("Stopped");
        assertThat(where(t, "b")).isEqualTo("Stopped");
    }

    @Test
    void noQuorumFreezeKeepsRunningResourcesAndStartsNothing() {
        Fixture f = Fixture.nodes("n1", "n2").running("a", "n1").noQuorum()
                .options(opts(NoQuorumPolicy.FREEZE, true));
        f.config.resource(dummy("a", "resource-stickiness", "1")).resource(dummy("b"));
        Transition t = f.decide();
        assertThat(where(t, "a")).isEqualTo("n1");
        assertThat(where(t, "b")).isEqualTo("Stopped");
    }

    @Test
    void noQuorumIgnoreCarriesOn() {
        Fixture f = Fixture.nodes("n1", "n2").noQuorum().options(opts(NoQuorumPolicy.IGNORE, true));
        f.config.resource(dummy("a"));
        assertThat(where(f.decide(), "a")).isEqualTo("n1");
    }

    @Test
    void targetRoleStoppedStopsARunningResource() {
        Fixture f = Fixture.nodes("n1").running("a", "n1");
        f.config.resource(dummy("a", "target-role", "Stopped"));
        Transition t = f.decide();
        assertThat(where(t, "a")).isEqualTo("Stopped");
        assertThat(t.actions()).extracting(Action::describe).containsExactly("stop a on n1");
    }

    @Test
    void theSameInputGivesTheSameTransition() {
        Fixture f = Fixture.nodes("n1", "n2", "n3").running("a", "n2").failed("b", "n1");
        f.config.resource(dummy("a")).resource(dummy("b")).resource(dummy("c")).colocation("c", "a", 100);
        Transition first = f.decide();
        for (int i = 0; i < 5; i++) {
            assertThat(f.decide()).isEqualTo(first);
        }
    }
}
