package org.ringmaster.daemon.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ringmaster.daemon.client.CrmStatus;

/** The resource part of {@code ringctl status} and {@code ringctl mon}, in the manner of crm_mon. */
final class CrmStatusText {

    private CrmStatusText() {
    }

    static void print(CrmStatus c, PrintWriter out) {
        if (!c.running()) {
            out.println("resources: no CRM runs on this node (no crm section)");
            return;
        }
        out.printf("crm: DC %s, %s, configuration epoch %d%s%n", c.dc().isEmpty() ? "(none yet)" : c.dc(),
                c.quorate() ? "quorate" : "NO QUORUM", c.epoch(), c.synced() ? "" : ", syncing");
        if (!c.configError().isEmpty()) {
            out.println("  the configuration is broken: " + c.configError());
        }
        List<String> nodes = new ArrayList<>();
        for (CrmStatus.Node n : c.nodes()) {
            StringBuilder s = new StringBuilder(n.name()).append(' ').append(n.state());
            if (n.standby()) {
                s.append(" standby");
            }
            if (n.maintenance()) {
                s.append(" maintenance");
            }
            if (!n.attributes().isEmpty()) {
                s.append(' ').append(new TreeMap<>(n.attributes()));
            }
            nodes.add(s.toString());
        }
        out.println("nodes: " + String.join(", ", nodes));
        Map<String, List<CrmStatus.Resource>> byGroup = new LinkedHashMap<>();
        for (CrmStatus.Resource r : c.resources()) {
            byGroup.computeIfAbsent(r.group(), g -> new ArrayList<>()).add(r);
        }
        out.println("resources:" + (c.resources().isEmpty() ? " none configured" : ""));
        for (Map.Entry<String, List<CrmStatus.Resource>> g : byGroup.entrySet()) {
            String indent = "  ";
            if (!g.getKey().isEmpty()) {
                out.println("  group " + g.getKey() + ":");
                indent = "    ";
            }
            for (CrmStatus.Resource r : g.getValue()) {
                out.printf("%s%-20s %-24s %s%s%n", indent, r.id(), r.agent(), r.state(),
                        r.node().isEmpty() ? "" : " on " + r.node());
            }
        }
        if (!c.failures().isEmpty()) {
            out.println("failed actions:");
            for (CrmStatus.Failure f : c.failures()) {
                out.printf("  %s on %s: %s rc=%d%n", f.resource(), f.node(), f.operation(), f.rc());
            }
        }
        if (!c.failCounts().isEmpty()) {
            out.println("fail-counts:");
            for (CrmStatus.FailCount f : c.failCounts()) {
                out.printf("  %s on %s: %s%n", f.resource(), f.node(), f.count());
            }
        }
        if (!c.fencing().isEmpty()) {
            out.println("fencing:");
            for (CrmStatus.Fencing f : c.fencing()) {
                out.printf("  %s %s: %s%s%s at %s%s%n", f.action(), f.target(), f.status(),
                        f.executor().isEmpty() ? "" : " by " + f.executor(),
                        f.device().isEmpty() ? "" : " via " + f.device(), f.completedAt(),
                        f.detail().isEmpty() ? "" : " (" + f.detail() + ")");
            }
        }
        if (!c.transition().isEmpty()) {
            out.println("running: " + c.transition());
        }
    }
}
