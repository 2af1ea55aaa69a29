package org.ringmaster.crm.simple.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ringmaster.crm.simple.policy.Action;
import org.ringmaster.membership.ConfigurationChange;

/**
 * A fencing of a node that succeeded while the node is still a member (a device that reported success without
 * taking it down): the node itself is told to take itself out; the others keep its record until it does.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class FencedWhileMemberTest {
    private final List<String> fenced = new ArrayList<>();

    /** Node {@code id}'s state machine in a synced configuration {1, 2} (DC 1). */
    private ReplicatedState synced(int id) {
        ReplicatedState s = new ReplicatedState(id, n -> "n" + n, new ReplicatedState.Effects() {
            @Override public void run(long tid, Action action) { }
            @Override public void running(long tid, int idx) { }
            @Override public void commandApplied(int sender, long requestId, int exitCode, String text) { }
            @Override public void synced() { }
            @Override public void ownRecordChanged() { }
            @Override public void fencedWhileMember(String detail) { fenced.add("n" + id + ": " + detail); }
        }, ConfigDocument.EMPTY, List.of(), 1);
        s.onConfigurationChange(new ConfigurationChange(ConfigurationChange.Kind.REGULAR, 8, 1, new int[] {1, 2},
                new int[0], new int[0], ConfigurationChange.Reason.START));
        s.apply(1, new CrmMessage.Sync(8, ConfigDocument.EMPTY, List.of(NodeRecord.fresh("n1", true)), 1));
        s.apply(2, new CrmMessage.Sync(8, ConfigDocument.EMPTY, List.of(NodeRecord.fresh("n2", true)), 1));
        assertThat(s.synced()).isTrue();
        return s;
    }

    @Test
    void theFencedMemberIsToldToTakeItselfOut() {
        ReplicatedState n2 = synced(2);
        n2.apply(1, new CrmMessage.Fenced(3, 0, "n2", true, "reboot n2 by n1 via power"));
        assertThat(fenced).containsExactly("n2: reboot n2 by n1 via power");
    }

    @Test
    void nobodyElseIsAndAFailedFencingTellsNobody() {
        ReplicatedState n1 = synced(1);
        n1.apply(1, new CrmMessage.Fenced(3, 0, "n2", true, "reboot n2 by n1 via power"));
        ReplicatedState n2 = synced(2);
        n2.apply(1, new CrmMessage.Fenced(3, 0, "n2", false, "device failed"));
        assertThat(fenced).isEmpty();
    }
}
