package org.ringmaster.perf;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads numbers back out of the benchmark's own one-line JSON results (flat, numeric members only). */
final class ResultLines
{
    private ResultLines()
    {
    }

    /** The numeric member {@code name} of one result line, NaN if it is not there. */
    static double number(final String line, final String name)
    {
        final Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\":(-?[0-9][0-9.eE+-]*)").matcher(line);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    /** Mean of {@code name} over the receivers' lines (those with an order hash); NaN if none. */
    static double mean(final List<String> lines, final String name)
    {
        return receivers(lines).mapToDouble(l -> number(l, name)).filter(v -> !Double.isNaN(v)).average()
            .orElse(Double.NaN);
    }

    /** Largest {@code name} over the receivers' lines: the worst receiver for a latency; NaN if none. */
    static double max(final List<String> lines, final String name)
    {
        return receivers(lines).mapToDouble(l -> number(l, name)).filter(v -> !Double.isNaN(v)).max()
            .orElse(Double.NaN);
    }

    private static java.util.stream.Stream<String> receivers(final List<String> lines)
    {
        return lines.stream().filter(l -> l.contains("\"order_hash\""));
    }

    /** A figure for a JSON line: NaN (a run that gave none) becomes -1. */
    static double orMinusOne(final double v)
    {
        return Double.isNaN(v) || Double.isInfinite(v) ? -1 : v;
    }
}
