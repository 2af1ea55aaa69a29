package org.ringmaster.crm.simple.cib;

import java.util.Locale;

/** Pacemaker interval syntax: plain milliseconds in history, {@code 10s}/{@code 5min}/ISO8601 in config. */
final class Durations {
    private Durations() {
    }

    static long millis(String v, String where, boolean bareSeconds) throws CibFormatException {
        if (v == null || v.isBlank()) {
            return 0;
        }
        String t = v.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("p")) {
                String iso = t.toUpperCase(Locale.ROOT);
                if (!iso.contains("T") && !iso.contains("D")) {
                    iso = "PT" + iso.substring(1); // P10S is accepted as PT10S
                }
                return java.time.Duration.parse(iso).toMillis();
            }
            int i = 0;
            while (i < t.length() && (Character.isDigit(t.charAt(i)) || t.charAt(i) == '.')) {
                i++;
            }
            double n = Double.parseDouble(t.substring(0, i));
            String unit = t.substring(i).trim();
            double ms = switch (unit) {
                case "", "s", "sec" -> unit.isEmpty() && !bareSeconds ? n : n * 1000;
                case "ms", "msec" -> n;
                case "us", "usec" -> n / 1000;
                case "m", "min" -> n * 60_000;
                case "h", "hr" -> n * 3_600_000;
                default -> throw new NumberFormatException(unit);
            };
            return (long) ms;
        } catch (RuntimeException e) {
            throw new CibFormatException(where + ": not an interval: '" + v + "'");
        }
    }
}
