package org.ringmaster.daemon.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A {@code name { ... }} block of a Corosync-style file, in file order. The root section of a file
 * has the empty name. Immutable.
 */
public final class ConfigSection {

    private final String name;
    private final SourcePosition position;
    private final List<ConfigEntry> entries;
    private final List<ConfigSection> sections;

    public ConfigSection(String name, SourcePosition position, List<ConfigEntry> entries, List<ConfigSection> sections) {
        this.name = name;
        this.position = position;
        this.entries = List.copyOf(entries);
        this.sections = List.copyOf(sections);
    }

    /** Section name, e.g. {@code totem}; empty for the file's root. */
    public String name() {
        return name;
    }

    /** Where the name of the section starts. */
    public SourcePosition position() {
        return position;
    }

    /** All key/value lines directly inside this section, in file order (duplicates kept). */
    public List<ConfigEntry> entries() {
        return entries;
    }

    /** All sub-sections, in file order. */
    public List<ConfigSection> sections() {
        return sections;
    }

    /** Sub-sections with the given name, in file order. */
    public List<ConfigSection> sections(String sectionName) {
        List<ConfigSection> found = new ArrayList<>();
        for (ConfigSection s : sections) {
            if (s.name.equals(sectionName)) {
                found.add(s);
            }
        }
        return found;
    }

    /** The value of the last line with this key (the one Corosync uses), if any. */
    public Optional<String> value(String key) {
        String found = null;
        for (ConfigEntry e : entries) {
            if (e.key().equals(key)) {
                found = e.value();
            }
        }
        return Optional.ofNullable(found);
    }

    @Override
    public String toString() {
        return "section '" + name + "' at " + position;
    }
}
