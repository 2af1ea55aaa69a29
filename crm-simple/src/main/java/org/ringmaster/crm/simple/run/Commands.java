package org.ringmaster.crm.simple.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.ringmaster.crm.simple.model.Clone;
import org.ringmaster.crm.simple.model.Configuration;
import org.ringmaster.crm.simple.model.Group;
import org.ringmaster.crm.simple.model.Primitive;
import org.ringmaster.crm.simple.model.Resource;

/**
 * Applies an administrative command to the replicated state, identically on every member (it runs when
 * the command is delivered). Changes of the configuration overlay make a new epoch; {@code cleanup}
 * changes node records. An invalid command changes nothing and answers why.
 */
final class Commands {
    private Commands() {
    }

    static CommandResult apply(ReplicatedState st, int sender, List<String> w) {
        if (w.size() >= 3 && w.get(0).equals("config") && w.get(1).equals("load")) {
            return load(st, sender, w);
        }
        Configuration cfg = st.configuration();
        if (cfg == null) {
            return CommandResult.failed("the configuration is broken: " + st.configError());
        }
        if (w.size() < 3) {
            return CommandResult.usage("usage: resource|node VERB ARGS");
        }
        String verb = w.get(0) + " " + w.get(1);
        String target = w.get(2);
        SortedMap<String, String> overlay = new TreeMap<>(st.config().overlay());
        switch (verb) {
            case "resource move", "resource ban" -> {
                if (w.size() != 4) {
                    return CommandResult.usage("usage: " + verb + " RESOURCE NODE");
                }
                CommandResult bad = checkResource(cfg, target);
                bad = bad != null ? bad : checkNode(st, w.get(3));
                if (bad != null) {
                    return bad;
                }
                if (verb.endsWith("move")) {
                    overlay.put("loc:cli-prefer-" + target, target + " " + w.get(3) + " INFINITY");
                } else {
                    overlay.put("loc:cli-ban-" + target + "-on-" + w.get(3), target + " " + w.get(3) + " -INFINITY");
                }
            }
            case "resource clear" -> {
                CommandResult bad = checkResource(cfg, target);
                if (bad != null) {
                    return bad;
                }
                overlay.remove("loc:cli-prefer-" + target);
                overlay.keySet().removeIf(k -> k.startsWith("loc:cli-ban-" + target + "-on-"));
            }
            case "resource start", "resource stop" -> {
                CommandResult bad = checkResource(cfg, target);
                if (bad != null) {
                    return bad;
                }
                overlay.put("meta:" + target + ":target-role", verb.endsWith("start") ? "Started" : "Stopped");
            }
            case "resource cleanup" -> {
                return cleanup(st, cfg, w);
            }
            case "node standby", "node online" -> {
                CommandResult bad = checkNode(st, target);
                if (bad != null) {
                    return bad;
                }
                if (verb.endsWith("standby")) {
                    overlay.put("node:" + target + ":standby", "on");
                } else {
                    overlay.remove("node:" + target + ":standby");
                }
            }
            case "node maintenance" -> {
                CommandResult bad = checkNode(st, target);
                if (bad != null) {
                    return bad;
                }
                boolean on = w.size() < 4 || w.get(3).equals("on");
                if (w.size() > 4 || (w.size() == 4 && !w.get(3).equals("on") && !w.get(3).equals("off"))) {
                    return CommandResult.usage("usage: node maintenance NODE [on|off]");
                }
                if (on) {
                    overlay.put("node:" + target + ":maintenance", "on");
                } else {
                    overlay.remove("node:" + target + ":maintenance");
                }
            }
            default -> {
                return CommandResult.usage("unknown command '" + verb + "'");
            }
        }
        if (overlay.equals(st.config().overlay())) {
            return CommandResult.ok(verb + " " + target + ": nothing to change (epoch " + st.config().epoch() + ")");
        }
        ConfigDocument next = st.config().withOverlay(overlay, sender);
        try {
            next.configuration(st.knownNodes());
        } catch (ConfigDocument.ConfigException e) {
            return CommandResult.failed(verb + " " + target + ": " + e.getMessage());
        }
        st.setConfig(next);
        return CommandResult.ok(verb + " " + target + ": done (configuration epoch " + next.epoch() + ")");
    }

    private static CommandResult load(ReplicatedState st, int sender, List<String> w) {
        if (w.size() != 4) {
            return CommandResult.usage("usage: config load native|cib TEXT");
        }
        try {
            new ConfigDocument(0, 0, w.get(2), w.get(3), new TreeMap<>()).configuration(st.knownNodes());
        } catch (ConfigDocument.ConfigException | IllegalArgumentException e) {
            return CommandResult.failed("config load: " + e.getMessage());
        }
        ConfigDocument next = st.config().withText(w.get(2), w.get(3), sender);
        try {
            next.configuration(st.knownNodes());
        } catch (ConfigDocument.ConfigException e) {
            return CommandResult.failed("config load: with the administrative overlay: " + e.getMessage());
        }
        st.setConfig(next);
        return CommandResult.ok("config load: done (configuration epoch " + next.epoch() + ")");
    }

    private static CommandResult cleanup(ReplicatedState st, Configuration cfg, List<String> w) {
        if (w.size() > 4) {
            return CommandResult.usage("usage: resource cleanup RESOURCE [NODE]");
        }
        String rsc = w.get(2);
        CommandResult bad = checkResource(cfg, rsc);
        if (bad == null && w.size() == 4) {
            bad = checkNode(st, w.get(3));
        }
        if (bad != null) {
            return bad;
        }
        List<String> ids = instanceIds(cfg, rsc);
        int cleaned = 0;
        for (String node : st.knownNodes()) {
            if (w.size() == 4 && !node.equals(w.get(3))) {
                continue;
            }
            NodeRecord r = st.recordFor(node);
            if (r == null) {
                continue;
            }
            NodeRecord before = r;
            for (String id : ids) {
                // Forget what is known and probe again, as Pacemaker's cleanup does.
                if (!r.pending().contains(id)) {
                    r = r.withState(id, LocalState.STOPPED).withProbed(id, false);
                }
                r = r.withFailCount(id, 0);
            }
            if (!r.equals(before)) {
                st.putRecord(r);
                cleaned++;
            }
        }
        return CommandResult.ok("resource cleanup " + rsc + ": cleaned on " + cleaned + " node(s)");
    }

    /** The primitive instance ids a resource id stands for. */
    static List<String> instanceIds(Configuration cfg, String rsc) {
        Resource r = cfg.resourcesById().get(rsc);
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Primitive> e : ReplicatedState.instances(cfg).entrySet()) {
            String id = e.getKey();
            Primitive p = e.getValue();
            boolean match = id.equals(rsc) || p.id().equals(rsc)
                    || (r instanceof Group g && g.members().contains(p))
                    || (r instanceof Clone c && c.primitives().contains(p));
            if (match) {
                out.add(id);
            }
        }
        return out;
    }

    private static CommandResult checkResource(Configuration cfg, String rsc) {
        return cfg.resourcesById().containsKey(rsc) ? null
                : CommandResult.failed("no resource '" + rsc + "' (configured: " + cfg.resourcesById().keySet() + ")");
    }

    private static CommandResult checkNode(ReplicatedState st, String node) {
        Configuration cfg = st.configuration();
        boolean known = st.knownNodes().contains(node) || (cfg != null && cfg.node(node).isPresent());
        return known ? null : CommandResult.failed("no node '" + node + "' (known: " + st.knownNodes() + ")");
    }
}
