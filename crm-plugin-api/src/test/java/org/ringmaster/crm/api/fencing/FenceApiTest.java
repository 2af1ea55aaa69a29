package org.ringmaster.crm.api.fencing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class FenceApiTest {

    @Test
    void actionsParseTheAgentNames() {
        assertThat(FenceAction.parse("OFF")).isEqualTo(FenceAction.OFF);
        assertThat(FenceAction.parse(" reboot ")).isEqualTo(FenceAction.REBOOT);
        assertThat(FenceAction.ON.agentName()).isEqualTo("on");
        assertThatThrownBy(() -> FenceAction.parse("shoot"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'shoot'");
        assertThatThrownBy(() -> FenceAction.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void statusCodesRoundTrip() {
        for (FenceStatus s : FenceStatus.values()) {
            assertThat(FenceStatus.fromCode(s.code())).isEqualTo(s);
        }
        assertThatThrownBy(() -> FenceStatus.fromCode(99)).hasMessageContaining("99");
    }

    @Test
    void requestRejectsBlankTargetAndNulls() {
        assertThatThrownBy(() -> new FenceRequest(" ", FenceAction.OFF, "")).hasMessageContaining("blank");
        assertThatThrownBy(() -> new FenceRequest("n1", null, "")).isInstanceOf(NullPointerException.class);
        assertThat(FenceRequest.reboot("n2", "lost").action()).isEqualTo(FenceAction.REBOOT);
        assertThat(FenceRequest.off("n2", "lost").target()).isEqualTo("n2");
    }

    @Test
    void resultDescribesItself() {
        FenceResult r = new FenceResult(7, "node2", FenceAction.REBOOT, FenceStatus.SUCCEEDED, "node3", "node1",
            "ipmi-node2", "", Instant.EPOCH);
        assertThat(r.succeeded()).isTrue();
        assertThat(r.toString()).isEqualTo("#7 reboot node2 (asked by node3) by node1 via ipmi-node2: SUCCEEDED");
        FenceResult refused = new FenceResult(8, "node2", FenceAction.OFF, FenceStatus.REFUSED, "node3", "", "",
            "no quorum", Instant.EPOCH);
        assertThat(refused.succeeded()).isFalse();
        assertThat(refused.toString()).endsWith(": REFUSED: no quorum");
    }
}
