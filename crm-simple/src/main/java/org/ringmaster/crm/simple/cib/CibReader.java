package org.ringmaster.crm.simple.cib;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ringmaster.crm.simple.model.ClusterOptions;
import org.ringmaster.crm.simple.model.ConditionalMeta;
import org.ringmaster.crm.simple.model.PlacementStrategy;
import org.ringmaster.crm.simple.model.Clone;
import org.ringmaster.crm.simple.model.ColocationConstraint;
import org.ringmaster.crm.simple.model.Configuration;
import org.ringmaster.crm.simple.model.Group;
import org.ringmaster.crm.simple.model.LocationConstraint;
import org.ringmaster.crm.simple.model.Meta;
import org.ringmaster.crm.simple.model.NoQuorumPolicy;
import org.ringmaster.crm.simple.model.Node;
import org.ringmaster.crm.simple.model.Operation;
import org.ringmaster.crm.simple.model.OrderConstraint;
import org.ringmaster.crm.simple.model.Primitive;
import org.ringmaster.crm.simple.model.Resource;
import org.ringmaster.crm.simple.model.Role;
import org.ringmaster.crm.simple.model.Score;
import org.ringmaster.crm.simple.status.ClusterStatus;
import org.ringmaster.crm.simple.status.NodeStatus;
import org.ringmaster.crm.simple.status.OperationHistory;
import org.ringmaster.crm.simple.status.OperationRecord;
import org.ringmaster.crm.simple.status.ResourceState;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Reads a Pacemaker CIB (configuration and status sections) into a {@link Configuration} and a
 * {@link ClusterStatus}. Unknown elements and options are ignored, as Pacemaker does; malformed
 * values raise a {@link CibFormatException} naming the element.
 */
public final class CibReader {
    private CibReader() {
    }

