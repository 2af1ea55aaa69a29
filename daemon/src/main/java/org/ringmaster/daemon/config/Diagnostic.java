package org.ringmaster.daemon.config;

/**
 * One finding about a configuration file: where, which key (dotted path such as
 * {@code nodelist.node[2].nodeid}) and what is wrong or ignored.
 */
public record Diagnostic(Severity severity, SourcePosition position, String key, String message) {

    /** How bad a finding is. */
    public enum Severity {
        /** Accepted, but the admin should know (ignored option, surprising value). */
        WARNING,
        /** The file cannot be used. */
        ERROR
    }

    /** {@code file:line:column: error: key: message}, the format compilers use, so editors can jump to it. */
    @Override
    public String toString() {
        String where = position == null ? "" : position + ": ";
        String what = key == null || key.isEmpty() ? "" : key + ": ";
        return where + severity.name().toLowerCase(java.util.Locale.ROOT) + ": " + what + message;
    }
}
