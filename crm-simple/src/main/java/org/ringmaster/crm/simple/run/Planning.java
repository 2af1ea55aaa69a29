package org.ringmaster.crm.simple.run;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.ringmaster.crm.api.ClusterView;
import org.ringmaster.crm.simple.model.Configuration;
import org.ringmaster.crm.simple.model.Meta;
import org.ringmaster.crm.simple.model.Score;
import org.ringmaster.crm.simple.policy.Action;
import org.ringmaster.crm.simple.status.ClusterStatus;
import org.ringmaster.crm.simple.status.NodeStatus;
import org.ringmaster.crm.simple.status.ResourceState;

/**
 * What the DC adds around the policy engine: the engine's input built from the replicated records, and two
 * adjustments of its plan (stop_start for instances found active where they are to start, and nothing on
 * nodes in maintenance). Pure functions.
 */
final class Planning {
    private Planning() {
    }

    /** The engine's input, built from the replicated records. */
    static ClusterStatus status(ReplicatedState state, ClusterView view, Configuration cfg) {
        Map<String, Integer> memberIds = new HashMap<>();
        for (int m : state.members()) {
            memberIds.put(state.name(m), m);
        }
        Map<String, NodeStatus> nodes = new LinkedHashMap<>();
        List<ResourceState> resources = new ArrayList<>();
        for (var n : cfg.nodes()) {
            NodeRecord r = state.records().get(n.uname());
            Integer id = memberIds.get(n.uname());
            Map<String, String> attrs = new TreeMap<>();
            if (id != null) {
                attrs.putAll(view.attributes(id));
            }
            if (r != null) {
                r.failCounts().forEach((rsc, v) -> attrs.put("fail-count-" + rsc, Score.format(v)));
                // failure-timeout counts from here (seconds, as Pacemaker's last-failure attribute)
                r.failTimes().forEach((rsc, ms) -> attrs.put("last-failure-" + rsc, Long.toString(ms / 1000)));
            }
            if (id != null) {
                nodes.put(n.uname(), new NodeStatus(n.uname(), true, true, true, "member", true, attrs));
            } else if (r != null) {
                nodes.put(n.uname(), new NodeStatus(n.uname(), true, false, false, "down", r.expectedUp(), attrs));
            }
            if (r != null) {
                r.resources().forEach((rsc, s) -> resources.add(s.toResourceState(rsc, n.uname())));
            }
        }
        return new ClusterStatus(view.isQuorate(), state.self(), nodes, resources);
    }

    /**
     * Pacemaker's multiple-active=stop_start: where the engine starts an instance on a node on which the
     * records show it already active (it was found active on several nodes, e.g. after a partition healed),
     * stop it there first, so no start ever runs on a running instance.
     */
    static List<Action> stopBeforeRestart(ReplicatedState state, List<Action> actions) {
        List<Action> stops = new ArrayList<>();
        Map<Integer, Integer> stopFor = new HashMap<>();
        Set<String> stopped = new HashSet<>();
        for (Action a : actions) {
            if (a.kind().equals("stop")) {
                stopped.add(a.resource() + "@" + a.node());
            }
        }
        for (Action a : actions) {
            NodeRecord r = state.records().get(a.node());
            if (a.kind().equals("start") && r != null && r.state(a.resource()).active()
                    && !stopped.contains(a.resource() + "@" + a.node())) {
                stopFor.put(a.index(), stops.size());
                stops.add(new Action(stops.size(), "stop", a.resource(), a.node(), 0, List.of()));
            }
        }
        if (stops.isEmpty()) {
            return actions;
        }
        int k = stops.size();
        List<Action> out = new ArrayList<>(stops);
        for (Action a : actions) {
            List<Integer> after = new ArrayList<>();
            a.after().forEach(x -> after.add(x + k));
            Integer stop = stopFor.get(a.index());
            if (stop != null) {
                after.add(0, stop);
            }
            out.add(new Action(a.index() + k, a.kind(), a.resource(), a.node(), a.interval(), after));
        }
        return out;
    }

    /**
     * Drops actions that cannot or must not run, and everything that waits for them: actions on nodes in
     * maintenance, and (defensively: the engine should not plan them) non-fence actions on nodes that are not
     * members, which no one would ever claim. The next plan reconsiders them.
     */
    static List<Action> runnable(Configuration cfg, Set<String> members, List<Action> actions) {
        Set<String> maintenance = new TreeSet<>();
        cfg.nodes().forEach(n -> {
            if (Meta.truthy(n.attributes().getOrDefault("maintenance", "false"))) {
                maintenance.add(n.uname());
            }
        });
        boolean[] drop = new boolean[actions.size()];
        boolean any = false;
        for (Action a : actions) {
            drop[a.index()] = maintenance.contains(a.node())
                    || (!a.kind().equals("fence") && !members.contains(a.node()))
                    || a.after().stream().anyMatch(x -> drop[x]);
            any |= drop[a.index()];
        }
        if (!any) {
            return actions;
        }
        int[] renumber = new int[actions.size()];
        List<Action> out = new ArrayList<>();
        for (Action a : actions) {
            if (drop[a.index()]) {
                continue;
            }
            renumber[a.index()] = out.size();
            out.add(new Action(out.size(), a.kind(), a.resource(), a.node(), a.interval(),
                    a.after().stream().map(x -> renumber[x]).toList()));
        }
        return out;
    }
}
