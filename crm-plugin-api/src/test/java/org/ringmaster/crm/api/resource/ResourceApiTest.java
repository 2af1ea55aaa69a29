package org.ringmaster.crm.api.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ResourceApiTest {

    @Test
    void agentIdsParseLikePacemaker() {
        ResourceAgentId ocf = ResourceAgentId.parse("ocf:heartbeat:IPaddr2");
        assertThat(ocf.agentClass()).isEqualTo("ocf");
        assertThat(ocf.provider()).isEqualTo("heartbeat");
        assertThat(ocf.type()).isEqualTo("IPaddr2");
        assertThat(ocf.providerIfAny()).contains("heartbeat");
        assertThat(ocf).hasToString("ocf:heartbeat:IPaddr2");
        ResourceAgentId lsb = ResourceAgentId.parse("LSB:nginx");
        assertThat(lsb.agentClass()).isEqualTo("lsb");
        assertThat(lsb.providerIfAny()).isEmpty();
        assertThat(lsb).hasToString("lsb:nginx");
        assertThat(ResourceAgentId.parse("ocf:pacemaker:Dummy")).isEqualTo(new ResourceAgentId("ocf", "pacemaker", "Dummy"));
    }

    @Test
    void malformedAgentIdsNameTheText() {
        assertThatThrownBy(() -> ResourceAgentId.parse("Dummy")).hasMessageContaining("bad resource agent 'Dummy'");
        assertThatThrownBy(() -> ResourceAgentId.parse("ocf:a:b:c")).hasMessageContaining("'ocf:a:b:c'");
        assertThatThrownBy(() -> ResourceAgentId.parse("ocf:heartbeat:")).hasMessageContaining("type is empty");
        assertThatThrownBy(() -> ResourceAgentId.parse("ocf:../x:Dummy")).hasMessageContaining("contains '/'");
        assertThatThrownBy(() -> ResourceAgentId.parse("lsb:..")).hasMessageContaining("is not a name");
        assertThatThrownBy(() -> ResourceAgentId.parse("lsb:a b")).hasMessageContaining("contains ' '");
    }

    @Test
    void operationsValidateAndCopy() {
        ResourceAgentId dummy = ResourceAgentId.parse("ocf:heartbeat:Dummy");
        Map<String, String> params = new HashMap<>(Map.of("state", "/tmp/x"));
        ResourceOperation op = ResourceOperation.of("web", dummy, ResourceOperation.MONITOR, params);
        params.put("state", "changed");
        assertThat(op.parameters()).containsExactly(Map.entry("state", "/tmp/x"));
        assertThat(op.isRecurring()).isFalse();
        assertThat(op.timeout()).isZero();
        ResourceOperation rec = op.withInterval(Duration.ofSeconds(10)).withTimeout(Duration.ofSeconds(20));
        assertThat(rec.isRecurring()).isTrue();
        assertThat(rec.key()).isEqualTo("web_monitor_10000");
        assertThat(rec.withMeta(Map.of("notify", "true")).meta()).containsEntry("notify", "true");
        assertThatThrownBy(() -> ResourceOperation.of("a/b", dummy, "start", Map.of())).hasMessageContaining("resourceId 'a/b'");
        assertThatThrownBy(() -> ResourceOperation.of("w", dummy, "st art", Map.of())).hasMessageContaining("action 'st art'");
        assertThatThrownBy(() -> op.withTimeout(Duration.ofSeconds(-1))).hasMessageContaining("timeout PT-1S for web monitor");
        assertThatThrownBy(() -> op.withInterval(Duration.ofSeconds(-1))).hasMessageContaining("interval");
        assertThatThrownBy(() -> ResourceOperation.of("w", dummy, "start", Map.of("", "x")))
            .hasMessageContaining("parameters contains a null or empty key");
    }

    @Test
    void resultsDescribeThemselves() {
        ResourceOperation op = ResourceOperation.of("web", ResourceAgentId.parse("ocf:heartbeat:Dummy"), "monitor",
            Map.of());
        OperationResult r = new OperationResult(7, op, OperationStatus.DONE, 7, "", Duration.ofMillis(12), "",
            Instant.EPOCH);
        assertThat(r.is(OcfExitCode.NOT_RUNNING)).isTrue();
        assertThat(r.isDone()).isTrue();
        assertThat(r.resourceId()).isEqualTo("web");
        assertThat(r).hasToString("web monitor (ocf:heartbeat:Dummy): DONE rc=7 (NOT_RUNNING) in 12 ms");
        OperationResult t = new OperationResult(8, op.withInterval(Duration.ofSeconds(5)), OperationStatus.TIMED_OUT,
            1, "killed", Duration.ofSeconds(20), "", Instant.EPOCH);
        assertThat(t.is(OcfExitCode.ERR_GENERIC)).isFalse();
        assertThat(t.toString()).contains("monitor/5000ms").contains("TIMED_OUT rc=1 (ERR_GENERIC)").endsWith(": killed");
    }

    @Test
    void exitCodes() {
        assertThat(OcfExitCode.of(8)).isEqualTo(OcfExitCode.RUNNING_PROMOTED);
        assertThat(OcfExitCode.of(191)).isEqualTo(OcfExitCode.DEGRADED_PROMOTED);
        assertThat(OcfExitCode.of(42)).isNull();
        assertThat(OcfExitCode.describe(42)).isEqualTo("42 (unknown)");
        for (int rc = 0; rc <= 9; rc++) {
            assertThat(OcfExitCode.of(rc).code()).isEqualTo(rc);
        }
    }
}
