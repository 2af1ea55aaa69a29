package org.ringmaster.daemon.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.ringmaster.crm.api.ClusterResourceManager;
import org.ringmaster.crm.api.fencing.FenceResult;
import org.ringmaster.crm.simple.model.Group;
import org.ringmaster.crm.simple.model.Meta;
import org.ringmaster.crm.simple.model.Node;
import org.ringmaster.crm.simple.model.Primitive;
import org.ringmaster.crm.simple.model.Resource;
import org.ringmaster.crm.simple.model.Score;
import org.ringmaster.crm.simple.run.CrmSnapshot;
import org.ringmaster.crm.simple.run.LocalState;
import org.ringmaster.crm.simple.run.NodeRecord;
import org.ringmaster.crm.simple.run.SimpleCrm;
import org.ringmaster.daemon.node.ClusterNode;

/**
 * The {@code crmstatus} answer (see {@link Protocol}): the simple CRM's latest snapshot plus the node's fencing
 * history and node attributes, as tab-separated lines. Any thread.
 */
final class CrmStatusReport {

    private CrmStatusReport() {
    }

    static String write(ClusterNode node, List<String> reply) {
        Optional<ClusterResourceManager> crm = node.crm();
        if (crm.isEmpty() || !(crm.get() instanceof SimpleCrm simple) || simple.snapshot() == null) {
            reply.add("crm\tnone");
            return null;
        }
        CrmSnapshot s = simple.snapshot();
        reply.add("crm\trunning");
        reply.add("dc\t" + (s.dc() == null ? "" : s.dc()));
        reply.add("quorate\t" + (s.quorate() ? "yes" : "no"));
        reply.add("synced\t" + (s.synced() ? "yes" : "no"));
        reply.add("epoch\t" + s.config().epoch());
        reply.add("transition\t" + clean(s.transition()));
        if (s.configuration() == null) {
            reply.add("config_error\t" + clean(s.configError()));
        }
        Map<String, Node> configured = new TreeMap<>();
        if (s.configuration() != null) {
            s.configuration().nodes().forEach(n -> configured.put(n.uname(), n));
        }
        List<String> names = new ArrayList<>(configured.keySet());
        s.records().keySet().stream().filter(n -> !configured.containsKey(n)).forEach(names::add);
        for (String name : names) {
            NodeRecord r = s.records().get(name);
            String state = s.members().contains(name) ? "online" : r != null && r.expectedUp() ? "lost" : "offline";
            Map<String, String> attrs = configured.containsKey(name) ? configured.get(name).attributes() : Map.of();
            StringBuilder line = new StringBuilder("node\t").append(name).append('\t').append(state)
                    .append(Meta.truthy(attrs.getOrDefault("standby", "off")) ? "\tstandby" : "\t-")
                    .append(Meta.truthy(attrs.getOrDefault("maintenance", "off")) ? "\tmaintenance" : "\t-");
            Map<String, String> transientAttrs = node.nodeIdOf(name).map(node::attributes).orElse(Map.of());
            for (Map.Entry<String, String> a : new TreeMap<>(transientAttrs).entrySet()) {
                line.append('\t').append(clean(a.getKey())).append('\t').append(clean(a.getValue()));
            }
            reply.add(line.toString());
        }
        Map<String, String> groupOf = new TreeMap<>();
        if (s.configuration() != null) {
            for (Resource r : s.configuration().resources()) {
                if (r instanceof Group g) {
                    g.members().forEach(m -> groupOf.put(m.id(), g.id()));
                }
            }
        }
        List<String> failed = new ArrayList<>();
        List<String> counts = new ArrayList<>();
        for (Map.Entry<String, Primitive> e : s.instances().entrySet()) {
            String id = e.getKey();
            String prefix = "resource\t" + id + "\t" + e.getValue().agent() + "\t"
                    + groupOf.getOrDefault(e.getValue().id(), "") + "\t";
            boolean anywhere = false;
            for (NodeRecord r : s.records().values()) {
                LocalState st = r.state(id);
                boolean counts0 = s.members().contains(r.uname()) || r.expectedUp();
                if (counts0 && (st.active() || st.failed())) {
                    anywhere = true;
                    reply.add(prefix + clean(st.describe()) + "\t" + r.uname());
                }
                if (st.failed()) {
                    failed.add("failed\t" + id + "\t" + r.uname() + "\t" + st.failedOp()
                            + (st.failedInterval() > 0 ? "/" + st.failedInterval() + "ms" : "") + "\t" + st.failedRc());
                }
                if (r.failCount(id) != 0) {
                    counts.add("failcount\t" + id + "\t" + r.uname() + "\t" + Score.format(r.failCount(id)));
                }
            }
            if (!anywhere) {
                reply.add(prefix + "Stopped\t");
            }
        }
        reply.addAll(failed);
        reply.addAll(counts);
        node.fencer().ifPresent(f -> {
            for (FenceResult r : f.history()) {
                reply.add("fencing\t" + r.target() + "\t" + r.action().agentName() + "\t" + r.status() + "\t"
                        + r.executor() + "\t" + r.device() + "\t" + r.completedAt() + "\t" + clean(r.detail()));
            }
        });
        return null;
    }

    private static String clean(String s) {
        return s.replace('\t', ' ').replace('\n', ' ');
    }
}
