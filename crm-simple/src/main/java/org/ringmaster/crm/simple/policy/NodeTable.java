package org.ringmaster.crm.simple.policy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ringmaster.crm.simple.model.ClusterOptions;
import org.ringmaster.crm.simple.model.Configuration;
import org.ringmaster.crm.simple.model.Meta;
import org.ringmaster.crm.simple.model.Node;
import org.ringmaster.crm.simple.status.ClusterStatus;
import org.ringmaster.crm.simple.status.NodeStatus;

/**
 * The nodes in a fixed order (by name: Pacemaker's final tie-break) with their derived state:
 * online, unclean (to be fenced, or unfenceable when fencing is off), standby, shutting down.
 */
final class NodeTable {
    enum State { ONLINE, OFFLINE, PENDING, UNCLEAN }

    final int size;
    final String[] names;
    final State[] state;
    final boolean[] standby;
    final boolean[] shutdown;
    /** Node attribute maintenance=true: its resources are left alone, nothing new starts there. */
    final boolean[] maintenance;
    /** Node may receive resources. */
    final boolean[] canHost;
    /** Will be fenced in this transition (its resources then count as stopped). */
    final boolean[] fence;
    final List<Map<String, String>> attributes = new ArrayList<>();
    private final Map<String, Integer> index = new HashMap<>();

    NodeTable(Configuration cfg, ClusterStatus st) {
        List<Node> nodes = new ArrayList<>(cfg.nodes());
        nodes.sort(Comparator.comparing(Node::uname));
        size = nodes.size();
        names = new String[size];
        state = new State[size];
        standby = new boolean[size];
        shutdown = new boolean[size];
        maintenance = new boolean[size];
        canHost = new boolean[size];
        fence = new boolean[size];
        ClusterOptions o = cfg.options();
        for (int i = 0; i < size; i++) {
            Node n = nodes.get(i);
            names[i] = n.uname();
            index.put(n.uname(), i);
            NodeStatus s = st.nodes().get(n.uname());
            Map<String, String> attrs = new LinkedHashMap<>(n.attributes());
            if (s != null) {
                attrs.putAll(s.attributes());
            }
            attrs.put("#uname", n.uname());
            attrs.put("#id", n.id());
            attrs.put("#is_dc", Boolean.toString(n.uname().equals(st.dcUname())));
            attrs.put("#kind", "cluster");
            attributes.add(attrs);
            state[i] = derive(s, o);
            standby[i] = attrs.containsKey("standby") && Meta.truthy(attrs.get("standby"));
            String sd = attrs.get("shutdown");
            shutdown[i] = sd != null && !sd.isBlank() && !sd.trim().equals("0") && !sd.trim().equals("false");
            // Without quorum only nodes in our partition may be fenced (unless the policy is ignore).
            fence[i] = state[i] == State.UNCLEAN && o.fencingEnabled()
                    && (st.haveQuorum() || o.noQuorumPolicy() == org.ringmaster.crm.simple.model.NoQuorumPolicy.IGNORE);
            maintenance[i] = attrs.containsKey("maintenance") && Meta.truthy(attrs.get("maintenance"));
            canHost[i] = state[i] == State.ONLINE && !standby[i] && !shutdown[i] && !maintenance[i];
        }
    }

    private static State derive(NodeStatus s, ClusterOptions o) {
        if (s == null || !s.seen()) {
            return o.fencingEnabled() && o.startupFencing() ? State.UNCLEAN : State.OFFLINE;
        }
        boolean joined = "member".equals(s.join());
        if (s.inMembership() && s.controllerUp() && joined) {
            return State.ONLINE;
        }
        if (s.inMembership() && s.controllerUp()) {
            return State.PENDING;
        }
        if (o.fencingEnabled()) {
            return s.expectedUp() ? State.UNCLEAN : State.OFFLINE;
        }
        // Without fencing, a node still in the membership whose controller is gone cannot be
        // trusted to have stopped anything.
        return s.inMembership() && s.expectedUp() ? State.UNCLEAN : State.OFFLINE;
    }

    Integer indexOf(String uname) {
        return index.get(uname);
    }

    /** Resources recorded on this node are really there (blocked or to be recovered). */
    boolean historyCounts(int n) {
        return state[n] == State.ONLINE || state[n] == State.PENDING || (state[n] == State.UNCLEAN && !fence[n]);
    }

    String attribute(int n, String name) {
        return attributes.get(n).get(name);
    }
}
