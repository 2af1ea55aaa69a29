package org.ringmaster.daemon.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The resource manager's state as one node sees it ({@code ringctl status}, {@code ringctl mon}): the designated
 * coordinator, which resource instance runs where, failed actions, fail-counts, node states and attributes, and
 * the fencing history. Immutable.
 *
 * @param running    whether a CRM runs on the node (false: every other field is empty)
 * @param dc         the designated coordinator's name, or "" while none is agreed
 * @param quorate    whether the CRM's partition has quorum
 * @param synced     false between a configuration change and the end of the CRM's sync
 * @param epoch      the replicated configuration's epoch
 * @param transition the running transition, described, or ""
 * @param configError why the replicated configuration cannot be used, or ""
 * @param nodes      every configured node
 * @param resources  one entry per resource instance and node where it is active or failed; one with node ""
 *                   for an instance that runs nowhere
 * @param failures   failed actions, per instance and node
 * @param failCounts non-zero fail-counts
 * @param fencing    the node's fencing history, oldest first (empty without a fencer)
 */
public record CrmStatus(boolean running, String dc, boolean quorate, boolean synced, long epoch, String transition,
                        String configError, List<Node> nodes, List<Resource> resources, List<Failure> failures,
                        List<FailCount> failCounts, List<Fencing> fencing) {

    public CrmStatus {
        nodes = List.copyOf(nodes);
        resources = List.copyOf(resources);
        failures = List.copyOf(failures);
        failCounts = List.copyOf(failCounts);
        fencing = List.copyOf(fencing);
    }

    /**
     * A configured node.
     *
     * @param state      {@code online} (a member), {@code lost} (expected up, gone: to be fenced) or {@code offline}
     * @param standby    whether it is in standby
     * @param maintenance whether it is in maintenance
     * @param attributes node attributes (e.g. {@code pingd}), by name
     */
    public record Node(String name, String state, boolean standby, boolean maintenance, Map<String, String> attributes) {
        public Node {
            attributes = Map.copyOf(attributes);
        }
    }

    /**
     * @param id    the instance ({@code id:n} for clone instances)
     * @param agent e.g. {@code builtin:process}, {@code ocf:heartbeat:IPaddr2}
     * @param group the group it belongs to, or ""
     * @param state e.g. {@code Started}, {@code Promoted}, {@code Started FAILED (monitor rc=7)}, {@code Stopped}
     * @param node  where, or "" when it runs nowhere
     */
    public record Resource(String id, String agent, String group, String state, String node) {
    }

    /** A failed action of {@code resource} on {@code node}: the operation and its OCF exit code. */
    public record Failure(String resource, String node, String operation, int rc) {
    }

    /** {@code count} is a number or {@code INFINITY}. */
    public record FailCount(String resource, String node, String count) {
    }

    /**
     * One fencing operation: {@code status} SUCCEEDED, FAILED, REFUSED, ...; {@code completedAt} ISO-8601.
     */
    public record Fencing(String target, String action, String status, String executor, String device,
                          String completedAt, String detail) {
    }

    /** Nodes on which {@code instance} is active (or failed), in the daemon's order. */
    public List<String> runningOn(String instance) {
        List<String> out = new ArrayList<>();
        for (Resource r : resources) {
            if (r.id().equals(instance) && !r.node().isEmpty()) {
                out.add(r.node());
            }
        }
        return out;
    }

    /** The fields as nested maps and lists, for JSON. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("running", running);
        if (!running) {
            return m;
        }
        m.put("dc", dc);
        m.put("quorate", quorate);
        m.put("synced", synced);
        m.put("epoch", epoch);
        m.put("transition", transition);
        if (!configError.isEmpty()) {
            m.put("config_error", configError);
        }
        List<Object> ns = new ArrayList<>();
        for (Node n : nodes) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("name", n.name());
            o.put("state", n.state());
            o.put("standby", n.standby());
            o.put("maintenance", n.maintenance());
            o.put("attributes", new java.util.TreeMap<>(n.attributes()));
            ns.add(o);
        }
        m.put("nodes", ns);
        List<Object> rs = new ArrayList<>();
        for (Resource r : resources) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("id", r.id());
            o.put("agent", r.agent());
            o.put("group", r.group());
            o.put("state", r.state());
            o.put("node", r.node());
            rs.add(o);
        }
        m.put("resources", rs);
        List<Object> fs = new ArrayList<>();
        for (Failure f : failures) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("resource", f.resource());
            o.put("node", f.node());
            o.put("operation", f.operation());
            o.put("rc", f.rc());
            fs.add(o);
        }
        m.put("failed_actions", fs);
        List<Object> cs = new ArrayList<>();
        for (FailCount c : failCounts) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("resource", c.resource());
            o.put("node", c.node());
            o.put("count", c.count());
            cs.add(o);
        }
        m.put("fail_counts", cs);
        List<Object> hs = new ArrayList<>();
        for (Fencing f : fencing) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("target", f.target());
            o.put("action", f.action());
            o.put("status", f.status());
            o.put("executor", f.executor());
            o.put("device", f.device());
            o.put("completed_at", f.completedAt());
            o.put("detail", f.detail());
            hs.add(o);
        }
        m.put("fencing", hs);
        return m;
    }

    /**
     * Parses the daemon's {@code crmstatus} answer: tab-separated lines, the first word naming the kind.
     *
     * @throws ClientException naming the line that does not parse
     */
    static CrmStatus parse(List<String> lines) throws ClientException {
        boolean running = false;
        String dc = "";
        boolean quorate = false;
        boolean synced = false;
        long epoch = 0;
        String transition = "";
        String configError = "";
        List<Node> nodes = new ArrayList<>();
        List<Resource> resources = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        List<FailCount> counts = new ArrayList<>();
        List<Fencing> fencing = new ArrayList<>();
        for (String l : lines) {
            String[] f = l.split("\t", -1);
            try {
                switch (f[0]) {
                    case "crm" -> running = f[1].equals("running");
                    case "dc" -> dc = f[1];
                    case "quorate" -> quorate = f[1].equals("yes");
                    case "synced" -> synced = f[1].equals("yes");
                    case "epoch" -> epoch = Long.parseLong(f[1]);
                    case "transition" -> transition = f[1];
                    case "config_error" -> configError = f[1];
                    case "node" -> {
                        Map<String, String> attrs = new LinkedHashMap<>();
                        for (int i = 5; i + 1 < f.length; i += 2) {
                            attrs.put(f[i], f[i + 1]);
                        }
                        nodes.add(new Node(f[1], f[2], f[3].equals("standby"), f[4].equals("maintenance"), attrs));
                    }
                    case "resource" -> resources.add(new Resource(f[1], f[2], f[3], f[4], f[5]));
                    case "failed" -> failures.add(new Failure(f[1], f[2], f[3], Integer.parseInt(f[4])));
                    case "failcount" -> counts.add(new FailCount(f[1], f[2], f[3]));
                    case "fencing" -> fencing.add(new Fencing(f[1], f[2], f[3], f[4], f[5], f[6], f[7]));
                    default -> {
                        // a newer daemon's kind of line: skipped, so old clients keep working
                    }
                }
            } catch (RuntimeException e) {
                throw new ClientException("malformed crmstatus line from the daemon: '" + l + "' (" + e + ")");
            }
        }
        return new CrmStatus(running, dc, quorate, synced, epoch, transition, configError, nodes, resources, failures,
                counts, fencing);
    }
}
