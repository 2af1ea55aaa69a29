package org.ringmaster.crm.simple.model;

/**
 * Pacemaker-style scores: integers saturating at ±{@link #INFINITY}. -INFINITY wins over +INFINITY,
 * so a ban can never be cancelled by a preference.
 */
public final class Score {
    /** The value that stands for INFINITY (as Pacemaker: one million). */
    public static final int INFINITY = 1_000_000;

    private Score() {
    }

    /** Saturating addition; -INFINITY absorbs everything. */
    public static int add(int a, int b) {
        if (a <= -INFINITY || b <= -INFINITY) {
            return -INFINITY;
        }
        if (a >= INFINITY || b >= INFINITY) {
            return INFINITY;
        }
        long s = (long) a + b;
        return (int) Math.max(-INFINITY, Math.min(INFINITY, s));
    }

    /** Clamps a product (used for colocation influence factors). */
    public static int scale(int score, double factor) {
        double v = score * factor;
        if (v >= INFINITY) {
            return INFINITY;
        }
        if (v <= -INFINITY) {
            return -INFINITY;
        }
        return (int) v;
    }

    /**
     * Parses INFINITY, +INFINITY, -INFINITY or an integer (clamped).
     *
     * @param where names the attribute or line, for the error message
     * @throws IllegalArgumentException naming {@code where} when the text is not a score
     */
    public static int parse(String text, String where) {
        if (text == null) {
            throw new IllegalArgumentException(where + ": missing score");
        }
        String t = text.trim();
        switch (t.toUpperCase(java.util.Locale.ROOT)) {
            case "INFINITY", "+INFINITY":
                return INFINITY;
            case "-INFINITY":
                return -INFINITY;
            default:
                break;
        }
        try {
            String digits = t.startsWith("+") ? t.substring(1) : t;
            // Pacemaker reads a leading integer: "2.0" is 2.
            double v = digits.contains(".") ? Double.parseDouble(digits) : Long.parseLong(digits);
            return (int) Math.max(-INFINITY, Math.min(INFINITY, (long) v));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + ": not a score: '" + text + "'");
        }
    }

    /** Formats like Pacemaker's score dumps. */
    public static String format(int score) {
        if (score >= INFINITY) {
            return "INFINITY";
        }
        if (score <= -INFINITY) {
            return "-INFINITY";
        }
        return Integer.toString(score);
    }
}
