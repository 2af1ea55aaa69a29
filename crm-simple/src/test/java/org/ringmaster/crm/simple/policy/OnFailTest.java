package org.ringmaster.crm.simple.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ringmaster.crm.simple.policy.Fixture.dummy;
import static org.ringmaster.crm.simple.policy.Fixture.dummyWithOps;
import static org.ringmaster.crm.simple.policy.Fixture.meta;
import static org.ringmaster.crm.simple.policy.Fixture.where;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ringmaster.crm.simple.model.ClusterOptions;
import org.ringmaster.crm.simple.model.Clone;
import org.ringmaster.crm.simple.model.Meta;
import org.ringmaster.crm.simple.model.NoQuorumPolicy;
import org.ringmaster.crm.simple.model.Operation;
import org.ringmaster.crm.simple.model.Role;

/** The reactions a failed operation's on-fail asks for, with Pacemaker's meaning. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class OnFailTest {
    private static final long MON = 10_000;

    /** a on n1 with a failed 10 s monitor whose on-fail is {@code onFail} (null = default); b also on n1. */
    private static Fixture monitorFailed(String onFail) {
        Fixture f = Fixture.nodes("n1", "n2").failedOp("a", "n1", "monitor", MON, 0, Role.STARTED)
                .running("b", "n1");
        f.config.resource(dummyWithOps("a", meta("resource-stickiness", "100"),
                "monitor/" + MON + "/null/" + onFail)).resource(dummy("b", "resource-stickiness", "100"));
        return f;
    }

    private static java.util.List<String> actions(Transition t) {
        return t.actions().stream().map(Action::describe).toList();
    }

    @Test
    void restartIsTheDefaultAndRestartsInPlace() {
        for (String onFail : new String[] {"null", "restart", "restart-container"}) {
            Transition t = monitorFailed(onFail).decide();
            assertThat(where(t, "a")).as(onFail).isEqualTo("n1");
            assertThat(actions(t)).as(onFail).containsSubsequence("stop a on n1", "start a on n1",
                    "monitor a on n1 interval=10000ms");
        }
    }

    @Test
    void ignorePretendsNothingFailedAndItsFailCountDoesNotCount() {
        Fixture f = monitorFailed("ignore").attribute("n1", "fail-count-a#monitor_10000", "7");
        f.config.defaults(meta("migration-threshold", "1"));
        Transition t = f.decide();
        assertThat(where(t, "a")).isEqualTo("n1");
        assertThat(actions(t)).noneMatch(s -> s.contains(" a on "));
    }

    @Test
    void aFailCountOfAnotherOperationStillCountsUnderIgnore() {
        Fixture f = monitorFailed("ignore").attribute("n1", "fail-count-a#start_0", "INFINITY");
        assertThat(where(f.decide(), "a")).isEqualTo("n2");
    }

    @Test
    void blockLeavesTheResourceWhereItIsWithNoActions() {
        Fixture f = monitorFailed("block");
        f.config.location("a", "n2", 1000);
        Transition t = f.decide();
        assertThat(where(t, "a")).isEqualTo("n1");
        assertThat(actions(t)).noneMatch(s -> s.contains(" a on "));
        assertThat(t.fenced()).isEmpty();
    }

    @Test
    void stopStopsItAndStartsItNowhere() {
        Transition t = monitorFailed("stop").decide();
        assertThat(where(t, "a")).isEqualTo("Stopped");
        assertThat(where(t, "b")).isEqualTo("n1");
        assertThat(actions(t)).contains("stop a on n1").noneMatch(s -> s.startsWith("start a"));
    }

    @Test
    void standbyMovesEverythingOffTheNodeWhereItFailed() {
        Transition t = monitorFailed("standby").decide();
        assertThat(where(t, "a")).isEqualTo("n2");
        assertThat(where(t, "b")).isEqualTo("n2");
        assertThat(t.fenced()).isEmpty();
        assertThat(actions(t)).containsSubsequence("stop a on n1", "start a on n2")
                .containsSubsequence("stop b on n1", "start b on n2");
    }

    @Test
    void fenceFencesTheNodeBeforeRecoveringElsewhere() {
        Transition t = monitorFailed("fence").decide();
        assertThat(t.fenced()).containsExactly("n1");
        assertThat(where(t, "a")).isEqualTo("n2");
        assertThat(where(t, "b")).isEqualTo("n2");
        assertThat(actions(t).get(0)).isEqualTo("fence n1");
        assertThat(actions(t)).doesNotContain("stop a on n1", "stop b on n1");
    }

    @Test
    void fenceWithoutFencingStopsTheResource() {
        Fixture f = monitorFailed("fence").options(new ClusterOptions(NoQuorumPolicy.STOP, false, true, true, true));
        Transition t = f.decide();
        assertThat(t.fenced()).isEmpty();
        assertThat(where(t, "a")).isEqualTo("Stopped");
        assertThat(where(t, "b")).isEqualTo("n1");
    }

    @Test
    void demoteDemotesAFailedPromotedInstanceInPlaceAndPromotesAnother() {
        Fixture f = Fixture.nodes("n1", "n2").attribute("n1", "master-db", "10").attribute("n2", "master-db", "5")
                .failedOp("db:0", "n1", "monitor", 5_000, 0, Role.PROMOTED).running("db:1", "n2");
        f.config.resource(new Clone("ms", dummyWithOps("db", Meta.EMPTY, "monitor/5000/Promoted/demote",
                "monitor/6000/Unpromoted/null"), meta("promotable", "true")));
        Transition t = f.decide();
        assertThat(t.placement("db:0").orElseThrow().role()).isEqualTo(Role.UNPROMOTED);
        assertThat(where(t, "db:0")).isEqualTo("n1");
        assertThat(t.placement("db:1").orElseThrow().role()).isEqualTo(Role.PROMOTED);
        assertThat(actions(t)).contains("demote db:0 on n1", "promote db:1 on n2")
                .doesNotContain("stop db:0 on n1", "start db:0 on n1");
    }

    @Test
    void demoteOnANonPromotedOperationMeansRestart() {
        Transition t = monitorFailed("demote").decide();
        assertThat(actions(t)).containsSubsequence("stop a on n1", "start a on n1");
    }

    @Test
    void aFailedStopWithOnFailBlockIsNotFencedButBlocked() {
        Fixture f = Fixture.nodes("n1", "n2").failedOp("a", "n1", "stop", 0, 0, Role.STARTED);
        f.config.resource(dummyWithOps("a", Meta.EMPTY, "stop/0/null/block")).location("a", "n2", 100);
        Transition t = f.decide();
        assertThat(t.fenced()).isEmpty();
        assertThat(where(t, "a")).isEqualTo("n1");
        assertThat(actions(t)).noneMatch(s -> s.contains(" a on "));
    }

    @Test
    void aFailedStopWithOnFailIgnoreCountsAsStopped() {
        Fixture f = Fixture.nodes("n1", "n2").failedOp("a", "n1", "stop", 0, 0, Role.STARTED);
        f.config.resource(dummyWithOps("a", Meta.EMPTY, "stop/0/null/ignore")).location("a", "n2", 100);
        Transition t = f.decide();
        assertThat(t.fenced()).isEmpty();
        assertThat(where(t, "a")).isEqualTo("n2");
        assertThat(actions(t)).contains("start a on n2").doesNotContain("stop a on n1");
    }

    @Test
    void aFailedStopFencesByDefault() {
        Fixture f = Fixture.nodes("n1", "n2").failedOp("a", "n1", "stop", 0, 0, Role.STARTED);
        f.config.resource(dummyWithOps("a", Meta.EMPTY, "stop/0/null/null"));
        Transition t = f.decide();
        assertThat(t.fenced()).containsExactly("n1");
        assertThat(where(t, "a")).isEqualTo("n2");
    }

    @Test
    void anUnknownOnFailIsRefusedNamingTheOperation() {
        assertThatThrownBy(() -> new Operation("monitor", MON, null, "reboot"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("op monitor").hasMessageContaining("on-fail 'reboot'");
    }
}
