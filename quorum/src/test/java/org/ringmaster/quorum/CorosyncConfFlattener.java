package org.ringmaster.quorum;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Test-only reader of corosync.conf blocks into flattened keys ({@code nodelist.node.0.nodeid}),
 * enough to feed {@link QuorumConfig#fromKeys}. The daemon owns the real parser.
 */
final class CorosyncConfFlattener
{
    private CorosyncConfFlattener()
    {
    }

    static Map<String, String> flatten(final String text)
    {
        final Map<String, String> out = new LinkedHashMap<>();
        final Deque<String> path = new ArrayDeque<>();
        final Map<String, Integer> counters = new LinkedHashMap<>();
        int lineNo = 0;
        for (final String raw : text.split("\n"))
        {
            lineNo++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#"))
            {
                continue;
            }
            if (line.endsWith("{"))
            {
                String name = line.substring(0, line.length() - 1).strip();
                final String parent = String.join(".", path);
                if (name.equals("node") && parent.equals("nodelist"))
                {
                    final int n = counters.merge("nodelist.node", 1, Integer::sum) - 1;
                    name = "node." + n;
                }
                path.addLast(name);
            }
            else if (line.startsWith("}"))
            {
                if (path.isEmpty())
                {
                    throw new IllegalArgumentException("line " + lineNo + ": unbalanced }");
                }
                path.removeLast();
            }
            else
            {
                final int colon = line.indexOf(':');
                if (colon < 0)
                {
                    throw new IllegalArgumentException("line " + lineNo + ": expected key: value, got " + line);
                }
                final String prefix = path.isEmpty() ? "" : String.join(".", path) + ".";
                out.put(prefix + line.substring(0, colon).strip(), line.substring(colon + 1).strip());
            }
        }
        return out;
    }
}
