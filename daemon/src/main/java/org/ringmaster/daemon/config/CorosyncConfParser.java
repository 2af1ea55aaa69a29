package org.ringmaster.daemon.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads Corosync's brace syntax into a {@link ConfigSection} tree.
 *
 * <p>Follows the line rules of corosync 3.1's {@code coroparse.c} so that every file Corosync
 * accepts is accepted here: one statement per line; blank lines and lines whose first non-blank
 * character is {@code #} are ignored (a {@code #} later in a line is part of the value); a line with
 * {@code {} opens a section named by the text before it; otherwise a line with {@code :} is
 * {@code key: value} (split at the first colon, blanks around key and value removed, quotes kept);
 * otherwise a line with {@code }} closes the innermost section. Duplicate keys and repeated
 * sections are kept in the tree: Corosync accepts both, later values win, and the typed layer
 * warns about them.
 *
 * <p>Where we differ, deliberately: text after a closing brace on the same line is a warning, not
 * an error (corosync 3.1.7 rejects it, older versions accepted it, and real files in the wild have
 * it); section names must be plain words (Corosync would silently create an unusable section from
 * {@code key: value {}).
 */
public final class CorosyncConfParser {

    private static final Pattern SECTION_NAME = Pattern.compile("[A-Za-z0-9_.-]+");

    private CorosyncConfParser() {
    }

    /** Reads and parses a file; I/O problems become a {@link ConfigException} naming the file. */
    public static ParsedConfig parse(Path file) throws ConfigException {
        String text;
        try {
            byte[] bytes = Files.readAllBytes(file);
            text = new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(List.of(new Diagnostic(Diagnostic.Severity.ERROR,
                    new SourcePosition(file.toString(), 0, 0), "",
                    "cannot read configuration file: " + describe(e))));
        }
        return parse(file.toString(), text);
    }

    /** Parses text; {@code fileName} is only used in positions. */
    public static ParsedConfig parse(String fileName, String text) throws ConfigException {
        return new Run(fileName).parse(text);
    }

    private static String describe(IOException e) {
        String type = e.getClass().getSimpleName();
        return e.getMessage() == null ? type : type + " " + e.getMessage();
    }

    /** State of one parse: the stack of open sections. */
    private static final class Run {
        private final String file;
        private final List<Diagnostic> warnings = new ArrayList<>();
        private final Deque<Builder> open = new ArrayDeque<>();

        Run(String file) {
            this.file = file;
        }

        ParsedConfig parse(String text) throws ConfigException {
            Builder root = new Builder("", pos(1, 1));
            open.push(root);
            if (text.startsWith("\uFEFF")) {
                text = text.substring(1); // editors on other systems may save a byte order mark
            }
            String[] lines = text.split("\n", -1);
            int lastLine = text.endsWith("\n") ? lines.length - 1 : lines.length;
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i];
                if (line.endsWith("\r")) {
                    line = line.substring(0, line.length() - 1);
                }
                parseLine(i + 1, line);
            }
            if (open.size() > 1) {
                swallowedBrace();
                Builder innermost = open.peek();
                StringBuilder msg = new StringBuilder("section '" + innermost.name
                        + "' is never closed: expected '}' before the end of the file (line " + lastLine + ")");
                List<Builder> outer = new ArrayList<>(open);
                for (Builder b : outer.subList(1, outer.size() - 1)) {
                    msg.append("; also unclosed: '").append(b.name).append("' at ").append(b.position);
                }
                Builder suspect = lastOutdentedClose(innermost);
                if (suspect != null) {
                    msg.append("; the '}' at ").append(suspect.closedAt).append(" closes '").append(suspect.name)
                            .append("' opened at ").append(suspect.position)
                            .append(" but is indented less: is a '}' missing before it?");
                }
                throw error(innermost.position, innermost.path(), msg.toString());
            }
            return new ParsedConfig(root.build(), warnings);
        }

        /**
         * A brace written after a value ({@code token: 3000 }}) is part of the value, as in Corosync,
         * so its section never closes; point at that brace rather than at the section.
         */
        private void swallowedBrace() throws ConfigException {
            for (Builder b : open) {
                for (int i = b.entries.size() - 1; i >= 0; i--) {
                    ConfigEntry e = b.entries.get(i);
                    int brace = e.value().lastIndexOf('}');
                    if (brace >= 0) {
                        SourcePosition at = pos(e.valuePosition().line(), e.valuePosition().column() + brace);
                        String key = b.path().isEmpty() ? e.key() : b.path() + "." + e.key();
                        throw error(at, key, "this '}' is read as part of the value '" + e.value()
                                + "' (a 'key: value' line is taken whole), so section '" + b.name
                                + "' is never closed: put the '}' on its own line");
                    }
                }
            }
        }

        /** The last section below {@code b} whose '}' sits left of its name: a likely missing brace. */
        private static Builder lastOutdentedClose(Builder b) {
            Builder found = null;
            for (Builder child : b.children) {
                if (child.closedAt != null && child.closedAt.column() < child.position.column()) {
                    found = child;
                }
                Builder deeper = lastOutdentedClose(child);
                if (deeper != null) {
                    found = deeper;
                }
            }
            return found;
        }

        private void parseLine(int lineNo, String line) throws ConfigException {
            int start = 0;
            while (start < line.length() && isBlank(line.charAt(start))) {
                start++;
            }
            int end = line.length();
            while (end > start && isBlank(line.charAt(end - 1))) {
                end--;
            }
            if (start == end || line.charAt(start) == '#') {
                return;
            }
            int brace = line.indexOf('{', start);
            if (brace >= 0 && brace < end) {
                openSection(lineNo, line, start, end, brace);
                return;
            }
            int colon = line.indexOf(':', start);
            if (colon >= 0 && colon < end) {
                entry(lineNo, line, start, end, colon);
                return;
            }
            int close = line.indexOf('}', start);
            if (close >= 0 && close < end) {
                closeSection(lineNo, line, start, end, close);
                return;
            }
            String word = line.substring(start, end);
            throw error(pos(lineNo, start + 1), qualify(word),
                    "expected 'key: value', 'name {' or '}' but found '" + word + "' (missing ':' after the key?)");
        }

        private void openSection(int lineNo, String line, int start, int end, int brace) throws ConfigException {
            int nameEnd = brace;
            while (nameEnd > start && (isBlank(line.charAt(nameEnd - 1)) || line.charAt(nameEnd - 1) == ':')) {
                nameEnd--;
            }
            String name = line.substring(start, nameEnd);
            if (name.isEmpty()) {
                throw error(pos(lineNo, brace + 1), open.peek().path(), "missing section name before '{'");
            }
            if (!SECTION_NAME.matcher(name).matches()) {
                throw error(pos(lineNo, start + 1), qualify(name),
                        "invalid section name '" + name + "': expected a single word before '{'");
            }
            int after = brace + 1;
            while (after < end && isBlank(line.charAt(after))) {
                after++;
            }
            if (after < end) {
                throw error(pos(lineNo, after + 1), qualify(name), "unexpected text '" + line.substring(after, end)
                        + "' after '{': a section's contents start on the next line");
            }
            Builder child = new Builder(name, pos(lineNo, start + 1));
            child.parent = open.peek();
            open.peek().children.add(child);
            open.push(child);
        }

        private void entry(int lineNo, String line, int start, int end, int colon) throws ConfigException {
            int keyEnd = colon;
            while (keyEnd > start && isBlank(line.charAt(keyEnd - 1))) {
                keyEnd--;
            }
            String key = line.substring(start, keyEnd);
            if (key.isEmpty()) {
                throw error(pos(lineNo, colon + 1), open.peek().path(), "missing key name before ':'");
            }
            int valueStart = colon + 1;
            while (valueStart < end && isBlank(line.charAt(valueStart))) {
                valueStart++;
            }
            String value = line.substring(valueStart, end);
            open.peek().entries.add(new ConfigEntry(key, value, pos(lineNo, start + 1), pos(lineNo, valueStart + 1)));
        }

        private void closeSection(int lineNo, String line, int start, int end, int close) throws ConfigException {
            if (open.size() == 1) {
                throw error(pos(lineNo, close + 1), "", "unexpected '}': no section is open here");
            }
            Builder closing = open.peek();
            if (close > start) {
                throw error(pos(lineNo, start + 1), closing.path(), "unexpected text '" + line.substring(start, close)
                        + "' before '}': a closing brace must be alone on its line");
            }
            int after = close + 1;
            while (after < end && isBlank(line.charAt(after))) {
                after++;
            }
            if (after < end) {
                warnings.add(new Diagnostic(Diagnostic.Severity.WARNING, pos(lineNo, after + 1), closing.path(),
                        "text '" + line.substring(after, end) + "' after '}' is ignored (corosync 3.1.7 refuses this line)"));
            }
            closing.closedAt = pos(lineNo, close + 1);
            open.pop();
        }

        private String qualify(String key) {
            String path = open.peek().path();
            return path.isEmpty() ? key : path + "." + key;
        }

        private SourcePosition pos(int line, int column) {
            return new SourcePosition(file, line, column);
        }

        private ConfigException error(SourcePosition at, String key, String message) {
            List<Diagnostic> all = new ArrayList<>(warnings);
            all.add(new Diagnostic(Diagnostic.Severity.ERROR, at, key, message));
            return new ConfigException(all);
        }

        private static boolean isBlank(char c) {
            return c == ' ' || c == '\t';
        }
    }

    /** Mutable section while its lines are being read. */
    private static final class Builder {
        final String name;
        final SourcePosition position;
        final List<ConfigEntry> entries = new ArrayList<>();
        final List<Builder> children = new ArrayList<>();
        Builder parent;
        SourcePosition closedAt;

        Builder(String name, SourcePosition position) {
            this.name = name;
            this.position = position;
        }

        String path() {
            if (parent == null) {
                return name;
            }
            String up = parent.path();
            return up.isEmpty() ? name : up + "." + name;
        }

        ConfigSection build() {
            List<ConfigSection> built = new ArrayList<>();
            for (Builder b : children) {
                built.add(b.build());
            }
            return new ConfigSection(name, position, entries, built);
        }
    }
}