    public static Cib read(Path file) throws CibFormatException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        } catch (IOException e) {
            throw new CibFormatException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    public static Cib read(String xml, String source) throws CibFormatException {
        return read(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), source);
    }

    public static Cib read(InputStream in, String source) throws CibFormatException {
        Document doc = Xml.parse(in, source);
        Element cib = doc.getDocumentElement();
        if (!"cib".equals(cib.getTagName())) {
            throw new CibFormatException(source + ": root element is <" + cib.getTagName() + ">, expected <cib>");
        }
        try {
            Element conf = Xml.child(cib, "configuration");
            if (conf == null) {
                throw new CibFormatException(source + ": <cib> has no <configuration>");
            }
            ClusterOptions options = options(Xml.child(conf, "crm_config"));
            List<Node> nodes = new ArrayList<>();
            for (Element n : Xml.children(Xml.child(conf, "nodes"), "node")) {
                String type = Xml.attr(n, "type");
                if (type != null && !type.equals("member") && !type.equals("normal")) {
                    continue; // ping/remote nodes never host cluster resources here
                }
                String uname = Xml.attr(n, "uname") != null ? Xml.attr(n, "uname") : Xml.require(n, "id");
                nodes.add(new Node(Xml.attr(n, "id") == null ? uname : Xml.attr(n, "id"), uname,
                        Xml.nvpairs(n, "instance_attributes"), utilization(n)));
            }
            Element rscDefaults = Xml.child(conf, "rsc_defaults");
            Meta defaults = new Meta(plainPairs(rscDefaults, "meta_attributes"),
                    conditional(rscDefaults, "meta_attributes"));
            List<Resource> resources = new ArrayList<>();
            for (Element r : Xml.children(Xml.child(conf, "resources"), null)) {
                Resource res = resource(r);
                if (res != null) {
                    resources.add(res);
                }
            }
            ConstraintReader constraints = new ConstraintReader();
            constraints.read(Xml.child(conf, "constraints"));
            Configuration configuration;
            try {
                configuration = new Configuration(options, nodes, resources, defaults, constraints.locations,
                        constraints.colocations, constraints.orders, List.of());
            } catch (IllegalArgumentException e) {
                throw new CibFormatException(source + ": " + e.getMessage(), e);
            }
            ClusterStatus status = status(cib, nodes, Xml.child(cib, "status"));
            return new Cib(configuration, status);
        } catch (IllegalArgumentException e) {
            throw new CibFormatException(source + ": " + e.getMessage(), e);
        } catch (CibFormatException e) {
            if (e.getMessage().startsWith(source)) {
                throw e;
            }
            throw new CibFormatException(source + ": " + e.getMessage(), e);
        }
    }

    private static ClusterOptions options(Element crmConfig) {
        Map<String, String> o = Xml.nvpairs(crmConfig, "cluster_property_set");
        ClusterOptions d = ClusterOptions.defaults();
        String fencing = o.containsKey("fencing-enabled") ? o.get("fencing-enabled") : o.get("stonith-enabled");
        return new ClusterOptions(
                o.containsKey("no-quorum-policy")
                        ? NoQuorumPolicy.parse(o.get("no-quorum-policy"), "cluster option no-quorum-policy")
                        : d.noQuorumPolicy(),
                fencing == null ? d.fencingEnabled() : Meta.truthy(fencing),
                o.containsKey("symmetric-cluster") ? Meta.truthy(o.get("symmetric-cluster")) : d.symmetricCluster(),
                o.containsKey("start-failure-is-fatal") ? Meta.truthy(o.get("start-failure-is-fatal"))
                        : d.startFailureIsFatal(),
                o.containsKey("startup-fencing") ? Meta.truthy(o.get("startup-fencing")) : d.startupFencing(),
                o.containsKey("maintenance-mode") && Meta.truthy(o.get("maintenance-mode")),
                o.containsKey("placement-strategy")
                        ? PlacementStrategy.parse(o.get("placement-strategy"), "cluster option placement-strategy")
                        : d.placementStrategy(),
                o.containsKey("cluster-recheck-interval")
                        ? java.time.Duration.ofSeconds(Meta.durationSeconds(o.get("cluster-recheck-interval"),
                                "cluster option cluster-recheck-interval"))
                        : d.recheckInterval());
    }

    /** Legacy CIBs keep meta attributes such as target_role among instance attributes. */
    private static Meta meta(Element e) throws CibFormatException {
        Map<String, String> m = new LinkedHashMap<>(Xml.nvpairs(e, "instance_attributes"));
        m.putAll(plainPairs(e, "meta_attributes"));
        return new Meta(m, conditional(e, "meta_attributes"));
    }

    /** nvpairs of the sets without a rule, first definition of a name wins. */
    private static Map<String, String> plainPairs(Element owner, String setTag) {
        Map<String, String> m = new LinkedHashMap<>();
        for (Element set : Xml.children(owner, setTag)) {
            if (Xml.child(set, "rule") != null) {
                continue;
            }
            for (Element nv : Xml.children(set, "nvpair")) {
                String name = Xml.attr(nv, "name");
                if (name != null) {
                    m.putIfAbsent(name, nv.getAttribute("value"));
                }
            }
        }
        return m;
    }

    /** The sets with a rule (e.g. a date rule): they apply only while the rule holds. */
    private static List<ConditionalMeta> conditional(Element owner, String setTag) throws CibFormatException {
        List<ConditionalMeta> out = new ArrayList<>();
        for (Element set : Xml.children(owner, setTag)) {
            Element rule = Xml.child(set, "rule");
            if (rule == null) {
                continue;
            }
            Map<String, String> m = new LinkedHashMap<>();
            for (Element nv : Xml.children(set, "nvpair")) {
                String name = Xml.attr(nv, "name");
                if (name != null) {
                    m.putIfAbsent(name, nv.getAttribute("value"));
                }
            }
            String id = Xml.attr(set, "id") == null ? Xml.describe(set) : Xml.attr(set, "id");
            out.add(new ConditionalMeta(id, score(set, "score", 0), ConstraintReader.rule(rule), m));
        }
        return out;
    }

    /** utilization nvpairs: integers, a broken one named with its element. */
    private static Map<String, Integer> utilization(Element owner) throws CibFormatException {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (Element set : Xml.children(owner, "utilization")) {
            for (Element nv : Xml.children(set, "nvpair")) {
                String name = Xml.require(nv, "name");
                String v = nv.getAttribute("value");
                try {
                    out.putIfAbsent(name, Integer.parseInt(v.trim()));
                } catch (NumberFormatException e) {
                    throw new CibFormatException(Xml.describe(nv) + ": utilization " + name + " is not an integer: '"
                            + v + "'");
                }
            }
        }
        return out;
    }

    private static Resource resource(Element e) throws CibFormatException {
        switch (e.getTagName()) {
            case "primitive":
                return primitive(e);
            case "group": {
                List<Primitive> members = new ArrayList<>();
                for (Element p : Xml.children(e, "primitive")) {
                    members.add(primitive(p));
                }
                if (members.isEmpty()) {
                    throw new CibFormatException(Xml.describe(e) + ": group without primitives");
                }
                return new Group(Xml.require(e, "id"), members, meta(e));
            }
            case "clone":
            case "master": {
                Resource child = null;
                for (Element c : Xml.children(e, null)) {
                    if (c.getTagName().equals("primitive") || c.getTagName().equals("group")) {
                        child = resource(c);
                    }
                }
                if (child == null) {
                    throw new CibFormatException(Xml.describe(e) + ": clone without a primitive or group");
                }
                Map<String, String> m = new LinkedHashMap<>(meta(e).values());
                if (e.getTagName().equals("master")) {
                    m.put("promotable", "true");
                }
                return new Clone(Xml.require(e, "id"), child, new Meta(m));
            }
            default:
                return null; // bundles, templates, tags: out of scope
        }
    }

    private static Primitive primitive(Element e) throws CibFormatException {
        String id = Xml.require(e, "id");
        List<Operation> ops = new ArrayList<>();
        for (Element op : Xml.children(Xml.child(e, "operations"), "op")) {
            String role = Xml.attr(op, "role");
            try {
                ops.add(new Operation(Xml.require(op, "name"), Durations.millis(Xml.attr(op, "interval"),
                        Xml.describe(op) + " interval", true),
                        role == null ? null : Role.parse(role, Xml.describe(op)), Xml.attr(op, "on-fail")));
            } catch (IllegalArgumentException ex) {
                throw new CibFormatException(Xml.describe(op) + ": " + ex.getMessage(), ex);
            }
        }
        String cls = Xml.attr(e, "class");
        if (cls == null) {
            throw new CibFormatException(Xml.describe(e) + ": missing attribute 'class'");
        }
        return new Primitive(id, cls, Xml.attr(e, "provider"), Xml.require(e, "type"),
                Xml.nvpairs(e, "instance_attributes"), meta(e), ops, utilization(e));
    }

    private static ClusterStatus status(Element cib, List<Node> nodes, Element status) throws CibFormatException {
        String q = Xml.attr(cib, "have-quorum");
        boolean quorum = q == null || Meta.truthy(q);
        String dcUuid = Xml.attr(cib, "dc-uuid");
        String dc = null;
        Map<String, String> idToUname = new LinkedHashMap<>();
        for (Node n : nodes) {
            idToUname.put(n.id(), n.uname());
            if (n.id().equals(dcUuid)) {
                dc = n.uname();
            }
        }
        Map<String, NodeStatus> states = new LinkedHashMap<>();
        List<ResourceState> resources = new ArrayList<>();
        for (Element ns : Xml.children(status, "node_state")) {
            String uname = Xml.attr(ns, "uname");
            if (uname == null) {
                uname = idToUname.get(Xml.attr(ns, "id"));
            }
            if (uname == null || !idToUname.containsValue(uname)) {
                continue; // state of a node that is not configured (remote/guest): out of scope
            }
            Map<String, String> attrs = new LinkedHashMap<>();
            for (Element ta : Xml.children(ns, "transient_attributes")) {
                attrs.putAll(Xml.nvpairs(ta, "instance_attributes"));
            }
            String shutdown = Xml.attr(ns, "shutdown");
            if (shutdown != null && !attrs.containsKey("shutdown")) {
                attrs.put("shutdown", shutdown);
            }
            states.put(uname, new NodeStatus(uname, true, upFlag(Xml.attr(ns, "in_ccm")),
                    upFlag(Xml.attr(ns, "crmd")), Xml.attr(ns, "join"), "member".equals(Xml.attr(ns, "expected")),
                    attrs));
            for (Element lrm : Xml.children(ns, "lrm")) {
                for (Element lr : Xml.children(Xml.child(lrm, "lrm_resources"), "lrm_resource")) {
                    resources.add(history(lr, uname));
                }
            }
        }
        // execution-date (epoch seconds) is the moment the CIB was decided on; without it the caller
        // chooses "now" (ClusterStatus.at)
        String when = Xml.attr(cib, "execution-date");
        java.time.Instant now = null;
        if (when != null && !when.isBlank()) {
            now = java.time.Instant.ofEpochSecond(integer(when, "<cib> execution-date"));
        }
        return new ClusterStatus(quorum, dc, states, resources, now);
    }

    /** in_ccm / crmd: booleans, online/offline, or a timestamp (> 0 = up). */
    static boolean upFlag(String v) {
        if (v == null) {
            return false;
        }
        String t = v.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.equals("online") || Meta.truthy(t)) {
            return true;
        }
        try {
            return Long.parseLong(t) > 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static ResourceState history(Element lr, String node) throws CibFormatException {
        String id = Xml.require(lr, "id");
        List<OperationRecord> ops = new ArrayList<>();
        for (Element op : Xml.children(lr, "lrm_rsc_op")) {
            String where = Xml.describe(op) + " on " + node;
            int expected = -1;
            String key = Xml.attr(op, "transition-key");
            if (key != null) {
                String[] parts = key.split(":");
                if (parts.length >= 3) {
                    expected = integer(parts[2], where + " transition-key");
                }
            }
            ops.add(new OperationRecord(Xml.require(op, "operation"),
                    Durations.millis(Xml.attr(op, "interval"), where + " interval", false),
                    integer(attrOr(op, "rc-code", "0"), where + " rc-code"),
                    integer(attrOr(op, "op-status", "0"), where + " op-status"),
                    integer(attrOr(op, "call-id", "0"), where + " call-id"), expected,
                    integer(attrOr(op, "last-rc-change", "0"), where + " last-rc-change")));
        }
        return OperationHistory.replay(id, node, ops);
    }

    private static String attrOr(Element e, String name, String dflt) {
        String v = Xml.attr(e, name);
        return v == null ? dflt : v;
    }

    private static int integer(String v, String where) throws CibFormatException {
        try {
            return (int) Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new CibFormatException(where + ": not an integer: '" + v + "'");
        }
    }

    static int score(Element e, String attr, int dflt) throws CibFormatException {
        String v = Xml.attr(e, attr);
        if (v == null) {
            return dflt;
        }
        try {
            return Score.parse(v, Xml.describe(e) + " " + attr);
        } catch (IllegalArgumentException ex) {
            throw new CibFormatException(ex.getMessage(), ex);
        }
    }
}
