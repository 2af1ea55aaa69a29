package org.ringmaster.crm.simple.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Meta attributes of a resource (or resource defaults). Names are normalised so that the legacy
 * underscore spelling ({@code target_role}) means the same as the dash spelling. {@code conditional}
 * holds rule-bound sets; {@link #resolve} turns them into plain values for one moment.
 */
public record Meta(Map<String, String> values, List<ConditionalMeta> conditional) {
    /** No attributes. */
    public static final Meta EMPTY = new Meta(Map.of());

    public Meta {
        Map<String, String> norm = new LinkedHashMap<>();
        values.forEach((k, v) -> norm.put(normalise(k), v));
        values = Map.copyOf(norm);
        conditional = List.copyOf(conditional);
    }

    /** Unconditional values only. */
    public Meta(Map<String, String> values) {
        this(values, List.of());
    }

    static String normalise(String name) {
        return name.replace('_', '-').toLowerCase(Locale.ROOT);
    }

    public Optional<String> get(String name) {
        return Optional.ofNullable(values.get(normalise(name)));
    }

    /** This meta with {@code parent}'s values underneath (ours win); resolve both first when rules matter. */
    public Meta over(Meta parent) {
        Map<String, String> m = new LinkedHashMap<>(parent.values);
        m.putAll(values);
        List<ConditionalMeta> c = new ArrayList<>(conditional);
        c.addAll(parent.conditional);
        return new Meta(m, c);
    }

    /**
     * The plain values in force where {@code holds} says which rules hold: each name from the
     * highest-scored matching conditional set that has it, else the unconditional value.
     */
    public Meta resolve(Predicate<Rule> holds) {
        if (conditional.isEmpty()) {
            return this;
        }
        List<ConditionalMeta> sets = new ArrayList<>(conditional);
        sets.sort(Comparator.comparingInt((ConditionalMeta c) -> -c.score()));
        Map<String, String> m = new LinkedHashMap<>(values);
        java.util.Set<String> decided = new java.util.HashSet<>();
        for (ConditionalMeta c : sets) {
            if (!holds.test(c.rule())) {
                continue;
            }
            c.values().forEach((k, v) -> {
                if (decided.add(normalise(k))) {
                    m.put(normalise(k), v);
                }
            });
        }
        return new Meta(m);
    }

    /** A boolean meta value in Pacemaker's spelling (true/yes/on/1/y). */
    public boolean flag(String name, boolean dflt) {
        return get(name).map(Meta::truthy).orElse(dflt);
    }

    /** An integer meta value; a broken one names itself in the error. */
    public int integer(String name, int dflt, String owner) {
        Optional<String> v = get(name);
        if (v.isPresent() && v.get().contains(".")) {
            return dflt; // Pacemaker does not accept a decimal here and falls back to the default
        }
        return v.isEmpty() ? dflt : Score.parse(v.get(), owner + " meta " + name);
    }

    /**
     * A duration meta value in seconds ({@code 60}, {@code 60s}, {@code 5min}, {@code 2h},
     * {@code 500ms} rounded up, ISO 8601 {@code PT1M}); 0 when absent.
     *
     * @throws IllegalArgumentException naming the owner and attribute when the value is not a duration
     */
    public long seconds(String name, String owner) {
        Optional<String> v = get(name);
        if (v.isEmpty() || v.get().isBlank()) {
            return 0;
        }
        return durationSeconds(v.get(), owner + " meta " + name);
    }

    /**
     * A Pacemaker duration in seconds, as {@link #seconds} reads it.
     *
     * @throws IllegalArgumentException {@code "<where>: not a duration: '<text>'"}
     */
    public static long durationSeconds(String text, String where) {
        Optional<String> v = Optional.of(text);
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("p")) {
                return java.time.Duration.parse(t.toUpperCase(Locale.ROOT)).toSeconds();
            }
            int i = 0;
            while (i < t.length() && Character.isDigit(t.charAt(i))) {
                i++;
            }
            long n = Long.parseLong(t.substring(0, i));
            return switch (t.substring(i).trim()) {
                case "", "s", "sec" -> n;
                case "ms", "msec" -> (n + 999) / 1000;
                case "m", "min" -> n * 60;
                case "h", "hr" -> n * 3600;
                default -> throw new NumberFormatException();
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(where + ": not a duration: '" + v.get() + "'");
        }
    }

    /** Pacemaker's notion of a true value. */
    public static boolean truthy(String v) {
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1", "y" -> true;
            default -> false;
        };
    }
}
