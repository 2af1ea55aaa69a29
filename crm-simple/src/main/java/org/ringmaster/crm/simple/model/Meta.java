package org.ringmaster.crm.simple.model;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Meta attributes of a resource (or resource defaults). Names are normalised so that the legacy
 * underscore spelling ({@code target_role}) means the same as the dash spelling.
 */
public record Meta(Map<String, String> values) {
    /** No attributes. */
    public static final Meta EMPTY = new Meta(Map.of());

    public Meta {
        Map<String, String> norm = new LinkedHashMap<>();
        values.forEach((k, v) -> norm.put(normalise(k), v));
        values = Map.copyOf(norm);
    }

    static String normalise(String name) {
        return name.replace('_', '-').toLowerCase(Locale.ROOT);
    }

    public Optional<String> get(String name) {
        return Optional.ofNullable(values.get(normalise(name)));
    }

    /** This meta with {@code parent}'s values underneath (ours win). */
    public Meta over(Meta parent) {
        Map<String, String> m = new LinkedHashMap<>(parent.values);
        m.putAll(values);
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

    /** Pacemaker's notion of a true value. */
    public static boolean truthy(String v) {
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1", "y" -> true;
            default -> false;
        };
    }
}
