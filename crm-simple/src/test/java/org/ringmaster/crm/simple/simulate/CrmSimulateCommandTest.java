package org.ringmaster.crm.simple.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class CrmSimulateCommandTest {
    static final String CIB = """
            <cib have-quorum="1">
              <configuration>
                <crm_config/>
                <nodes><node id="1" uname="n1"/><node id="2" uname="n2"/></nodes>
                <resources>
                  <primitive id="a" class="ocf" provider="pacemaker" type="Dummy"/>
                  <clone id="c"><primitive id="p" class="ocf" provider="pacemaker" type="Dummy"/>
                    <meta_attributes id="m"><nvpair id="x" name="globally-unique" value="true"/>
                    <nvpair id="y" name="clone-max" value="3"/></meta_attributes></clone>
                </resources>
                <constraints><rsc_location id="l" rsc="a" node="n2" score="10"/></constraints>
              </configuration>
              <status>
                <node_state id="1" uname="n1" in_ccm="true" crmd="online" join="member" expected="member"/>
                <node_state id="2" uname="n2" in_ccm="true" crmd="online" join="member" expected="member"/>
              </status>
            </cib>
            """;

    @Test
    void printsTheNormalisedPlacement(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("case.xml");
        Files.writeString(f, CIB);
        StringWriter out = new StringWriter();
        int rc = CrmSimulateCommand.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "--cib",
                f.toString());
        assertThat(rc).isZero();
        assertThat(out.toString().lines().toList()).containsExactly("a\tn2\tStarted", "p:0\tn1\tStarted",
                "p:1\tn2\tStarted", "p:2\tStopped\tStopped");
    }

    @Test
    void actionsAndScoresAreCommentLines(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("case.xml");
        Files.writeString(f, CIB);
        StringWriter out = new StringWriter();
        int rc = CrmSimulateCommand.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "--cib",
                f.toString(), "--actions", "--scores");
        assertThat(rc).isZero();
        assertThat(out.toString()).contains("# actions", "start a on n2", "# scores", "a allocation score on n2: 10");
        assertThat(out.toString().lines().filter(l -> !l.startsWith("#"))).hasSize(4);
    }

    @Test
    void badInputIsAClearErrorNotAStackTrace(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.xml");
        Files.writeString(f, "<cib><configuration><resources><primitive id=\"x\" class=\"ocf\"/></resources>"
                + "</configuration></cib>");
        StringWriter err = new StringWriter();
        int rc = CrmSimulateCommand.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "--cib",
                f.toString());
        assertThat(rc).isEqualTo(2);
        assertThat(err.toString()).contains("bad.xml", "<primitive id=\"x\">", "'type'").doesNotContain("\tat ");

        StringWriter err2 = new StringWriter();
        assertThat(CrmSimulateCommand.run(new PrintWriter(new StringWriter()), new PrintWriter(err2), "--cib",
                dir.resolve("missing.xml").toString())).isEqualTo(2);
        assertThat(err2.toString()).contains("missing.xml");
    }

    @Test
    void nativeConfigInputWithAllNodesOnline(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("ringmaster.conf");
        Files.writeString(f, "resources {\n primitive {\n  id: a\n  agent: ocf:pacemaker:Dummy\n }\n"
                + " location {\n  rsc: a\n  node: n2\n  score: 5\n }\n}\n");
        StringWriter out = new StringWriter();
        int rc = CrmSimulateCommand.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "--config",
                f.toString(), "--node", "n1", "--node", "n2");
        assertThat(rc).isZero();
        assertThat(out.toString().lines().toList()).containsExactly("a\tn2\tStarted");
    }

    @Test
    void exactlyOneInputIsRequired() {
        StringWriter err = new StringWriter();
        assertThat(CrmSimulateCommand.run(new PrintWriter(new StringWriter()), new PrintWriter(err))).isEqualTo(2);
        assertThat(err.toString()).contains("--cib");
    }

    static final String DATED = """
            <cib have-quorum="1">
              <configuration>
                <crm_config/>
                <nodes><node id="1" uname="n1"/><node id="2" uname="n2"/></nodes>
                <resources><primitive id="a" class="ocf" provider="pacemaker" type="Dummy"/></resources>
                <constraints>
                  <rsc_location id="l" rsc="a" node="n1" score="10"/>
                  <rsc_location id="sale" rsc="a">
                    <rule id="r" score="100" boolean-op="and">
                      <expression id="e" attribute="#uname" operation="eq" value="n2"/>
                      <date_expression id="d" operation="in_range" start="2025-11-28" end="2025-12-01"/>
                    </rule>
                  </rsc_location>
                </constraints>
              </configuration>
              <status>
                <node_state id="1" uname="n1" in_ccm="true" crmd="online" join="member" expected="member"/>
                <node_state id="2" uname="n2" in_ccm="true" crmd="online" join="member" expected="member"/>
              </status>
            </cib>
            """;

    @Test
    void nowDecidesDateRules(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("dated.xml");
        Files.writeString(f, DATED);
        StringWriter during = new StringWriter();
        assertThat(CrmSimulateCommand.run(new PrintWriter(during), new PrintWriter(new StringWriter()), "--cib",
                f.toString(), "--now", "2025-11-29T12:00:00Z")).isZero();
        assertThat(during.toString().lines()).containsExactly("a\tn2\tStarted");
        StringWriter after = new StringWriter();
        assertThat(CrmSimulateCommand.run(new PrintWriter(after), new PrintWriter(new StringWriter()), "--cib",
                f.toString(), "--now", "1767225600")).isZero(); // 2026-01-01
        assertThat(after.toString().lines()).containsExactly("a\tn1\tStarted");
        StringWriter err = new StringWriter();
        assertThat(CrmSimulateCommand.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "--cib",
                f.toString(), "--now", "tomorrow")).isEqualTo(2);
        assertThat(err.toString()).contains("--now").contains("'tomorrow'").doesNotContain("Exception");
    }
}
