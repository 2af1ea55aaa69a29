package org.ringmaster.agents;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AgentCommandsTest {
    @TempDir
    Path dir;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    AgentCommands commands;

    @BeforeEach
    void setUp() {
        TestHost.script(dir.resolve("ocf/resource.d/acme"), "Widget", """
            case "$1" in
              meta-data) echo '<resource-agent name="Widget"><parameters><parameter name="size" required="1"><content type="integer"/></parameter></parameters></resource-agent>'; exit 0;;
              start) echo "widget of size $OCF_RESKEY_size for $OCF_RESOURCE_INSTANCE"; exit 0;;
              monitor) echo "ocf-exit-reason:widget is broken" >&2; exit 1;;
            esac
            exit 3
            """);
        AgentCatalog catalog = new AgentCatalog(AgentsConfig.defaults().withOcfRoot(dir.resolve("ocf"))
            .withLsbDirectory(dir.resolve("init.d")).withHeartbeatDirectories(List.of())
            .withStateDirectory(dir.resolve("state")));
        commands = new AgentCommands(catalog, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void listsAgents() {
        assertThat(commands.list()).isZero();
        assertThat(out().lines()).contains("ocf:acme:Widget", "builtin:dummy", "builtin:process", "builtin:vip");
    }

    @Test
    void printsMetaData() {
        assertThat(commands.meta("ocf:acme:Widget")).isZero();
        assertThat(out()).contains("<resource-agent name=\"Widget\">");
        assertThat(commands.meta("ocf:acme:Gadget")).isEqualTo(5);
        assertThat(err()).contains("ocf:acme:Gadget is not installed");
        assertThat(commands.meta("nonsense")).isEqualTo(AgentCommands.USAGE);
    }

    @Test
    void runsOneActionAndExitsWithItsCode() {
        assertThat(commands.run("builtin:dummy", "monitor", List.of(), "d", Duration.ZERO)).isEqualTo(7);
        assertThat(commands.run("ocf:acme:Widget", "start", List.of("size=3"), "w1", Duration.ofSeconds(5))).isZero();
        assertThat(out()).contains("widget of size 3 for w1").contains("ocf:acme:Widget start: rc=0 (SUCCESS)");
        assertThat(commands.run("ocf:acme:Widget", "monitor", List.of("size=3"), "w1", Duration.ZERO)).isEqualTo(1);
        assertThat(err()).contains("ocf:acme:Widget monitor: rc=1 (ERR_GENERIC)").contains("(widget is broken)");
        assertThat(commands.run("ocf:acme:Widget", "start", List.of(), "w1", Duration.ZERO)).isEqualTo(6);
        assertThat(err()).contains("INVALID rc=6").contains("missing required parameter 'size'");
        assertThat(commands.run("ocf:acme:Widget", "start", List.of("size"), "w1", Duration.ZERO))
            .isEqualTo(AgentCommands.USAGE);
        assertThat(err()).contains("bad parameter 'size': expected key=value");
    }
}
