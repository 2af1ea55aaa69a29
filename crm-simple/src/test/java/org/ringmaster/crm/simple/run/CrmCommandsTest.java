package org.ringmaster.crm.simple.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class CrmCommandsTest {
    @TempDir
    Path dir;

    final List<List<String>> sent = new ArrayList<>();
    CompletableFuture<CommandResult> answer = CompletableFuture.completedFuture(CommandResult.ok("done"));

    CrmSnapshot snapshot() throws Exception {
        ConfigDocument doc = new ConfigDocument(2, 1, "native", ConfigDocumentTest.TEXT + "", new TreeMap<>());
        String text = Configs.of(2, true, "stop", Configs.dummy("a") + Configs.dummy("b") + Configs.dummy("web")
                + "  group {\n    id: g\n    members: a b\n  }\n");
        doc = new ConfigDocument(2, 1, "native", text, new TreeMap<>(Map.of("meta:web:target-role", "Stopped")));
        TreeMap<String, NodeRecord> records = new TreeMap<>();
        records.put("n1", NodeRecord.fresh("n1", true).withState("a", LocalState.STARTED)
                .withState("b", LocalState.failed("monitor", 1000, 7, false, false)).withFailCount("b", 2));
        records.put("n2", NodeRecord.fresh("n2", true));
        return new CrmSnapshot("n1", "n1", List.of("n1", "n2"), true, true, doc, doc.configuration(List.of("n1", "n2")),
                null, records, "transition 3: 1/2 done, 1 running");
    }

    CrmCommands commands() throws Exception {
        CrmSnapshot s = snapshot();
        return new CrmCommands(() -> s, words -> {
            sent.add(words);
            return answer;
        }, Duration.ofMillis(200));
    }

    @Test
    void listShowsResourcesAgentsRolesAndPlaces() throws Exception {
        CommandResult r = commands().run(List.of("resource", "list"));
        assertThat(r.exitCode()).isZero();
        assertThat(r.text()).isEqualTo("""
                web\tocf:pacemaker:Dummy\ttarget-role=Stopped\tStopped
                g\tgroup of [a, b]\ttarget-role=Started\ton n1
                """);
    }

    @Test
    void statusShowsInstancesFailuresAndTheTransition() throws Exception {
        CommandResult r = commands().run(List.of("resource", "status"));
        assertThat(r.text()).contains("DC: n1, members: [n1, n2], quorate, configuration epoch 2")
                .contains("a\tStarted on n1").contains("b\tStarted FAILED (monitor/1000ms rc=7) on n1")
                .contains("web\tStopped").contains("transition 3: 1/2 done, 1 running");
        assertThat(commands().run(List.of("resource", "status", "web")).text()).doesNotContain("a\t");
        assertThat(commands().run(List.of("resource", "status", "nope")).exitCode()).isEqualTo(CommandResult.FAILED);
    }

    @Test
    void failcountPerNode() throws Exception {
        assertThat(commands().run(List.of("resource", "failcount", "b")).text()).isEqualTo("b\tn1\t2\nb\tn2\t0\n");
        assertThat(commands().run(List.of("resource", "failcount", "g", "n1")).text()).isEqualTo("a\tn1\t0\nb\tn1\t2\n");
        assertThat(commands().run(List.of("resource", "failcount", "b", "n9")).exitCode()).isEqualTo(1);
    }

    @Test
    void changesGoThroughTheChannelAsTyped() throws Exception {
        CrmCommands c = commands();
        for (List<String> cmd : List.of(List.of("resource", "move", "g", "n2"), List.of("resource", "ban", "g", "n1"),
                List.of("resource", "clear", "g"), List.of("resource", "start", "web"), List.of("resource", "stop", "web"),
                List.of("resource", "cleanup", "b"), List.of("resource", "cleanup", "b", "n1"),
                List.of("node", "standby", "n2"), List.of("node", "online", "n2"),
                List.of("node", "maintenance", "n1", "off"))) {
            assertThat(c.run(cmd)).isEqualTo(CommandResult.ok("done"));
        }
        assertThat(sent).hasSize(10).contains(List.of("resource", "move", "g", "n2"));
    }

    @Test
    void usageErrorsSendNothing() throws Exception {
        CrmCommands c = commands();
        assertThat(c.run(List.of("resource")).exitCode()).isEqualTo(CommandResult.USAGE);
        assertThat(c.run(List.of("resource", "move", "g")).text()).contains("usage: resource move RESOURCE NODE");
        assertThat(c.run(List.of("resource", "frobnicate", "g")).text()).contains("unknown command");
        assertThat(c.run(List.of("node", "standby")).exitCode()).isEqualTo(CommandResult.USAGE);
        assertThat(sent).isEmpty();
    }

    @Test
    void anUnconfirmedChangeTimesOut() throws Exception {
        answer = new CompletableFuture<>();
        CommandResult r = commands().run(List.of("resource", "stop", "web"));
        assertThat(r.exitCode()).isEqualTo(CommandResult.TIMED_OUT);
        assertThat(r.text()).contains("not confirmed within 200 ms");
    }

    @Test
    void configLoadReadsTheFile() throws Exception {
        Path f = dir.resolve("cib.xml");
        Files.writeString(f, "<cib/>");
        assertThat(commands().run(List.of("config", "load", f.toString())).exitCode()).isZero();
        assertThat(sent).containsExactly(List.of("config", "load", "cib", "<cib/>"));
        CommandResult missing = commands().run(List.of("config", "load", dir.resolve("nope.conf").toString()));
        assertThat(missing.exitCode()).isEqualTo(CommandResult.FAILED);
        assertThat(missing.text()).contains("nope.conf");
    }
}
