package org.ringmaster.crm.simple.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ringmaster.crm.simple.policy.Fixture.dummy;
import static org.ringmaster.crm.simple.policy.Fixture.where;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ringmaster.crm.simple.model.FailoverDomain;

/** rgmanager-style failover domains: the 3+1 layout (services on a, b, c; spare d). */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class FailoverDomainTest {
    private static Fixture threePlusOne(boolean nofailback) {
        Fixture f = Fixture.nodes("a", "b", "c", "d", "e");
        f.config.resource(dummy("svcA")).resource(dummy("svcB")).resource(dummy("svcC"))
                .failoverDomain(new FailoverDomain("fdA", List.of("a", "d"), true, true, nofailback, List.of("svcA")))
                .failoverDomain(new FailoverDomain("fdB", List.of("b", "d"), true, true, nofailback, List.of("svcB")))
                .failoverDomain(new FailoverDomain("fdC", List.of("c", "d"), true, true, nofailback, List.of("svcC")));
        return f;
    }

    @Test
    void everyServiceOnItsPreferredNode() {
        Transition t = threePlusOne(false).decide();
        assertThat(List.of(where(t, "svcA"), where(t, "svcB"), where(t, "svcC"))).containsExactly("a", "b", "c");
    }

    @Test
    void anyOneNodeFailingSendsItsServiceToTheSpare() {
        for (String lost : List.of("a", "b", "c")) {
            String svc = "svc" + lost.toUpperCase();
            Fixture f = threePlusOne(false).running("svcA", "a").running("svcB", "b").running("svcC", "c").lost(lost);
            Transition t = f.decide();
            assertThat(where(t, svc)).as("%s after %s failed", svc, lost).isEqualTo("d");
            assertThat(t.placements()).filteredOn(p -> p.node() != null).extracting(InstancePlacement::node)
                    .doesNotHaveDuplicates();
        }
    }

    @Test
    void restrictedDomainNeverPlacesOutside() {
        // a and d both down: svcA may not go to b, c or e
        Fixture f = threePlusOne(false).running("svcA", "a").lost("a").lost("d");
        assertThat(where(f.decide(), "svcA")).isEqualTo("Stopped");
    }

    @Test
    void failbackWithoutNofailbackButNotWithIt() {
        Fixture back = threePlusOne(false).running("svcA", "d").running("svcB", "b").running("svcC", "c");
        assertThat(where(back.decide(), "svcA")).isEqualTo("a");

        Fixture stay = threePlusOne(true).running("svcA", "d").running("svcB", "b").running("svcC", "c");
        assertThat(where(stay.decide(), "svcA")).isEqualTo("d");
    }

    @Test
    void unrestrictedDomainFallsBackToAnyNode() {
        Fixture f = Fixture.nodes("a", "b", "c").lost("a").lost("b");
        f.config.resource(dummy("svc"))
                .failoverDomain(new FailoverDomain("fd", List.of("a", "b"), true, false, false, List.of("svc")));
        assertThat(where(f.decide(), "svc")).isEqualTo("c");
    }
}
