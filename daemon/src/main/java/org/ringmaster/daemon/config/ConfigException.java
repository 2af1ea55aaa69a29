package org.ringmaster.daemon.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A configuration file that cannot be used. Carries every finding (errors and the warnings seen so
 * far); the message lists the errors, one per line, each with its file:line:column.
 */
public class ConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient List<Diagnostic> diagnostics;

    public ConfigException(List<Diagnostic> diagnostics) {
        super(diagnostics.stream()
                .filter(d -> d.severity() == Diagnostic.Severity.ERROR)
                .map(Diagnostic::toString)
                .collect(Collectors.joining(System.lineSeparator())));
        this.diagnostics = List.copyOf(diagnostics);
    }

    /** Errors and warnings, in the order they were found. */
    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }

    /** Only the errors. */
    public List<Diagnostic> errors() {
        return diagnostics.stream().filter(d -> d.severity() == Diagnostic.Severity.ERROR).toList();
    }
}
