package org.ringmaster.agents.ocf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ringmaster.agents.AgentCatalog;
import org.ringmaster.agents.AgentOutcome;
import org.ringmaster.agents.AgentsConfig;
import org.ringmaster.agents.ResourceAgent;
import org.ringmaster.agents.TestHost;
import org.ringmaster.agents.process.ProcessRunner;
import org.ringmaster.agents.process.ProcessSettings;
import org.ringmaster.crm.api.resource.OperationStatus;
import org.ringmaster.crm.api.resource.ResourceAgentId;
import org.ringmaster.crm.api.resource.ResourceOperation;

/** OCF calling conventions against fixture agents in a temporary OCF_ROOT. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OcfAgentTest {
    static final String METADATA = """
        cat <<'XML'
        <?xml version="1.0"?>
        <resource-agent name="envdump"><parameters>
          <parameter name="ip" required="1"><content type="string"/></parameter>
          <parameter name="port"><content type="integer"/></parameter>
        </parameters><actions><action name="start" timeout="7s"/><action name="monitor" timeout="3s"/></actions>
        </resource-agent>
        XML
        """;

    @TempDir
    Path root;
    Path provider;
    AgentCatalog catalog;

    @BeforeEach
    void setUp() {
        provider = root.resolve("resource.d/test");
        catalog = new AgentCatalog(AgentsConfig.defaults().withOcfRoot(root).withStateDirectory(root.resolve("state"))
            .withProcess(ProcessSettings.defaults().withKillGrace(Duration.ofMillis(300))));
    }

    private AgentOutcome run(String type, String action, Map<String, String> params, Duration timeout) throws Exception {
        ResourceAgent a = catalog.resolve(ResourceAgentId.parse("ocf:test:" + type));
        ResourceOperation op = new ResourceOperation("rsc1", a.id(), action, params, Map.of("clone-max", "2"),
            timeout, Duration.ZERO);
        return a.run(op, timeout);
    }

    @Test
    void passesTheFullOcfEnvironment() throws Exception {
        Path out = root.resolve("env.txt");
        TestHost.script(provider, "envdump", """
            if [ "$1" = meta-data ]; then
            %s
            exit 0; fi
            env | sort > %s
            exit 0
            """.formatted(METADATA, out));
        AgentOutcome o = run("envdump", "start", Map.of("ip", "10.0.0.8", "port", "80"), Duration.ofSeconds(9));
        assertThat(o.status()).isEqualTo(OperationStatus.DONE);
        assertThat(o.rc()).isZero();
        Map<String, String> env = new HashMap<>();
        for (String line : Files.readAllLines(out)) {
            int eq = line.indexOf('=');
            env.put(line.substring(0, eq), line.substring(eq + 1));
        }
        assertThat(env).containsEntry("OCF_ROOT", root.toString())
            .containsEntry("OCF_RA_VERSION_MAJOR", "1").containsEntry("OCF_RA_VERSION_MINOR", "1")
            .containsEntry("OCF_RESOURCE_INSTANCE", "rsc1").containsEntry("OCF_RESOURCE_TYPE", "envdump")
            .containsEntry("OCF_RESOURCE_PROVIDER", "test").containsEntry("OCF_RESKEY_ip", "10.0.0.8")
            .containsEntry("OCF_RESKEY_port", "80").containsEntry("OCF_RESKEY_CRM_meta_timeout", "9000")
            .containsEntry("OCF_RESKEY_CRM_meta_interval", "0").containsEntry("OCF_RESKEY_CRM_meta_name", "start")
            .containsEntry("OCF_RESKEY_CRM_meta_clone_max", "2")
            .containsEntry("OCF_EXIT_REASON_PREFIX", "ocf-exit-reason:")
            .containsEntry("PATH", ProcessSettings.DEFAULT_PATH);
        assertThat(env).doesNotContainKey("HOME");
        assertThat(catalog.resolve(ResourceAgentId.parse("ocf:test:envdump")).defaultTimeout("start"))
            .contains(Duration.ofSeconds(7));
    }

    @Test
    void exitCodesAndExitReasonPassThrough() throws Exception {
        TestHost.script(provider, "codes", """
            case "$1" in
              meta-data) echo '<resource-agent name="codes"/>'; exit 0;;
              monitor) exit 7;;
              promote) exit 8;;
              start) echo "ocf-exit-reason:port 80 is taken" >&2; exit 1;;
              notify) exit 42;;
            esac
            exit 3
            """);
        assertThat(run("codes", "monitor", Map.of(), Duration.ofSeconds(5)).rc()).isEqualTo(7);
        assertThat(run("codes", "promote", Map.of(), Duration.ofSeconds(5)).rc()).isEqualTo(8);
        AgentOutcome start = run("codes", "start", Map.of(), Duration.ofSeconds(5));
        assertThat(start.rc()).isEqualTo(1);
        assertThat(start.exitReason()).isEqualTo("port 80 is taken");
        AgentOutcome odd = run("codes", "notify", Map.of(), Duration.ofSeconds(5));
        assertThat(odd.status()).isEqualTo(OperationStatus.DONE);
        assertThat(odd.rc()).isEqualTo(42);
        assertThat(odd.exitReason()).isEqualTo("ocf:test:codes notify exited with unknown code 42");
    }

    @Test
    void missingRequiredParameterIsRefusedBeforeRunning() throws Exception {
        Path ran = root.resolve("ran");
        TestHost.script(provider, "envdump", """
            if [ "$1" = meta-data ]; then
            %s
            exit 0; fi
            touch %s
            """.formatted(METADATA, ran));
        AgentOutcome o = run("envdump", "start", Map.of("port", "eighty"), Duration.ofSeconds(5));
        assertThat(o.status()).isEqualTo(OperationStatus.INVALID);
        assertThat(o.rc()).isEqualTo(6);
        assertThat(o.exitReason()).isEqualTo("ocf:test:envdump start of rsc1: missing required parameter 'ip'; "
            + "parameter 'port'='eighty' is not an integer");
        assertThat(ran).doesNotExist();
        // stop is never refused: the agent decides
        assertThat(run("envdump", "stop", Map.of(), Duration.ofSeconds(5)).rc()).isZero();
        assertThat(ran).exists();
    }

    @Test
    void missingAndNonExecutableAgentsAreNotInstalled() throws Exception {
        AgentOutcome missing = run("ghost", "start", Map.of(), Duration.ofSeconds(5));
        assertThat(missing.status()).isEqualTo(OperationStatus.NOT_INSTALLED);
        assertThat(missing.rc()).isEqualTo(5);
        assertThat(missing.exitReason()).contains("ocf:test:ghost is not installed").contains("does not exist");
        Path p = TestHost.script(provider, "noexec", "exit 0\n");
        Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        AgentOutcome noexec = run("noexec", "monitor", Map.of(), Duration.ofSeconds(5));
        assertThat(noexec.status()).isEqualTo(OperationStatus.NOT_INSTALLED);
        assertThat(noexec.exitReason()).contains("ocf:test:noexec").contains("is not executable");
        TestHost.script(provider, "badinterp", "#!/nonexistent/shell\nexit 0\n");
        AgentOutcome bad = run("badinterp", "monitor", Map.of(), Duration.ofSeconds(5));
        assertThat(bad.status()).isEqualTo(OperationStatus.NOT_INSTALLED);
        assertThat(bad.exitReason()).contains("ocf:test:badinterp").contains("monitor");
    }

    @Test
    void metaDataThatIsNotXmlIsAClearErrorButTheAgentStillRuns() throws Exception {
        TestHost.script(provider, "noxml", """
            case "$1" in meta-data) echo "usage: noxml start|stop"; exit 0;; monitor) exit 7;; esac
            exit 0
            """);
        AgentOutcome md = run("noxml", "meta-data", Map.of(), Duration.ofSeconds(5));
        assertThat(md.status()).isEqualTo(OperationStatus.ERROR);
        assertThat(md.exitReason()).startsWith("ocf:test:noxml meta-data: meta-data of ocf:test:noxml is not XML (line 1");
        AgentOutcome mon = run("noxml", "monitor", Map.of(), Duration.ofSeconds(5));
        assertThat(mon.status()).isEqualTo(OperationStatus.DONE);
        assertThat(mon.rc()).isEqualTo(7);
    }

    @Test
    void hangingAgentTimesOutAndItsChildrenDie() throws Exception {
        Path pids = root.resolve("pids");
        TestHost.script(provider, "hang", """
            [ "$1" = meta-data ] && { echo '<resource-agent name="hang"/>'; exit 0; }
            sleep 1000 &
            echo $! >> %s
            echo $$ >> %s
            wait
            """.formatted(pids, pids));
        AgentOutcome o = run("hang", "start", Map.of(), Duration.ofMillis(600));
        assertThat(o.status()).isEqualTo(OperationStatus.TIMED_OUT);
        assertThat(o.rc()).isEqualTo(1);
        assertThat(o.exitReason()).isEqualTo("ocf:test:hang start timed out after 600 ms; its process group was killed");
        List<String> started = Files.readAllLines(pids);
        assertThat(started).hasSize(2);
        assertThat(ProcessRunner.groupMembers(Long.parseLong(started.get(1).trim()))).isEmpty();
    }

    @Test
    void catalogListsAgentsAndRejectsUnknownClasses() throws Exception {
        TestHost.script(provider, "one", "exit 0\n");
        assertThat(catalog.list()).extracting(ResourceAgentId::toString)
            .contains("ocf:test:one", "builtin:dummy", "builtin:process", "builtin:vip");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> catalog.resolve(ResourceAgentId.parse("systemd:nginx")))
            .hasMessageContaining("unknown agent class 'systemd' in systemd:nginx");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> catalog.resolve(ResourceAgentId.parse("ocf:Dummy")))
            .hasMessageContaining("needs a provider");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> catalog.resolve(ResourceAgentId.parse("builtin:nope")))
            .hasMessageContaining("unknown built-in agent builtin:nope");
    }
}
