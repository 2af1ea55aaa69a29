package org.ringmaster.daemon.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The {@code crmstatus} answer parsed: every kind of line, unknown kinds skipped, broken lines named. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class CrmStatusTest {

    @Test
    void parsesEveryKindOfLine() throws Exception {
        CrmStatus s = CrmStatus.parse(List.of("crm\trunning", "dc\tn1", "quorate\tyes", "synced\tyes", "epoch\t4",
                "transition\t", "node\tn1\tonline\t-\t-\tpingd\t200", "node\tn2\tlost\tstandby\t-",
                "resource\tip\tbuiltin:vip\tsvc\tStarted\tn1", "resource\tweb\tbuiltin:process\tsvc\tStopped\t",
                "failed\tweb\tn2\tmonitor/2000ms\t7", "failcount\tweb\tn2\t1", "some-future-kind\tx",
                "fencing\tn2\treboot\tSUCCEEDED\tn1\td1\t2026-01-01T00:00:00Z\tok"));
        assertThat(s.running()).isTrue();
        assertThat(s.dc()).isEqualTo("n1");
        assertThat(s.epoch()).isEqualTo(4);
        assertThat(s.nodes()).containsExactly(new CrmStatus.Node("n1", "online", false, false, Map.of("pingd", "200")),
                new CrmStatus.Node("n2", "lost", true, false, Map.of()));
        assertThat(s.runningOn("ip")).containsExactly("n1");
        assertThat(s.runningOn("web")).isEmpty();
        assertThat(s.failures()).containsExactly(new CrmStatus.Failure("web", "n2", "monitor/2000ms", 7));
        assertThat(s.failCounts()).containsExactly(new CrmStatus.FailCount("web", "n2", "1"));
        assertThat(s.fencing()).singleElement().extracting(CrmStatus.Fencing::status).isEqualTo("SUCCEEDED");
        assertThat(s.toMap()).containsEntry("dc", "n1").containsKeys("nodes", "resources", "failed_actions",
                "fail_counts", "fencing");
        assertThat(CrmStatus.parse(List.of("crm\tnone")).toMap()).containsOnlyKeys("running");
    }

    @Test
    void aBrokenLineIsNamed() {
        assertThatThrownBy(() -> CrmStatus.parse(List.of("crm\trunning", "failed\tweb\tn2\tmonitor\tseven")))
                .isInstanceOf(ClientException.class).hasMessageContaining("'failed\tweb\tn2\tmonitor\tseven'");
        assertThatThrownBy(() -> CrmStatus.parse(List.of("resource\tonly-two")))
                .isInstanceOf(ClientException.class).hasMessageContaining("resource");
    }
}
