package org.ringmaster.crm.simple.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ringmaster.crm.simple.simulate.CrmSimulateCommand;

/**
 * Runs every case of the shared Pacemaker scheduler suite through {@code crm simulate} and compares
 * the placement with Pacemaker's (sorted multisets, as {@code expected_placement.py --compare};
 * relaxed = unique-clone instance numbers ignored). The pass counts are a ratchet: raise the floors
 * when the engine improves; CONFORMANCE.md lists the failing cases and why.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class PacemakerSchedulerConformanceTest {
    /** Relaxed passes required, phase 1 (of 150) and phase 2 (of 70). */
    static final int PHASE1_FLOOR = 150;
    static final int PHASE2_FLOOR = 68;
    /** Strict passes (instance numbers compared too). */
    static final int PHASE1_STRICT_FLOOR = 150;
    static final int PHASE2_STRICT_FLOOR = 68;

    static final Path SUITE = Path.of("..", "..", "shared", "conformance", "pacemaker-scheduler");

    record Outcome(String name, int phase, List<String> features, boolean strict, boolean relaxed, List<String> diff) {
    }

    @Test
    void everyCaseOfTheSharedSuite() throws IOException {
        assertThat(SUITE.resolve("INDEX.tsv")).as("shared conformance suite (expected at %s)",
                SUITE.toAbsolutePath().normalize()).exists();
        List<Outcome> outcomes = new ArrayList<>();
        for (String line : Files.readAllLines(SUITE.resolve("INDEX.tsv"), StandardCharsets.UTF_8)) {
            String[] f = line.split("\t");
            if (f.length < 3 || f[0].equals("name")) {
                continue;
            }
            outcomes.add(runCase(f[0], Integer.parseInt(f[2].trim()), List.of(f[1].split(","))));
        }
        assertThat(outcomes).hasSizeGreaterThanOrEqualTo(200);
        String report = report(outcomes);
        System.out.println(report);
        Path out = Path.of("target", "conformance");
        Files.createDirectories(out);
        Files.writeString(out.resolve("report.txt"), report, StandardCharsets.UTF_8);
        long p1 = outcomes.stream().filter(o -> o.phase == 1 && o.relaxed).count();
        long p2 = outcomes.stream().filter(o -> o.phase == 2 && o.relaxed).count();
        assertThat(p1).as("phase-1 relaxed passes (ratchet)").isGreaterThanOrEqualTo(PHASE1_FLOOR);
        assertThat(p2).as("phase-2 relaxed passes (ratchet)").isGreaterThanOrEqualTo(PHASE2_FLOOR);
        assertThat(outcomes.stream().filter(o -> o.phase == 1 && o.strict).count()).as("phase-1 strict passes")
                .isGreaterThanOrEqualTo(PHASE1_STRICT_FLOOR);
        assertThat(outcomes.stream().filter(o -> o.phase == 2 && o.strict).count()).as("phase-2 strict passes")
                .isGreaterThanOrEqualTo(PHASE2_STRICT_FLOOR);
    }

    private Outcome runCase(String name, int phase, List<String> features) throws IOException {
        Path xml = SUITE.resolve("cases").resolve(name + ".xml");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = CrmSimulateCommand.run(new PrintWriter(out), new PrintWriter(err), "--cib", xml.toString());
        List<String> actual = rc == 0 ? listing(out.toString()) : List.of("ERROR " + err.toString().trim());
        List<String> expected = listing(Files.readString(SUITE.resolve("expected").resolve(name + ".placement"),
                StandardCharsets.UTF_8));
        boolean strict = actual.equals(expected);
        boolean relaxed = relax(actual).equals(relax(expected));
        List<String> diff = new ArrayList<>();
        if (!relaxed) {
            List<String> a = new ArrayList<>(relax(actual));
            for (String e : relax(expected)) {
                if (!a.remove(e)) {
                    diff.add("- " + e);
                }
            }
            a.forEach(x -> diff.add("+ " + x));
        }
        return new Outcome(name, phase, features, strict, relaxed, diff);
    }

    static List<String> listing(String text) {
        List<String> rows = new ArrayList<>();
        for (String l : text.split("\n")) {
            String t = l.replace("\r", "");
            if (t.isBlank() || t.startsWith("#")) {
                continue;
            }
            rows.add(t);
        }
        rows.sort(null);
        return rows;
    }

    static List<String> relax(List<String> rows) {
        List<String> out = new ArrayList<>();
        for (String r : rows) {
            String[] p = r.split("\t", -1);
            p[0] = p[0].replaceAll(":\\d+$", ":*");
            out.add(String.join("\t", p));
        }
        out.sort(null);
        return out;
    }

    private static String report(List<Outcome> outcomes) {
        StringBuilder sb = new StringBuilder();
        Map<String, int[]> byFeature = new TreeMap<>();
        int[][] byPhase = new int[3][3];
        for (Outcome o : outcomes) {
            byPhase[o.phase][0]++;
            byPhase[o.phase][1] += o.strict ? 1 : 0;
            byPhase[o.phase][2] += o.relaxed ? 1 : 0;
            for (String f : o.features) {
                int[] c = byFeature.computeIfAbsent("phase" + o.phase + " " + f, k -> new int[2]);
                c[0]++;
                c[1] += o.relaxed ? 1 : 0;
            }
        }
        for (int p = 1; p <= 2; p++) {
            sb.append(String.format("CONFORMANCE phase %d: strict %d/%d, relaxed %d/%d%n", p, byPhase[p][1],
                    byPhase[p][0], byPhase[p][2], byPhase[p][0]));
        }
        byFeature.forEach((k, v) -> sb.append(String.format("  %-45s %3d/%3d%n", k, v[1], v[0])));
        for (Outcome o : outcomes) {
            if (o.relaxed && !o.strict) {
                sb.append("STRICT-ONLY phase").append(o.phase).append(' ').append(o.name)
                        .append(" (same placement, other unique-clone instance numbers)\n");
            }
        }
        for (Outcome o : outcomes) {
            if (!o.relaxed) {
                sb.append("FAIL phase").append(o.phase).append(' ').append(o.name).append('\n');
                o.diff.forEach(d -> sb.append("    ").append(d).append('\n'));
            }
        }
        return sb.toString();
    }
}
