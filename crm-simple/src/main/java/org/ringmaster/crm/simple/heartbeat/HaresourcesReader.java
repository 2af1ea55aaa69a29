package org.ringmaster.crm.simple.heartbeat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.ringmaster.crm.simple.model.Configuration;
import org.ringmaster.crm.simple.model.Group;
import org.ringmaster.crm.simple.model.Meta;
import org.ringmaster.crm.simple.model.Node;
import org.ringmaster.crm.simple.model.Primitive;
import org.ringmaster.crm.simple.model.Score;

/**
 * Reads heartbeat v1 {@code haresources}: each logical line ({@code \} continues, {@code #} comments)
 * is {@code preferred-node res1 res2 ...}, a group started left to right on its preferred node. A
 * bare IP address means {@code IPaddr::address}; {@code name::a::b} is script {@code name} with
 * positional arguments (agent parameters {@code 1}, {@code 2}, ...). heartbeat's {@code auto_failback}
 * becomes stickiness: {@code on}/{@code legacy} = go back to the preferred node, {@code off} = stay.
 */
public final class HaresourcesReader {
    /** Location score of a group on its preferred node. */
    public static final int PREFERENCE = 100;
    private static final Pattern BARE_IP = Pattern.compile("^\\d{1,3}(\\.\\d{1,3}){3}(/.*)?$");

    private HaresourcesReader() {
    }

    /**
     * @param text         the haresources file
     * @param source       file name for messages
     * @param nodes        the cluster nodes (ha.cf {@code node} lines); the preferred node must be one
     * @param autoFailback ha.cf auto_failback: on, off or legacy
     * @param scripts      where scripts are looked up
     */
    public static Configuration read(String text, String source, List<String> nodes, String autoFailback,
                                     ScriptLocator scripts) throws HaresourcesException {
        Configuration.Builder b = Configuration.builder();
        Set<String> known = new HashSet<>();
        for (String n : nodes) {
            String u = n.toLowerCase(Locale.ROOT);
            b.node(new Node(u, u, Map.of()));
            known.add(u);
        }
        String fb = autoFailback == null ? "legacy" : autoFailback.trim().toLowerCase(Locale.ROOT);
        int stickiness = switch (fb) {
            case "on", "legacy", "true", "yes", "1" -> 0;
            case "off", "false", "no", "0" -> Score.INFINITY;
            default -> throw new HaresourcesException(source + ": auto_failback must be on, off or legacy, not '"
                    + autoFailback + "'");
        };
        b.defaults(new Meta(Map.of("resource-stickiness", Integer.toString(stickiness))));
        Set<String> ids = new HashSet<>();
        int groupNo = 0;
        for (LogicalLine line : logicalLines(text)) {
            String[] tok = line.text.trim().split("\\s+");
            String where = source + ":" + line.number;
            String node = tok[0].toLowerCase(Locale.ROOT);
            if (!known.isEmpty() && !known.contains(node)) {
                throw new HaresourcesException(where + ": preferred node '" + tok[0] + "' is not a cluster node "
                        + known.stream().sorted().toList());
            }
            if (tok.length < 2) {
                throw new HaresourcesException(where + ": no resources after node '" + tok[0] + "'");
            }
            List<Primitive> members = new ArrayList<>();
            for (int i = 1; i < tok.length; i++) {
                members.add(primitive(tok[i], where, ids, scripts));
            }
            String gid = "group_" + (++groupNo) + "_" + node;
            ids.add(gid);
            b.resource(new Group(gid, members, Meta.EMPTY));
            b.location(gid, node, PREFERENCE);
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new HaresourcesException(source + ": " + e.getMessage());
        }
    }

    private static Primitive primitive(String spec, String where, Set<String> ids, ScriptLocator scripts)
            throws HaresourcesException {
        String s = BARE_IP.matcher(spec).matches() ? "IPaddr::" + spec : spec;
        String[] parts = s.split("::", -1);
        String name = parts[0];
        if (name.isEmpty()) {
            throw new HaresourcesException(where + ": resource '" + spec + "' has no script name");
        }
        String cls = scripts.classOf(name).orElseThrow(() -> new HaresourcesException(where + ": no resource script '"
                + name + "' (looked in resource.d, then the init scripts)"));
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            params.put(Integer.toString(i), parts[i]);
        }
        String base = parts.length > 1 ? name + "_" + parts[1].replaceAll("[^A-Za-z0-9_.-]", "_") : name;
        String id = base;
        for (int k = 2; ids.contains(id); k++) {
            id = base + "_" + k;
        }
        ids.add(id);
        return new Primitive(id, cls, null, name, params, Meta.EMPTY, List.of());
    }

    private record LogicalLine(int number, String text) {
    }

    private static List<LogicalLine> logicalLines(String text) {
        List<LogicalLine> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int start = 0;
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i];
            int hash = l.indexOf('#');
            if (hash >= 0) {
                l = l.substring(0, hash);
            }
            if (cur.length() == 0) {
                start = i + 1;
            }
            boolean cont = l.endsWith("\\");
            cur.append(cont ? l.substring(0, l.length() - 1) : l).append(' ');
            if (!cont) {
                if (!cur.toString().isBlank()) {
                    out.add(new LogicalLine(start, cur.toString()));
                }
                cur.setLength(0);
            }
        }
        if (!cur.toString().isBlank()) {
            out.add(new LogicalLine(start, cur.toString()));
        }
        return out;
    }
}
