package org.ringmaster.crm.simple.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ringmaster.crm.simple.model.Role;

@Timeout(value = 5, unit = TimeUnit.SECONDS)
class OperationHistoryTest {
    private static OperationRecord op(String name, long interval, int rc, int status, int call, int expected) {
        return new OperationRecord(name, interval, rc, status, call, expected, 0);
    }

    @Test
    void replaysByCallIdNotByListOrder() {
        ResourceState s = OperationHistory.replay("r", "n1", List.of(op("stop", 0, 0, 0, 5, 0),
                op("start", 0, 0, 0, 3, 0), op("monitor", 0, 7, 0, 1, 7)));
        assertThat(s.role()).isEqualTo(Role.STOPPED);
        assertThat(s.failed()).isFalse();
    }

    @Test
    void probeFindingItActiveMeansRunning() {
        ResourceState s = OperationHistory.replay("r", "n1", List.of(op("monitor", 0, 0, 0, 1, 7)));
        assertThat(s.role()).isEqualTo(Role.STARTED);
        assertThat(s.failed()).isFalse();
    }

    @Test
    void failedRecurringMonitorIsAFailureThatStaysActive() {
        ResourceState s = OperationHistory.replay("r", "n1", List.of(op("start", 0, 0, 0, 2, 0),
                op("monitor", 10000, 7, 0, 3, 0)));
        assertThat(s.active()).isTrue();
        assertThat(s.failed()).isTrue();
        assertThat(s.lastFailure().operation()).isEqualTo("monitor");
    }

    @Test
    void failedStopNeedsFencingAndFailedStartIsRemembered() {
        ResourceState stop = OperationHistory.replay("r", "n1", List.of(op("start", 0, 0, 0, 2, 0),
                op("stop", 0, 1, 4, 3, 0)));
        assertThat(stop.stopFailed()).isTrue();
        assertThat(stop.active()).isTrue();
        ResourceState start = OperationHistory.replay("r", "n1", List.of(op("start", 0, 1, 4, 2, 0),
                op("stop", 0, 0, 0, 3, 0)));
        assertThat(start.startFailed()).isTrue();
        assertThat(start.active()).isFalse();
    }

    @Test
    void promoteAndPromotedProbe() {
        assertThat(OperationHistory.replay("r", "n1", List.of(op("start", 0, 0, 0, 1, 0),
                op("promote", 0, 0, 0, 2, 0))).role()).isEqualTo(Role.PROMOTED);
        assertThat(OperationHistory.replay("r", "n1", List.of(op("monitor", 0, 8, 0, 1, 7))).role())
                .isEqualTo(Role.PROMOTED);
    }

    @Test
    void cancelledOperationsAreIgnored() {
        ResourceState s = OperationHistory.replay("r", "n1", List.of(op("start", 0, 0, 0, 1, 0),
                op("monitor", 10000, 1, 1, 2, 0)));
        assertThat(s.failed()).isFalse();
    }
}
