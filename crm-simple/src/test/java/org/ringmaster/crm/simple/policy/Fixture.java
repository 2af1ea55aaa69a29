package org.ringmaster.crm.simple.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ringmaster.crm.simple.model.ClusterOptions;
import org.ringmaster.crm.simple.model.Configuration;
import org.ringmaster.crm.simple.model.Meta;
import org.ringmaster.crm.simple.model.Primitive;
import org.ringmaster.crm.simple.model.Role;
import org.ringmaster.crm.simple.status.ClusterStatus;
import org.ringmaster.crm.simple.status.NodeStatus;
import org.ringmaster.crm.simple.status.ResourceState;

/** Hand-built configurations and states for engine unit tests. */
final class Fixture {
    final Configuration.Builder config = Configuration.builder();
    private final Map<String, NodeStatus> nodes = new LinkedHashMap<>();
    private final List<ResourceState> states = new ArrayList<>();
    private boolean quorum = true;
    private java.time.Instant now;

    static Fixture nodes(String... names) {
        Fixture f = new Fixture();
        for (String n : names) {
            f.config.node(n);
            f.nodes.put(n, NodeStatus.online(n));
        }
        return f;
    }

    static Primitive dummy(String id) {
        return Primitive.of(id, "ocf:pacemaker:Dummy");
    }

    static Primitive dummy(String id, String... meta) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < meta.length; i += 2) {
            m.put(meta[i], meta[i + 1]);
        }
        return dummy(id).withMeta(new Meta(m));
    }

    static Meta meta(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return new Meta(m);
    }

    Fixture options(ClusterOptions o) {
        config.options(o);
        return this;
    }

    Fixture running(String rsc, String node) {
        states.add(new ResourceState(rsc, node, Role.STARTED, false, false, false, false, null));
        return this;
    }

    Fixture promoted(String rsc, String node) {
        states.add(new ResourceState(rsc, node, Role.PROMOTED, false, false, false, false, null));
        return this;
    }

    Fixture failed(String rsc, String node) {
        states.add(new ResourceState(rsc, node, Role.STARTED, true, false, false, false, null));
        return this;
    }

    Fixture stopFailed(String rsc, String node) {
        states.add(new ResourceState(rsc, node, Role.STARTED, true, true, false, false, null));
        return this;
    }

    Fixture startFailed(String rsc, String node) {
        states.add(new ResourceState(rsc, node, Role.STOPPED, false, false, true, false, null));
        return this;
    }

    Fixture attribute(String node, String name, String value) {
        nodes.put(node, nodes.get(node).withAttribute(name, value));
        return this;
    }

    Fixture offline(String node) {
        nodes.put(node, NodeStatus.offline(node));
        return this;
    }

    /** Left the membership while expected up: unclean. */
    Fixture lost(String node) {
        nodes.put(node, new NodeStatus(node, true, false, false, "down", true, nodes.get(node).attributes()));
        return this;
    }

    /** A failed operation recorded for the resource on the node (role Started, or Promoted). */
    Fixture failedOp(String rsc, String node, String op, long intervalMs, long lastRcChange, Role role) {
        states.add(new ResourceState(rsc, node, role, true, op.equals("stop"), op.equals("start"), false,
                new org.ringmaster.crm.simple.status.OperationRecord(op, intervalMs, 1, 0, 9, 0, lastRcChange)));
        return this;
    }

    /** Node states for nodes configured by hand (config.node(...)). */
    Fixture withNodes(Map<String, NodeStatus> states) {
        nodes.putAll(states);
        return this;
    }

    /** The decision's "now". */
    Fixture at(java.time.Instant t) {
        now = t;
        return this;
    }

    /** A Dummy primitive with meta attributes and operations {@code name/intervalMs/role-or-null/on-fail-or-null}. */
    static Primitive dummyWithOps(String id, Meta meta, String... ops) {
        List<org.ringmaster.crm.simple.model.Operation> list = new ArrayList<>();
        for (String o : ops) {
            String[] p = o.split("/");
            list.add(new org.ringmaster.crm.simple.model.Operation(p[0], Long.parseLong(p[1]),
                    p[2].equals("null") ? null : Role.parse(p[2], "test"), p[3].equals("null") ? null : p[3]));
        }
        return new Primitive(id, "ocf", "pacemaker", "Dummy", Map.of(), meta, list);
    }

    Fixture noQuorum() {
        quorum = false;
        return this;
    }

    ClusterStatus status() {
        return new ClusterStatus(quorum, nodes.keySet().iterator().next(), nodes, states, now);
    }

    Transition decide() {
        return PolicyEngine.decide(config.build(), status());
    }

    /** Node of an instance, or "Stopped". */
    static String where(Transition t, String instance) {
        InstancePlacement p = t.placement(instance).orElseThrow(() -> new AssertionError("no " + instance));
        return p.node() == null ? "Stopped" : p.node();
    }

    static List<String> nodesOf(Transition t, String primitive) {
        List<String> out = new ArrayList<>();
        for (InstancePlacement p : t.placements()) {
            if (p.primitiveId().equals(primitive) && p.node() != null) {
                out.add(p.node());
            }
        }
        out.sort(null);
        return out;
    }
}
