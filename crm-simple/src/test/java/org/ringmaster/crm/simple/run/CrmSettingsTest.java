package org.ringmaster.crm.simple.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class CrmSettingsTest {
    @Test
    void defaults() {
        CrmSettings s = CrmSettings.from(Map.of("plugin", "simple"));
        assertThat(s).isEqualTo(CrmSettings.defaults());
        assertThat(s.configFile()).isNull();
        assertThat(s.actionTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(s.timeoutMargin()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.fenceTimeout()).isEqualTo(Duration.ofSeconds(180));
        assertThat(s.retryDelay()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void readsEverySetting() {
        CrmSettings s = CrmSettings.from(Map.of("config", "/etc/ringmaster/cib.xml", "action-timeout", "30",
                "timeout-margin", "500ms", "fence-timeout", "2m", "retry-delay", "1h"));
        assertThat(s.configFile()).isEqualTo(Path.of("/etc/ringmaster/cib.xml"));
        assertThat(s.actionTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.timeoutMargin()).isEqualTo(Duration.ofMillis(500));
        assertThat(s.fenceTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(s.retryDelay()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void badSettingsNameTheKey() {
        assertThatThrownBy(() -> CrmSettings.from(Map.of("action-timout", "5s")))
                .hasMessageContaining("crm.action-timout").hasMessageContaining("unknown");
        assertThatThrownBy(() -> CrmSettings.from(Map.of("action-timeout", "soon")))
                .hasMessageContaining("crm.action-timeout = soon");
        assertThatThrownBy(() -> CrmSettings.from(Map.of("retry-delay", "0s")))
                .hasMessageContaining("crm.retry-delay").hasMessageContaining("positive");
        assertThatThrownBy(() -> CrmSettings.from(Map.of("config", " "))).hasMessageContaining("crm.config");
    }
}
