package org.ringmaster.daemon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code ringctl agent ...} and {@code ringctl crm simulate}, in-process. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class RingctlAgentAndCrmTest
{
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int ringctl(final String... args)
    {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return Ringctl.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void agentRunExitsWithTheAgentsOwnCode(@TempDir final Path dir)
    {
        final String state = "state=" + dir.resolve("dummy.state");
        assertThat(ringctl("agent", "run", "builtin:dummy", "monitor", state)).as(err.toString()).isEqualTo(7);
        assertThat(ringctl("agent", "run", "builtin:dummy", "start", state)).as(err.toString()).isZero();
        assertThat(out.toString()).contains("builtin:dummy start: rc=");
        assertThat(ringctl("agent", "run", "builtin:dummy", "monitor", state)).isZero();
        assertThat(ringctl("agent", "run", "builtin:dummy", "stop", state)).isZero();
        assertThat(ringctl("agent", "run", "builtin:dummy", "monitor", state)).isEqualTo(7);
    }

    @Test
    void agentListAndMetaDescribeTheAgents()
    {
        assertThat(ringctl("agent", "list")).isZero();
        assertThat(out.toString()).contains("builtin:dummy").contains("builtin:vip");
        assertThat(ringctl("agent", "meta", "builtin:dummy")).isZero();
        assertThat(out.toString()).contains("<resource-agent").contains("state");
        assertThat(ringctl("agent", "meta", "nonsense")).isNotZero();
        assertThat(err.toString()).isNotBlank();
    }

    @Test
    void crmSimulatePrintsThePlacementOfAPacemakerCase() throws Exception
    {
        final Path cases = Path.of("..", "..", "shared", "conformance", "pacemaker-scheduler", "cases");
        assertThat(cases).as("the shared conformance folder").isDirectory();
        final Path cib;
        try (var files = Files.list(cases))
        {
            cib = files.filter(p -> p.toString().endsWith(".xml")).sorted().findFirst().orElseThrow();
        }
        assertThat(ringctl("crm", "simulate", "--cib", cib.toString())).as(err.toString()).isZero();
        assertThat(out.toString().lines().filter(l -> !l.startsWith("#") && !l.isBlank()))
            .isNotEmpty().allSatisfy(line -> assertThat(line.split("\t")).hasSize(3));
        assertThat(ringctl("crm", "simulate", "--cib", "/nonexistent.xml")).isNotZero();
        assertThat(err.toString()).contains("nonexistent.xml");
    }
}
