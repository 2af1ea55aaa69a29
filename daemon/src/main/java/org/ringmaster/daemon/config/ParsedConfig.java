package org.ringmaster.daemon.config;

import java.util.List;

/** The syntax tree of one file plus the syntax warnings found while reading it. */
public record ParsedConfig(ConfigSection root, List<Diagnostic> warnings) {

    public ParsedConfig {
        warnings = List.copyOf(warnings);
    }
}
