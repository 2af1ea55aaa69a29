package org.ringmaster.crm.simple.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ringmaster.crm.simple.policy.Fixture.where;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ringmaster.crm.simple.cib.Cib;
import org.ringmaster.crm.simple.cib.CibFormatException;
import org.ringmaster.crm.simple.cib.CibReader;
import org.ringmaster.crm.simple.model.DateExpression;

/** Date expressions in location rules and in rule-bound meta attributes, evaluated at an injected "now". */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class DateRuleTest {
    /** a prefers n1 (100); a location rule with {@code rule} gives n2 INFINITY while it holds. */
    private static String locationCib(String rule, String executionDate) {
        return """
                <cib have-quorum="1" dc-uuid="1"%s>
                  <configuration>
                    <crm_config/>
                    <nodes><node id="1" uname="n1"/><node id="2" uname="n2"/></nodes>
                    <resources><primitive id="a" class="ocf" provider="pacemaker" type="Dummy"/></resources>
                    <constraints>
                      <rsc_location id="pref" rsc="a" node="n1" score="100"/>
                      <rsc_location id="when" rsc="a">
                        <rule id="r" score="INFINITY" boolean-op="and">
                          <expression id="e" attribute="#uname" operation="eq" value="n2"/>
                          %s
                        </rule>
                      </rsc_location>
                    </constraints>
                  </configuration>
                  <status>
                    <node_state id="1" uname="n1" in_ccm="true" crmd="online" join="member" expected="member"/>
                    <node_state id="2" uname="n2" in_ccm="true" crmd="online" join="member" expected="member"/>
                  </status>
                </cib>
                """.formatted(executionDate == null ? "" : " execution-date=\"" + executionDate + "\"", rule);
    }

    private static String placeA(String rule, Instant now) throws CibFormatException {
        Cib cib = CibReader.read(locationCib(rule, null), "test.xml");
        return where(PolicyEngine.decide(cib.configuration(), cib.status().at(now)), "a");
    }

    private static Instant t(String iso) {
        return Instant.parse(iso);
    }

    @Test
    void inRangeHoldsBetweenStartAndEnd() throws Exception {
        String rule = "<date_expression id=\"d\" operation=\"in_range\" start=\"2025-03-01\" end=\"2025-03-31 23:59:59\"/>";
        assertThat(placeA(rule, t("2025-03-15T12:00:00Z"))).isEqualTo("n2");
        assertThat(placeA(rule, t("2025-04-01T00:00:00Z"))).isEqualTo("n1");
        assertThat(placeA(rule, t("2025-02-28T23:59:59Z"))).isEqualTo("n1");
    }

    @Test
    void inRangeWithADuration() throws Exception {
        String rule = """
                <date_expression id="d" operation="in_range" start="2025-03-01T08:00:00Z">
                  <duration id="du" hours="2"/>
                </date_expression>""";
        assertThat(placeA(rule, t("2025-03-01T09:59:00Z"))).isEqualTo("n2");
        assertThat(placeA(rule, t("2025-03-01T10:00:01Z"))).isEqualTo("n1");
    }

    @Test
    void gtAndLt() throws Exception {
        String gt = "<date_expression id=\"d\" operation=\"gt\" start=\"2025-06-01T00:00:00+02:00\"/>";
        assertThat(placeA(gt, t("2025-05-31T22:00:01Z"))).isEqualTo("n2");
        assertThat(placeA(gt, t("2025-05-31T21:59:59Z"))).isEqualTo("n1");
        String lt = "<date_expression id=\"d\" operation=\"lt\" end=\"2025-06-01\"/>";
        assertThat(placeA(lt, t("2025-05-31T23:00:00Z"))).isEqualTo("n2");
        assertThat(placeA(lt, t("2025-06-02T00:00:00Z"))).isEqualTo("n1");
    }

    @Test
    void dateSpecMatchesWorkingHoursOnWeekdays() throws Exception {
        String rule = """
                <date_expression id="d" operation="date_spec">
                  <date_spec id="ds" hours="9-16" weekdays="1-5"/>
                </date_expression>""";
        assertThat(placeA(rule, t("2025-03-05T10:30:00Z"))).isEqualTo("n2"); // a Wednesday
        assertThat(placeA(rule, t("2025-03-05T17:00:00Z"))).isEqualTo("n1"); // after hours
        assertThat(placeA(rule, t("2025-03-08T10:30:00Z"))).isEqualTo("n1"); // a Saturday
    }

    @Test
    void theCibsExecutionDateIsNowAndWithoutANowDatesNeverHold() throws Exception {
        String rule = "<date_expression id=\"d\" operation=\"gt\" start=\"2020-01-01\"/>";
        Cib dated = CibReader.read(locationCib(rule, "1700000000"), "test.xml");
        assertThat(dated.status().now()).isEqualTo(Instant.ofEpochSecond(1_700_000_000L));
        assertThat(where(PolicyEngine.decide(dated.configuration(), dated.status()), "a")).isEqualTo("n2");
        Cib undated = CibReader.read(locationCib(rule, null), "test.xml");
        assertThat(where(PolicyEngine.decide(undated.configuration(), undated.status()), "a")).isEqualTo("n1");
    }

    @Test
    void ruleBoundMetaAttributesApplyWhileTheirRuleHolds() throws Exception {
        // Pacemaker's classic example: sticky during working hours, free to move back at night
        String xml = """
                <cib have-quorum="1" dc-uuid="1">
                  <configuration>
                    <crm_config/>
                    <nodes><node id="1" uname="n1"/><node id="2" uname="n2"/></nodes>
                    <resources>
                      <primitive id="a" class="ocf" provider="pacemaker" type="Dummy">
                        <meta_attributes id="core-hours" score="2">
                          <rule id="hours" score="0">
                            <date_expression id="d" operation="date_spec"><date_spec id="s" hours="9-16"/></date_expression>
                          </rule>
                          <nvpair id="s1" name="resource-stickiness" value="INFINITY"/>
                        </meta_attributes>
                        <meta_attributes id="after-hours" score="1">
                          <nvpair id="s2" name="resource-stickiness" value="0"/>
                        </meta_attributes>
                      </primitive>
                    </resources>
                    <constraints><rsc_location id="home" rsc="a" node="n2" score="50"/></constraints>
                  </configuration>
                  <status>
                    <node_state id="1" uname="n1" in_ccm="true" crmd="online" join="member" expected="member">
                      <lrm id="l"><lrm_resources><lrm_resource id="a" class="ocf" provider="pacemaker" type="Dummy">
                        <lrm_rsc_op id="x" operation="start" call-id="2" rc-code="0" op-status="0" interval="0"/>
                      </lrm_resource></lrm_resources></lrm>
                    </node_state>
                    <node_state id="2" uname="n2" in_ccm="true" crmd="online" join="member" expected="member"/>
                  </status>
                </cib>
                """;
        Cib cib = CibReader.read(xml, "test.xml");
        Transition day = PolicyEngine.decide(cib.configuration(), cib.status().at(t("2025-03-05T11:00:00Z")));
        Transition night = PolicyEngine.decide(cib.configuration(), cib.status().at(t("2025-03-05T23:00:00Z")));
        assertThat(where(day, "a")).isEqualTo("n1");
        assertThat(where(night, "a")).isEqualTo("n2");
    }

    @Test
    void brokenDateExpressionsNameTheirElement() {
        assertThatThrownBy(() -> CibReader.read(locationCib(
                "<date_expression id=\"d1\" operation=\"gt\" start=\"next tuesday\"/>", null), "t.xml"))
                .isInstanceOf(CibFormatException.class).hasMessageContaining("t.xml")
                .hasMessageContaining("date_expression").hasMessageContaining("'next tuesday'");
        assertThatThrownBy(() -> CibReader.read(locationCib(
                "<date_expression id=\"d2\" operation=\"sometimes\" start=\"2025-01-01\"/>", null), "t.xml"))
                .isInstanceOf(CibFormatException.class).hasMessageContaining("d2").hasMessageContaining("'sometimes'");
        assertThatThrownBy(() -> CibReader.read(locationCib("""
                <date_expression id="d3" operation="date_spec"><date_spec id="s" hours="9-x"/></date_expression>""",
                null), "t.xml"))
                .isInstanceOf(CibFormatException.class).hasMessageContaining("d3").hasMessageContaining("hours");
    }

    @Test
    void dateSpecFieldsAndRanges() {
        DateExpression weekFifty = new DateExpression("w", "date_spec", null, null, Map.of(),
                Map.of("weeks", "50", "weekyears", "2025", "minutes", "0-29"));
        assertThat(weekFifty.holds(t("2025-12-10T08:15:00Z"))).isTrue();
        assertThat(weekFifty.holds(t("2025-12-10T08:45:00Z"))).isFalse();
        DateExpression yearday = new DateExpression("y", "date_spec", null, null, Map.of(),
                Map.of("yeardays", "1", "months", "1", "monthdays", "1"));
        assertThat(yearday.holds(t("2026-01-01T00:00:00Z"))).isTrue();
        assertThat(yearday.holds(t("2026-01-02T00:00:00Z"))).isFalse();
    }

    @Test
    void theTransitionNamesTheNextBoundaryOfAnEvaluatedDateRule() throws Exception {
        String rule = "<date_expression id=\"d\" operation=\"in_range\" start=\"2025-03-01\" end=\"2025-03-31\"/>";
        Cib cib = CibReader.read(locationCib(rule, null), "test.xml");
        Transition before = PolicyEngine.decide(cib.configuration(), cib.status().at(t("2025-02-10T00:00:00Z")));
        assertThat(before.recheckBy()).isEqualTo(t("2025-03-01T00:00:00Z"));
        Transition during = PolicyEngine.decide(cib.configuration(), cib.status().at(t("2025-03-10T00:00:00Z")));
        assertThat(during.recheckBy()).isEqualTo(t("2025-03-31T00:00:00Z").plusNanos(1));
        Transition after = PolicyEngine.decide(cib.configuration(), cib.status().at(t("2025-04-10T00:00:00Z")));
        assertThat(after.recheckBy()).isNull();
    }

    @Test
    void nextChangeOfEachOperation() {
        Instant now = t("2025-03-15T10:20:30Z");
        assertThat(new DateExpression("g", "gt", t("2025-04-01T00:00:00Z"), null, Map.of(), Map.of()).nextChange(now))
                .isEqualTo(t("2025-04-01T00:00:00Z").plusNanos(1));
        assertThat(new DateExpression("g", "gt", t("2025-03-01T00:00:00Z"), null, Map.of(), Map.of()).nextChange(now))
                .isNull();
        assertThat(new DateExpression("l", "lt", null, t("2025-04-01T00:00:00Z"), Map.of(), Map.of()).nextChange(now))
                .isEqualTo(t("2025-04-01T00:00:00Z"));
        assertThat(new DateExpression("r", "in_range", t("2025-03-15T00:00:00Z"), null, Map.of("days", 1), Map.of())
                .nextChange(now)).isEqualTo(t("2025-03-16T00:00:00Z").plusNanos(1));
        assertThat(new DateExpression("h", "date_spec", null, null, Map.of(), Map.of("hours", "9-17"))
                .nextChange(now)).isEqualTo(t("2025-03-15T11:00:00Z"));
        assertThat(new DateExpression("w", "date_spec", null, null, Map.of(), Map.of("weekdays", "1-5"))
                .nextChange(now)).isEqualTo(t("2025-03-16T00:00:00Z"));
        assertThat(new DateExpression("m", "date_spec", null, null, Map.of(), Map.of("months", "3", "years", "2025"))
                .nextChange(now)).isEqualTo(t("2025-04-01T00:00:00Z"));
    }
}
