package org.ringmaster.daemon.config;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Typed access to one section for the config records. Remembers which keys and sub-sections were
 * read so that {@link #finish} can warn, by name, about every one that was not: nothing in a file is
 * ignored silently. Value errors are recorded and a default is returned, so one run reports every
 * problem of a file.
 */
final class SectionReader {

    private static final Pattern UNSIGNED = Pattern.compile("\\+?[0-9]+");

    private final ConfigSection section;
    private final String path;
    private final Diagnostics diagnostics;
    private final Set<String> readKeys = new HashSet<>();
    private final Set<String> readSections = new HashSet<>();
    private final Set<String> warnedDuplicates = new HashSet<>();

    SectionReader(ConfigSection section, String path, Diagnostics diagnostics) {
        this.section = section;
        this.path = path;
        this.diagnostics = diagnostics;
    }

    ConfigSection section() {
        return section;
    }

    String path() {
        return path;
    }

    Diagnostics diagnostics() {
        return diagnostics;
    }

    /** Dotted name of a key of this section, for messages. */
    String key(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    boolean has(String key) {
        return section.entries().stream().anyMatch(e -> e.key().equals(key));
    }

    /** The last line with this key, as Corosync uses it; warns once when the key repeats. */
    Optional<ConfigEntry> entry(String key) {
        readKeys.add(key);
        ConfigEntry first = null;
        ConfigEntry last = null;
        for (ConfigEntry e : section.entries()) {
            if (e.key().equals(key)) {
                if (first == null) {
                    first = e;
                }
                last = e;
            }
        }
        if (last != first && warnedDuplicates.add(key)) {
            diagnostics.warn(last.keyPosition(), key(key), "set more than once (first at " + first.keyPosition()
                    + " to '" + first.value() + "'); the last value '" + last.value() + "' wins, as in corosync");
        }
        return Optional.ofNullable(last);
    }

    Optional<String> string(String key) {
        return entry(key).map(e -> {
            String v = e.value();
            if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                diagnostics.warn(e.valuePosition(), key(key),
                        "quotes are part of the value (corosync does not remove them): " + v);
            }
            return v;
        });
    }

    String string(String key, String defaultValue) {
        return string(key).orElse(defaultValue);
    }

    /** An unsigned decimal in [min, max], as Corosync's integer keys; errors name the range. */
    Optional<Long> number(String key, long min, long max) {
        Optional<ConfigEntry> e = entry(key);
        if (e.isEmpty()) {
            return Optional.empty();
        }
        String v = e.get().value();
        if (UNSIGNED.matcher(v).matches()) {
            try {
                long n = Long.parseLong(v.startsWith("+") ? v.substring(1) : v);
                if (n >= min && n <= max) {
                    return Optional.of(n);
                }
            } catch (NumberFormatException tooLong) {
                // reported below as out of range
            }
        }
        String hint = v.contains("}") ? " (a '}' must be on its own line)"
                : v.contains("#") ? " (comments must be on their own line)" : "";
        diagnostics.error(e.get().valuePosition(), key(key),
                "expected an integer between " + min + " and " + max + " but found '" + v + "'" + hint);
        return Optional.empty();
    }

    long number(String key, long defaultValue, long min, long max) {
        return number(key, min, max).orElse(defaultValue);
    }

    int intValue(String key, int defaultValue, int min, int max) {
        return (int) number(key, defaultValue, min, max);
    }

    /** Corosync's 0/1 switches (uint8: any non-zero value enables). */
    Optional<Boolean> flag(String key) {
        return number(key, 0, 255).map(n -> n != 0);
    }

    /** Corosync's yes/no switches (logging): {@code yes|on} or {@code no|off}. */
    Optional<Boolean> yesNo(String key) {
        Optional<ConfigEntry> e = entry(key);
        if (e.isEmpty()) {
            return Optional.empty();
        }
        switch (e.get().value()) {
            case "yes":
            case "on":
                return Optional.of(true);
            case "no":
            case "off":
                return Optional.of(false);
            default:
                diagnostics.error(e.get().valuePosition(), key(key),
                        "expected yes or no (or on/off) but found '" + e.get().value() + "'");
                return Optional.empty();
        }
    }

    /** One of a fixed set of words. */
    Optional<String> choice(String key, List<String> allowed) {
        Optional<ConfigEntry> e = entry(key);
        if (e.isEmpty()) {
            return Optional.empty();
        }
        if (allowed.contains(e.get().value())) {
            return Optional.of(e.get().value());
        }
        diagnostics.error(e.get().valuePosition(), key(key),
                "expected one of " + String.join(", ", allowed) + " but found '" + e.get().value() + "'");
        return Optional.empty();
    }

    /** Sub-sections with this name (marks them as handled). */
    List<ConfigSection> sections(String name) {
        readSections.add(name);
        return section.sections(name);
    }

    /** Marks a key as handled without reading it (e.g. keys read by pattern). */
    void markRead(String key) {
        readKeys.add(key);
    }

    /**
     * Warns about every key and sub-section nobody read: first those in {@code notImplemented}
     * (Corosync options we know but do not implement, with why), then unknown ones.
     */
    void finish(Map<String, String> notImplemented) {
        Set<String> reported = new HashSet<>();
        for (ConfigEntry e : section.entries()) {
            if (readKeys.contains(e.key()) || !reported.add(e.key())) {
                continue;
            }
            String why = notImplemented.get(e.key());
            if (why != null) {
                diagnostics.warn(e.keyPosition(), key(e.key()), "not implemented by ringmaster, ignored: " + why);
            } else {
                diagnostics.warn(e.keyPosition(), key(e.key()), "unknown option, ignored");
            }
        }
        for (ConfigSection s : section.sections()) {
            if (readSections.contains(s.name())) {
                continue;
            }
            String why = notImplemented.get(s.name() + " {}");
            if (why != null) {
                diagnostics.warn(s.position(), key(s.name()), "section not implemented by ringmaster, ignored: " + why);
            } else {
                diagnostics.warn(s.position(), key(s.name()), "unknown section, ignored");
            }
        }
    }

    void finish() {
        finish(Map.of());
    }

    static Map<String, String> reasons(String... keyThenReason) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < keyThenReason.length; i += 2) {
            m.put(keyThenReason[i], keyThenReason[i + 1]);
        }
        return m;
    }
}
