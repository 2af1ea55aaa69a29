package org.ringmaster.daemon.config;

import java.util.ArrayList;
import java.util.List;

/** Collects findings while a file is turned into typed config; errors do not stop collection. */
final class Diagnostics {

    private final List<Diagnostic> all = new ArrayList<>();

    void warn(SourcePosition at, String key, String message) {
        all.add(new Diagnostic(Diagnostic.Severity.WARNING, at, key, message));
    }

    void error(SourcePosition at, String key, String message) {
        all.add(new Diagnostic(Diagnostic.Severity.ERROR, at, key, message));
    }

    void addAll(List<Diagnostic> diagnostics) {
        all.addAll(diagnostics);
    }

    boolean hasErrors() {
        return all.stream().anyMatch(d -> d.severity() == Diagnostic.Severity.ERROR);
    }

    List<Diagnostic> all() {
        return List.copyOf(all);
    }

    List<Diagnostic> warnings() {
        return all.stream().filter(d -> d.severity() == Diagnostic.Severity.WARNING).toList();
    }
}
