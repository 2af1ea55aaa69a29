package org.ringmaster.crm.simple.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ringmaster.crm.simple.policy.Fixture.dummy;
import static org.ringmaster.crm.simple.policy.Fixture.dummyWithOps;
import static org.ringmaster.crm.simple.policy.Fixture.meta;
import static org.ringmaster.crm.simple.policy.Fixture.where;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ringmaster.crm.simple.model.Role;

/** failure-timeout: fail-counts (and the failures in the history) expire at the decision's "now". */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class FailureTimeoutTest {
    private static final long FAILED_AT = 1_700_000_000L;

    /** a ran on n1, its monitor failed at FAILED_AT three times; migration-threshold 3, failure-timeout 60s. */
    private static Fixture failedThrice(Instant now) {
        Fixture f = Fixture.nodes("n1", "n2").failedOp("a", "n1", "monitor", 10_000, FAILED_AT, Role.STARTED)
                .attribute("n1", "fail-count-a#monitor_10000", "3")
                .attribute("n1", "last-failure-a#monitor_10000", Long.toString(FAILED_AT)).at(now);
        f.config.resource(dummyWithOps("a", meta("migration-threshold", "3", "failure-timeout", "60s",
                "resource-stickiness", "100"), "monitor/10000/null/null")).location("a", "n1", 50);
        return f;
    }

    @Test
    void beforeTheTimeoutTheFailCountBansTheNode() {
        Transition t = failedThrice(Instant.ofEpochSecond(FAILED_AT + 30)).decide();
        assertThat(where(t, "a")).isEqualTo("n2");
    }

    @Test
    void afterTheTimeoutTheFailuresAreForgotten() {
        Transition t = failedThrice(Instant.ofEpochSecond(FAILED_AT + 61)).decide();
        assertThat(where(t, "a")).isEqualTo("n1");
        // the expired monitor failure needs no recovery either
        assertThat(t.actions()).noneMatch(a -> a.resource() != null && a.resource().equals("a"));
    }

    @Test
    void withoutAKnownNowNothingExpires() {
        Transition t = failedThrice(null).decide();
        assertThat(where(t, "a")).isEqualTo("n2");
    }

    @Test
    void withoutFailureTimeoutFailCountsNeverExpire() {
        Fixture f = Fixture.nodes("n1", "n2").attribute("n1", "fail-count-a#monitor_10000", "3")
                .attribute("n1", "last-failure-a#monitor_10000", Long.toString(FAILED_AT))
                .at(Instant.ofEpochSecond(FAILED_AT + 1_000_000));
        f.config.resource(dummy("a", "migration-threshold", "3")).location("a", "n1", 50);
        assertThat(where(f.decide(), "a")).isEqualTo("n2");
    }

    @Test
    void theLatestFailureOfAnyOperationCounts() {
        Fixture f = failedThrice(Instant.ofEpochSecond(FAILED_AT + 61))
                .attribute("n1", "last-failure-a#start_0", Long.toString(FAILED_AT + 40));
        assertThat(where(f.decide(), "a")).isEqualTo("n2");
    }

    @Test
    void aBrokenFailureTimeoutNamesTheResource() {
        Fixture f = Fixture.nodes("n1").failedOp("a", "n1", "monitor", 10_000, FAILED_AT, Role.STARTED)
                .at(Instant.ofEpochSecond(FAILED_AT));
        f.config.resource(dummy("a", "failure-timeout", "soon"));
        assertThatThrownBy(f::decide).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a meta failure-timeout").hasMessageContaining("'soon'");
    }

    @Test
    void anExpiredFailCountIsReportedForClearingAndAPendingOneGivesTheNextBoundary() {
        Transition before = failedThrice(Instant.ofEpochSecond(FAILED_AT + 30)).decide();
        assertThat(before.expiredFailures()).isEmpty();
        assertThat(before.recheckBy()).isEqualTo(Instant.ofEpochSecond(FAILED_AT + 60));
        Transition after = failedThrice(Instant.ofEpochSecond(FAILED_AT + 60)).decide();
        assertThat(after.expiredFailures()).containsExactly(new Transition.ExpiredFailure("n1", "a", FAILED_AT));
        assertThat(after.recheckBy()).isNull();
        assertThat(where(after, "a")).isEqualTo("n1");
    }

    @Test
    void withoutAFailureTimeNothingIsReportedOrAwaited() {
        Fixture f = Fixture.nodes("n1", "n2").attribute("n1", "fail-count-a", "3")
                .at(Instant.ofEpochSecond(FAILED_AT + 1_000_000));
        f.config.resource(dummy("a", "migration-threshold", "3", "failure-timeout", "60"));
        Transition t = f.decide();
        assertThat(t.expiredFailures()).isEmpty();
        assertThat(t.recheckBy()).isNull();
    }
}
