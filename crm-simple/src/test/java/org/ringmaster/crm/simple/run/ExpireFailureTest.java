package org.ringmaster.crm.simple.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ringmaster.crm.simple.policy.Action;
import org.ringmaster.membership.ConfigurationChange;

/** The DC's ExpireFailure: applied only from the DC and only to the failure it saw expire. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ExpireFailureTest {
    private final List<String> ownChanges = new ArrayList<>();

    /** Node 2's state machine in a synced configuration {1, 2} (DC 1); n2 counts 2 failures of web, last at 5000. */
    private ReplicatedState synced() {
        ReplicatedState s = new ReplicatedState(2, id -> "n" + id, new ReplicatedState.Effects() {
            @Override public void run(long tid, Action action) { }
            @Override public void running(long tid, int idx) { }
            @Override public void commandApplied(int sender, long requestId, int exitCode, String text) { }
            @Override public void synced() { }
            @Override public void ownRecordChanged() { ownChanges.add("n2"); }
        }, ConfigDocument.EMPTY, List.of(), 1);
        s.onConfigurationChange(new ConfigurationChange(ConfigurationChange.Kind.REGULAR, 8, 1, new int[] {1, 2},
                new int[0], new int[0], ConfigurationChange.Reason.START));
        NodeRecord mine = s.mine().withFailCount("web", 2, 5_000L);
        s.updateMine(mine);
        s.apply(1, new CrmMessage.Sync(8, ConfigDocument.EMPTY, List.of(NodeRecord.fresh("n1", true)), 1));
        s.apply(2, new CrmMessage.Sync(8, ConfigDocument.EMPTY, List.of(mine), 1));
        assertThat(s.synced()).isTrue();
        assertThat(s.dc()).isEqualTo(1);
        return s;
    }

    @Test
    void theDcClearsTheFailCountEverywhereIncludingTheNodesOwnRecord() {
        ReplicatedState s = synced();
        s.apply(1, new CrmMessage.ExpireFailure("n2", "web", 5_000L));
        assertThat(s.records().get("n2").failCount("web")).isZero();
        assertThat(s.mine().failCount("web")).isZero();
        assertThat(s.mine().failTime("web")).isZero();
        assertThat(ownChanges).as("the node re-announces its record").containsExactly("n2");
    }

    @Test
    void aNewerFailureOrAnotherSenderKeepsIt() {
        ReplicatedState s = synced();
        s.apply(2, new CrmMessage.ExpireFailure("n2", "web", 5_000L));
        assertThat(s.mine().failCount("web")).as("not from the DC").isEqualTo(2);
        s.updateMine(s.mine().withFailCount("web", 3, 9_000L));
        s.apply(1, new CrmMessage.ExpireFailure("n2", "web", 5_000L));
        assertThat(s.mine().failCount("web")).as("a newer failure is counted").isEqualTo(3);
        assertThat(s.mine().failTime("web")).isEqualTo(9_000L);
        assertThat(ownChanges).isEmpty();
    }
}
