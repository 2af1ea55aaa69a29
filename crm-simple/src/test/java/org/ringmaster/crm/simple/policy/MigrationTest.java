package org.ringmaster.crm.simple.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ringmaster.crm.simple.policy.Fixture.dummy;
import static org.ringmaster.crm.simple.policy.Fixture.dummyWithOps;
import static org.ringmaster.crm.simple.policy.Fixture.meta;
import static org.ringmaster.crm.simple.policy.Fixture.where;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ringmaster.crm.simple.model.Group;
import org.ringmaster.crm.simple.model.OrderConstraint;

/** allow-migrate: migrate_to / migrate_from instead of stop / start when a healthy resource moves. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class MigrationTest {
    private static List<String> actions(Transition t) {
        return t.actions().stream().map(Action::describe).toList();
    }

    /** vm runs on n1 and is moved to n2 by a stronger location preference. */
    private static Fixture moving(String allowMigrate) {
        Fixture f = Fixture.nodes("n1", "n2").running("vm", "n1");
        f.config.resource(dummyWithOps("vm", meta("allow-migrate", allowMigrate), "monitor/10000/null/null"))
                .location("vm", "n2", 100);
        return f;
    }

    @Test
    void aMovingMigratableResourceMigrates() {
        Transition t = moving("true").decide();
        assertThat(where(t, "vm")).isEqualTo("n2");
        assertThat(actions(t)).containsExactly("migrate_to vm on n1", "migrate_from vm on n2", "stop vm on n1",
                "monitor vm on n2 interval=10000ms");
        Action from = t.actions().get(1);
        Action stop = t.actions().get(2);
        assertThat(from.after()).containsExactly(0);
        assertThat(stop.after()).contains(1);
        assertThat(t.actions().get(3).after()).containsExactly(1);
    }

    @Test
    void withoutAllowMigrateItStopsAndStarts() {
        Transition t = moving("false").decide();
        assertThat(actions(t)).containsSubsequence("stop vm on n1", "start vm on n2")
                .noneMatch(s -> s.startsWith("migrate"));
    }

    @Test
    void aFailedResourceIsRecoveredNotMigrated() {
        Fixture f = Fixture.nodes("n1", "n2").failed("vm", "n1").attribute("n1", "fail-count-vm#monitor_10000",
                "INFINITY");
        f.config.resource(dummy("vm", "allow-migrate", "true"));
        Transition t = f.decide();
        assertThat(where(t, "vm")).isEqualTo("n2");
        assertThat(actions(t)).containsSubsequence("stop vm on n1", "start vm on n2")
                .noneMatch(s -> s.startsWith("migrate"));
    }

    @Test
    void fromALostNodeItStartsAfterFencing() {
        Fixture f = Fixture.nodes("n1", "n2").running("vm", "n1").lost("n1");
        f.config.resource(dummy("vm", "allow-migrate", "true"));
        Transition t = f.decide();
        assertThat(actions(t)).containsExactly("fence n1", "start vm on n2");
    }

    @Test
    void groupMembersDoNotMigrate() {
        Fixture f = Fixture.nodes("n1", "n2").running("g1", "n1");
        f.config.resource(new Group("g", List.of(dummy("g1", "allow-migrate", "true")), meta()))
                .location("g", "n2", 100);
        assertThat(actions(f.decide())).containsSubsequence("stop g1 on n1", "start g1 on n2");
    }

    @Test
    void aMigrationWaitsForWhatItsStartIsOrderedAfter() {
        Fixture f = moving("true");
        f.config.resource(dummy("storage")).order("storage", "vm", OrderConstraint.Kind.MANDATORY);
        Transition t = f.decide();
        List<String> a = actions(t);
        int storage = a.indexOf("start storage on n1") >= 0 ? a.indexOf("start storage on n1")
                : a.indexOf("start storage on n2");
        int to = a.indexOf("migrate_to vm on n1");
        assertThat(storage).isNotNegative();
        assertThat(to).isGreaterThan(storage);
        assertThat(t.actions().get(to).after()).contains(storage);
        assertThat(t.actions().get(a.indexOf("migrate_from vm on n2")).after()).contains(storage, to);
    }
}
