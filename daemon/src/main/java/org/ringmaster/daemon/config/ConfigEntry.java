package org.ringmaster.daemon.config;

/**
 * One {@code key: value} line. The value is kept exactly as Corosync keeps it: surrounding blanks
 * removed, nothing else (quotes and trailing {@code #} text are part of the value).
 */
public record ConfigEntry(String key, String value, SourcePosition keyPosition, SourcePosition valuePosition) {
}
