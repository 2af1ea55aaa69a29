package org.ringmaster.daemon.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class CorosyncConfParserTest {

    private static ParsedConfig parse(String text) throws ConfigException {
        return CorosyncConfParser.parse("t.conf", text);
    }

    /** The single error of a file that does not parse. */
    private static Diagnostic error(String text) {
        try {
            parse(text);
        } catch (ConfigException e) {
            assertThat(e.errors()).hasSize(1);
            return e.errors().get(0);
        }
        throw new AssertionError("expected a syntax error");
    }

    @Test
    void buildsTreeWithPositionsOfKeysValuesAndSections() throws Exception {
        ParsedConfig p = parse("# comment\n"
                + "totem {\n"
                + "\tversion: 2\n"
                + "    token:   3000  \n"
                + "\tinterface {\n"
                + "\t\tlinknumber: 0\n"
                + "\t}\n"
                + "}\n"
                + "\n"
                + "nodelist {\n"
                + "  node {\n"
                + "    ring0_addr: 10.0.0.1\n"
                + "  }\n"
                + "}\n");
        ConfigSection root = p.root();
        assertThat(p.warnings()).isEmpty();
        assertThat(root.sections()).extracting(ConfigSection::name).containsExactly("totem", "nodelist");
        ConfigSection totem = root.sections("totem").get(0);
        assertThat(totem.position()).isEqualTo(new SourcePosition("t.conf", 2, 1));
        assertThat(totem.entries()).containsExactly(
                new ConfigEntry("version", "2", new SourcePosition("t.conf", 3, 2), new SourcePosition("t.conf", 3, 11)),
                new ConfigEntry("token", "3000", new SourcePosition("t.conf", 4, 5), new SourcePosition("t.conf", 4, 14)));
        ConfigSection iface = totem.sections("interface").get(0);
        assertThat(iface.position()).isEqualTo(new SourcePosition("t.conf", 5, 2));
        assertThat(iface.value("linknumber")).contains("0");
        ConfigSection node = root.sections("nodelist").get(0).sections("node").get(0);
        assertThat(node.entries().get(0).keyPosition()).hasToString("t.conf:12:5");
        assertThat(node.value("ring0_addr")).contains("10.0.0.1");
    }

    @Test
    void keepsValuesAsCorosyncDoes() throws Exception {
        ParsedConfig p = parse("totem {\r\n"
                + "  cluster_name: \"my cluster\"\r\n"
                + "  token: 1000 # not a comment\r\n"
                + "  empty:\r\n"
                + "  url: http://x:1/y\r\n"
                + "  #indented comment\r\n"
                + "}\r\n");
        ConfigSection totem = p.root().sections("totem").get(0);
        assertThat(totem.value("cluster_name")).contains("\"my cluster\"");
        assertThat(totem.value("token")).contains("1000 # not a comment");
        assertThat(totem.value("empty")).contains("");
        assertThat(totem.value("url")).contains("http://x:1/y");
        assertThat(totem.entries()).hasSize(4);
    }

    @Test
    void keepsDuplicateKeysAndRepeatedSectionsForTheTypedLayer() throws Exception {
        ParsedConfig p = parse("totem {\n token: 1\n token: 2\n}\ntotem {\n}\n");
        assertThat(p.root().sections("totem")).hasSize(2);
        assertThat(p.root().sections("totem").get(0).entries()).hasSize(2);
        assertThat(p.root().sections("totem").get(0).value("token")).contains("2");
    }

    @Test
    void acceptsColonAfterSectionNameAndEmptyFile() throws Exception {
        assertThat(parse("totem: {\n}\n").root().sections("totem")).hasSize(1);
        assertThat(parse("").root().sections()).isEmpty();
        assertThat(parse("\n\n# only comments\n").root().entries()).isEmpty();
    }

    @Test
    void byteOrderMarkIsSkipped() throws Exception {
        ParsedConfig p = parse("\uFEFFtotem {\n version: 2\n}\n");
        assertThat(p.root().sections("totem").get(0).position()).hasToString("t.conf:1:1");
    }

    @Test
    void missingColonNamesTheKeyAndItsPosition() {
        Diagnostic d = error("totem {\n\tversion: 2\n\ttoken 3000\n}\n");
        assertThat(d.position()).hasToString("t.conf:3:2");
        assertThat(d.key()).isEqualTo("totem.token 3000");
        assertThat(d.message()).contains("expected 'key: value', 'name {' or '}'").contains("missing ':'");
    }

    @Test
    void unterminatedSectionPointsAtItsOpening() {
        Diagnostic d = error("totem {\n version: 2\n}\nnodelist {\n  node {\n    nodeid: 1\n}\n");
        assertThat(d.position()).hasToString("t.conf:4:1");
        assertThat(d.key()).isEqualTo("nodelist");
        assertThat(d.message()).contains("section 'nodelist' is never closed").contains("file (line 7)")
                .contains("the '}' at t.conf:7:1 closes 'node' opened at t.conf:5:3 but is indented less");
    }

    @Test
    void unterminatedSectionListsOuterUnclosedSections() {
        Diagnostic d = error("a {\n b {\n  c {\n");
        assertThat(d.position()).hasToString("t.conf:3:3");
        assertThat(d.message()).contains("also unclosed: 'b' at t.conf:2:2");
    }

    @Test
    void strayClosingBraceAtTopLevel() {
        Diagnostic d = error("totem {\n}\n  }\n");
        assertThat(d.position()).hasToString("t.conf:3:3");
        assertThat(d.message()).contains("unexpected '}'");
    }

    @Test
    void textAfterOpeningBrace() {
        Diagnostic d = error("totem { version: 2\n}\n");
        assertThat(d.position()).hasToString("t.conf:1:9");
        assertThat(d.key()).isEqualTo("totem");
        assertThat(d.message()).contains("after '{'");
    }

    @Test
    void missingSectionName() {
        Diagnostic d = error("totem {\n   {\n}\n}\n");
        assertThat(d.position()).hasToString("t.conf:2:4");
        assertThat(d.key()).isEqualTo("totem");
        assertThat(d.message()).contains("missing section name");
    }

    @Test
    void invalidSectionName() {
        Diagnostic d = error("quorum {\n  provider: votequorum {\n}\n");
        assertThat(d.position()).hasToString("t.conf:2:3");
        assertThat(d.message()).contains("invalid section name 'provider: votequorum'");
    }

    @Test
    void textBeforeClosingBrace() {
        Diagnostic d = error("totem {\n  version 2 }\n");
        assertThat(d.position()).hasToString("t.conf:2:3");
        assertThat(d.message()).contains("'version 2 '").contains("before '}'");
    }

    @Test
    void missingKeyName() {
        Diagnostic d = error("totem {\n  : 2\n}\n");
        assertThat(d.position()).hasToString("t.conf:2:3");
        assertThat(d.message()).contains("missing key name");
    }

    @Test
    void textAfterClosingBraceIsAWarningWithPosition() throws Exception {
        ParsedConfig p = parse("totem {\n}  junk\n");
        assertThat(p.warnings()).singleElement().satisfies(w -> {
            assertThat(w.severity()).isEqualTo(Diagnostic.Severity.WARNING);
            assertThat(w.position()).hasToString("t.conf:2:4");
            assertThat(w.message()).contains("'junk' after '}'");
        });
    }

    @Test
    void syntaxErrorKeepsEarlierWarnings() {
        try {
            parse("totem {\n}x\n}\n");
            throw new AssertionError("expected error");
        } catch (ConfigException e) {
            assertThat(e.diagnostics()).hasSize(2);
            assertThat(e.diagnostics().get(0).severity()).isEqualTo(Diagnostic.Severity.WARNING);
            assertThat(e.getMessage()).isEqualTo("t.conf:3:1: error: unexpected '}': no section is open here");
        }
    }

    @Test
    void unreadableFileNamesTheFile(@TempDir Path dir) {
        Path missing = dir.resolve("nope.conf");
        assertThatThrownBy(() -> CorosyncConfParser.parse(missing))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("cannot read configuration file");
    }
}
