package org.ringmaster.fencing.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class AgentParamsTest {

    @Test
    void secretNamesAreRecognised() {
        for (String n : new String[] {"password", "passwd", "snmp_priv_passwd", "community", "hexadecimal_kg",
            "secret_key", "access_key", "token", "api-key"}) {
            assertThat(AgentParams.isSecret(n)).as(n).isTrue();
        }
        for (String n : new String[] {"ip", "username", "plug", "password_script", "passwd_script", "ssl"}) {
            assertThat(AgentParams.isSecret(n)).as(n).isFalse();
        }
    }

    @Test
    void toStringMasksSecretsAndNamesAreNormalised() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("IP", "10.0.0.5");
        m.put("snmp-priv-passwd", "topsecret");
        AgentParams p = AgentParams.of(m);
        assertThat(p.names()).containsExactly("ip", "snmp_priv_passwd");
        assertThat(p.toString()).isEqualTo("{ip=10.0.0.5, snmp_priv_passwd=******}");
        assertThat(p.redact("bad community topsecret!")).isEqualTo("bad community ******!");
    }

    @Test
    void stdinHasActionFirstAndTheLastValueWins() {
        AgentParams p = AgentParams.empty().with("action", "ignored").with("ip", "a").with("ip", "b");
        assertThat(new String(p.toStdin(AgentAction.LIST_STATUS), StandardCharsets.UTF_8))
            .isEqualTo("action=list-status\nip=b\n");
    }

    @Test
    void lineBreaksInValuesCannotInjectParameters() {
        assertThatThrownBy(() -> AgentParams.empty().with("plug", "node2\naction=on"))
            .hasMessageContaining("'plug' has a line break");
        assertThatThrownBy(() -> AgentParams.empty().with("bad name", "x"))
            .hasMessageContaining("bad fence agent parameter name 'bad name'");
        assertThat(AgentAction.parse("validate_all")).isEqualTo(AgentAction.VALIDATE_ALL);
        assertThatThrownBy(() -> AgentAction.parse("explode")).hasMessageContaining("'explode'");
    }
}
