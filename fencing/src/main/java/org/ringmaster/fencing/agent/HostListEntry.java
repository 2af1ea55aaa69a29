package org.ringmaster.fencing.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One line of a fence agent's {@code list} output: a port (plug) and an optional alias (often the node name).
 *
 * @param port  the plug to pass back as {@code plug=}
 * @param alias the alias, empty when none
 */
public record HostListEntry(String port, String alias) {

    public HostListEntry {
        Objects.requireNonNull(port, "port");
        Objects.requireNonNull(alias, "alias");
    }

    /** True when {@code node} is this port or its alias. */
    public boolean matches(String node) {
        return port.equals(node) || alias.equals(node);
    }

    /**
     * Parses {@code list} output: one {@code port[<sep>alias]} a line, blank lines ignored; {@code N/A} alone means
     * the agent has no ports (empty list).
     *
     * @param separator the agent's {@code separator} parameter, or {@code null} for the default {@code ,}
     * @throws FenceAgentException naming the agent and line number for output that is not a port list
     */
    public static List<HostListEntry> parse(String agent, String output, String separator) {
        String sep = separator == null || separator.isEmpty() ? "," : separator;
        List<HostListEntry> out = new ArrayList<>();
        String[] lines = output.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.equals("N/A")) {
                continue;
            }
            int at = line.indexOf(sep);
            String port = (at < 0 ? line : line.substring(0, at)).strip();
            String alias = at < 0 ? "" : line.substring(at + sep.length()).strip();
            if (port.isEmpty() || containsControl(line)
                || line.length() > 256) {
                throw new FenceAgentException("fence agent " + agent + " list: line " + (i + 1)
                    + " is not 'port" + sep + "alias': '" + printable(line) + "'");
            }
            out.add(new HostListEntry(port, alias));
        }
        return List.copyOf(out);
    }

    private static boolean containsControl(String s) {
        return s.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f || c == 0xfffd);
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        s.codePoints().limit(80).forEach(c -> {
            if (c < 0x20 || c == 0x7f || c == 0xfffd) {
                sb.append(String.format("\\x%02x", c & 0xff));
            } else {
                sb.appendCodePoint(c);
            }
        });
        return sb.toString();
    }
}
