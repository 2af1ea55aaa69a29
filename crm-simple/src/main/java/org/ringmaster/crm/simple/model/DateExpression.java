package org.ringmaster.crm.simple.model;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.IsoFields;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A date expression of a rule, evaluated at the "now" the engine is given (times in UTC):
 * <ul>
 *   <li>{@code gt}: now is after {@code start};</li>
 *   <li>{@code lt}: now is before {@code end};</li>
 *   <li>{@code in_range}: {@code start <= now <= end}, either bound may be missing (not both), the end
 *       may be given as a {@code duration} after the start;</li>
 *   <li>{@code date_spec}: every given field of {@code spec} matches now; a field is a number or an
 *       inclusive range {@code a-b}. Fields: years, months, monthdays, weekdays (1 = Monday),
 *       yeardays, hours, minutes, seconds, weekyears, weeks (ISO week).</li>
 * </ul>
 *
 * @param duration years, months, weeks, days, hours, minutes, seconds to add to {@code start} (in_range)
 */
public record DateExpression(String id, String operation, Instant start, Instant end, Map<String, Integer> duration,
                             Map<String, String> spec) {
    /** The date_spec and duration fields Pacemaker knows. */
    public static final List<String> SPEC_FIELDS = List.of("years", "months", "monthdays", "weekdays", "yeardays",
            "hours", "minutes", "seconds", "weekyears", "weeks");
    public static final List<String> DURATION_FIELDS = List.of("years", "months", "weeks", "days", "hours", "minutes",
            "seconds");

    public DateExpression {
        operation = operation == null ? "in_range" : operation.toLowerCase(Locale.ROOT);
        duration = Map.copyOf(duration);
        spec = Map.copyOf(new LinkedHashMap<>(spec));
        String where = "date_expression " + id;
        switch (operation) {
            case "gt" -> require(start != null, where + ": operation gt needs a start");
            case "lt" -> require(end != null, where + ": operation lt needs an end");
            case "in_range" -> require(start != null || end != null || !duration.isEmpty(),
                    where + ": operation in_range needs a start or an end");
            case "date_spec" -> require(!spec.isEmpty(), where + ": operation date_spec needs a date_spec");
            default -> throw new IllegalArgumentException(where + ": unknown operation '" + operation
                    + "' (gt, lt, in_range, date_spec)");
        }
        for (String k : spec.keySet()) {
            require(SPEC_FIELDS.contains(k), where + ": unknown date_spec field '" + k + "'");
            range(spec.get(k), where + " date_spec " + k);
        }
        for (String k : duration.keySet()) {
            require(DURATION_FIELDS.contains(k), where + ": unknown duration field '" + k + "'");
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Whether the expression holds at {@code now}. */
    public boolean holds(Instant now) {
        return switch (operation) {
            case "gt" -> now.isAfter(start);
            case "lt" -> now.isBefore(end);
            case "in_range" -> (start == null || !now.isBefore(start)) && (effectiveEnd() == null
                    || !now.isAfter(effectiveEnd()));
            default -> specHolds(now.atZone(ZoneOffset.UTC));
        };
    }

    /**
     * The first instant after {@code now} at which {@link #holds} may change, or null when it never will: a
     * bound of gt/lt/in_range still ahead, or for date_spec the next start of its finest field's unit (second,
     * minute, hour, day, month, year; week fields count by day). Conservative: the value may stay the same there.
     */
    public Instant nextChange(Instant now) {
        return switch (operation) {
            case "gt" -> now.isAfter(start) ? null : start.plusNanos(1);
            case "lt" -> now.isBefore(end) ? end : null;
            case "in_range" -> {
                Instant a = start != null && now.isBefore(start) ? start : null;
                Instant e = effectiveEnd();
                Instant b = e != null && !now.isAfter(e) ? e.plusNanos(1) : null;
                yield a == null ? b : b == null || a.isBefore(b) ? a : b;
            }
            default -> nextSpecUnit(now.atZone(ZoneOffset.UTC));
        };
    }

    private Instant nextSpecUnit(ZonedDateTime t) {
        java.time.temporal.ChronoUnit finest = java.time.temporal.ChronoUnit.YEARS;
        for (String f : spec.keySet()) {
            java.time.temporal.ChronoUnit u = switch (f) {
                case "seconds" -> java.time.temporal.ChronoUnit.SECONDS;
                case "minutes" -> java.time.temporal.ChronoUnit.MINUTES;
                case "hours" -> java.time.temporal.ChronoUnit.HOURS;
                case "months" -> java.time.temporal.ChronoUnit.MONTHS;
                case "years" -> java.time.temporal.ChronoUnit.YEARS;
                default -> java.time.temporal.ChronoUnit.DAYS; // monthdays, weekdays, yeardays, weeks, weekyears
            };
            if (u.getDuration().compareTo(finest.getDuration()) < 0) {
                finest = u;
            }
        }
        return switch (finest) {
            case MONTHS -> t.toLocalDate().withDayOfMonth(1).plusMonths(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            case YEARS -> t.toLocalDate().withDayOfYear(1).plusYears(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            default -> t.truncatedTo(finest).plus(1, finest).toInstant();
        };
    }

    /** The end of an in_range: {@code end}, else start plus the duration. */
    public Instant effectiveEnd() {
        if (end != null || start == null || duration.isEmpty()) {
            return end;
        }
        ZonedDateTime t = start.atZone(ZoneOffset.UTC);
        t = t.plusYears(duration.getOrDefault("years", 0)).plusMonths(duration.getOrDefault("months", 0))
                .plusWeeks(duration.getOrDefault("weeks", 0)).plusDays(duration.getOrDefault("days", 0))
                .plusHours(duration.getOrDefault("hours", 0)).plusMinutes(duration.getOrDefault("minutes", 0))
                .plusSeconds(duration.getOrDefault("seconds", 0));
        return t.toInstant();
    }

    private boolean specHolds(ZonedDateTime t) {
        for (Map.Entry<String, String> e : spec.entrySet()) {
            int v = switch (e.getKey()) {
                case "years" -> t.getYear();
                case "months" -> t.getMonthValue();
                case "monthdays" -> t.getDayOfMonth();
                case "weekdays" -> t.getDayOfWeek().getValue();
                case "yeardays" -> t.getDayOfYear();
                case "hours" -> t.getHour();
                case "minutes" -> t.getMinute();
                case "seconds" -> t.getSecond();
                case "weekyears" -> t.get(IsoFields.WEEK_BASED_YEAR);
                default -> t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
            };
            long[] r = range(e.getValue(), e.getKey());
            if (v < r[0] || v > r[1]) {
                return false;
            }
        }
        return true;
    }

    /** "n" or "a-b" as an inclusive range. */
    static long[] range(String text, String where) {
        String t = text.trim();
        try {
            int dash = t.indexOf('-', 1);
            if (dash < 0) {
                long v = Long.parseLong(t);
                return new long[] {v, v};
            }
            long a = Long.parseLong(t.substring(0, dash).trim());
            long b = Long.parseLong(t.substring(dash + 1).trim());
            if (a > b) {
                throw new IllegalArgumentException(where + ": empty range '" + text + "'");
            }
            return new long[] {a, b};
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + ": not a number or range a-b: '" + text + "'");
        }
    }

    /**
     * Parses an ISO 8601 date or date and time ({@code 2025-01-31}, {@code 2025-01-31 08:00},
     * {@code 2025-01-31T08:00:00Z}, {@code 2025-01-31T08:00:00+02:00}); without an offset it is UTC.
     *
     * @throws IllegalArgumentException naming {@code where}
     */
    public static Instant parseTime(String text, String where) {
        String t = text.trim().replace(' ', 'T');
        try {
            if (!t.contains("T")) {
                return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            if (t.endsWith("Z") || t.endsWith("z") || t.matches(".*T.*[+-]\\d\\d(:?\\d\\d)?$")) {
                String norm = t.matches(".*[+-]\\d\\d$") ? t + ":00" : t.toUpperCase(Locale.ROOT);
                return OffsetDateTime.parse(norm).toInstant();
            }
            return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(where + ": not an ISO 8601 date/time: '" + text + "'");
        }
    }
}
