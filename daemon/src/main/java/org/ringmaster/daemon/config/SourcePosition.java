package org.ringmaster.daemon.config;

/**
 * A place in a configuration file: file name, 1-based line and 1-based column.
 * A tab counts as one column, so editors that expand tabs may show a larger column.
 */
public record SourcePosition(String file, int line, int column) {

    @Override
    public String toString() {
        // Line 0 stands for the file as a whole (e.g. it cannot be read).
        return line <= 0 ? file : file + ":" + line + ":" + column;
    }
}
