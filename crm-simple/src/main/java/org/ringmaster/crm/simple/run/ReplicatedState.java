package org.ringmaster.crm.simple.run;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.IntFunction;
import org.ringmaster.crm.simple.model.Clone;
import org.ringmaster.crm.simple.model.Configuration;
import org.ringmaster.crm.simple.model.Group;
import org.ringmaster.crm.simple.model.Primitive;
import org.ringmaster.crm.simple.model.Resource;
import org.ringmaster.crm.simple.policy.Action;
import org.ringmaster.membership.ConfigurationChange;

/**
 * The CRM's replicated state machine: configuration, node records and the running transition, changed
 * only by messages delivered in the channel's total order (and by configuration changes), so every member
 * of a configuration holds the same state. Deterministic and single-threaded; no clock.
 *
 * <p>{@link #mine()} is this node's own record as it knows it first-hand (its local truth): it is what
 * this node contributes to a {@link CrmMessage.Sync} and sends in {@link CrmMessage.NodeUpdate}s.
 */
final class ReplicatedState {

    /** What applying a message asks the local node to do. */
    interface Effects {
        /** A claim of ours was accepted: run the action now. */
        void run(long tid, Action action);

        /** An action started somewhere (for the DC's timeouts). */
        void running(long tid, int idx);

        /** A command was applied (everywhere); {@code sender} asked for it. */
        void commandApplied(int sender, long requestId, int exitCode, String text);

        /** A sync finished: the state is now that of the whole configuration. */
        void synced();

        /**
         * Another node's message changed this node's own record (a cleanup, an expired fail-count): the node
         * re-announces it, so that an update of its own sent before that change, and delivered after it,
         * does not leave the others with the older record.
         */
        void ownRecordChanged();

        /** A fencing of this very node succeeded while it is still a member: it must take itself out. */
        default void fencedWhileMember(String detail) {
        }
    }

    private final int selfId;
    private final String self;
    private final IntFunction<String> names;
    private final Effects effects;

    private ConfigDocument config;
    private final TreeMap<String, NodeRecord> records = new TreeMap<>();
    private NodeRecord mine;
    private long nextTid;
    private TransitionRun current;
    private int[] members = new int[0];
    private long ringSeq = -1;
    private boolean synced;
    private final TreeMap<Integer, CrmMessage.Sync> syncs = new TreeMap<>();
    /** Records members sent after their Sync, before the merge: newer than what their Sync says. */
    private final TreeMap<String, NodeRecord> lateUpdates = new TreeMap<>();
    /** Grows with every applied change: the DC replans when it moved. */
    private long version;

    private Configuration parsed;
    private String parseError;
    private Object parsedKey;

    ReplicatedState(int selfId, IntFunction<String> names, Effects effects, ConfigDocument config,
                    Collection<NodeRecord> known, long nextTid) {
        this.selfId = selfId;
        this.self = names.apply(selfId);
        this.names = names;
        this.effects = effects;
        this.config = config;
        known.forEach(r -> records.put(r.uname(), r));
        NodeRecord previous = records.get(self);
        // A (re)started node knows nothing first-hand about its resources: it probes them again.
        this.mine = previous == null ? NodeRecord.fresh(self, true) : previous.cleared(true);
        records.put(self, mine);
        this.nextTid = nextTid;
    }

    // ---- accessors -------------------------------------------------------------------------------

    String self() {
        return self;
    }

    ConfigDocument config() {
        return config;
    }

    SortedMap<String, NodeRecord> records() {
        return java.util.Collections.unmodifiableSortedMap(records);
    }

    NodeRecord mine() {
        return mine;
    }

    /** The local node changed its own record first-hand (an operation finished). */
    void updateMine(NodeRecord r) {
        mine = r;
    }

    TransitionRun current() {
        return current;
    }

    long nextTid() {
        return nextTid;
    }

    int[] members() {
        return members.clone();
    }

    boolean isMember(String uname) {
        for (int m : members) {
            if (names.apply(m).equals(uname)) {
                return true;
            }
        }
        return false;
    }

    long ringSeq() {
        return ringSeq;
    }

    boolean synced() {
        return synced;
    }

    long version() {
        return version;
    }

    /** The designated coordinator: the lowest node id of the configuration, once synced; -1 otherwise. */
    int dc() {
        return synced && members.length > 0 ? members[0] : -1;
    }

    boolean isDc() {
        return dc() == selfId;
    }

    String name(int id) {
        return names.apply(id);
    }

    /** Every node name known: records and members. */
    List<String> knownNodes() {
        TreeSet<String> n = new TreeSet<>(records.keySet());
        for (int m : members) {
            n.add(names.apply(m));
        }
        return new ArrayList<>(n);
    }

    /** The parsed configuration, or null when it is broken (see {@link #configError()}). */
    Configuration configuration() {
        List<String> nodes = knownNodes();
        Object key = List.of(config, nodes);
        if (!key.equals(parsedKey)) {
            parsedKey = key;
            try {
                parsed = config.configuration(nodes);
                parseError = null;
            } catch (ConfigDocument.ConfigException e) {
                parsed = null;
                parseError = e.getMessage();
            }
        }
        return parsed;
    }

    String configError() {
        configuration();
        return parseError;
    }

    /** Every primitive instance id of a configuration, with its primitive. */
    static Map<String, Primitive> instances(Configuration cfg) {
        Map<String, Primitive> out = new TreeMap<>();
        for (Resource r : cfg.resources()) {
            if (r instanceof Primitive p) {
                out.put(p.id(), p);
            } else if (r instanceof Group g) {
                g.members().forEach(m -> out.put(m.id(), m));
            } else if (r instanceof Clone c) {
                int max = c.cloneMax(cfg.nodes().size());
                for (int k = 0; k < max; k++) {
                    for (Primitive p : c.primitives()) {
                        out.put(p.id() + ":" + k, p);
                    }
                }
            }
        }
        return out;
    }

    // ---- configuration changes -------------------------------------------------------------------

    void onConfigurationChange(ConfigurationChange change) {
        if (!change.isRegular()) {
            return;
        }
        int[] before = members;
        members = change.members();
        ringSeq = change.ringSeq();
        synced = false;
        syncs.clear();
        lateUpdates.clear();
        if (current != null) {
            current.aborted = true;
        }
        for (int left : change.left()) {
            NodeRecord r = records.get(names.apply(left));
            if (r != null && change.reason() == ConfigurationChange.Reason.LEAVE
                    && r.resources().values().stream().noneMatch(LocalState::active)) {
                // a clean leave of a node that ran nothing needs no fencing
                records.put(r.uname(), r.withExpectedUp(false));
            }
        }
        if (!Arrays.equals(before, members)) {
            version++;
        }
    }

    // ---- messages --------------------------------------------------------------------------------

    void apply(int sender, CrmMessage m) {
        version++;
        if (m instanceof CrmMessage.Sync s) {
            onSync(sender, s);
        } else if (m instanceof CrmMessage.NodeUpdate u) {
            onNodeUpdate(sender, u);
        } else if (m instanceof CrmMessage.Plan p) {
            onPlan(sender, p);
        } else if (m instanceof CrmMessage.Exec e) {
            onExec(sender, e);
        } else if (m instanceof CrmMessage.Fenced f) {
            onFenced(f);
        } else if (m instanceof CrmMessage.ActionTimeout t) {
            onTimeout(sender, t);
        } else if (m instanceof CrmMessage.ExpireFailure x) {
            onExpireFailure(sender, x);
        } else if (m instanceof CrmMessage.Command c) {
            CommandResult r = Commands.apply(this, sender, c.words());
            effects.commandApplied(sender, c.requestId(), r.exitCode(), r.text());
        }
    }

    private void onSync(int sender, CrmMessage.Sync s) {
        if (s.ringSeq() != ringSeq || Arrays.binarySearch(members, sender) < 0) {
            return; // from an older configuration
        }
        syncs.put(sender, s);
        if (syncs.size() < members.length) {
            return;
        }
        // Every member's Sync is in: merge by the documented rules (package-info).
        ConfigDocument best = config;
        long tid = nextTid;
        TreeMap<String, NodeRecord> merged = new TreeMap<>(records);
        TreeMap<String, NodeRecord> absent = new TreeMap<>();
        for (Map.Entry<Integer, CrmMessage.Sync> e : syncs.entrySet()) {
            CrmMessage.Sync sy = e.getValue();
            if (sy.config().winsOver(best)) {
                best = sy.config();
            }
            tid = Math.max(tid, sy.nextTransitionId());
            for (NodeRecord r : sy.records()) {
                if (isMember(r.uname())) {
                    continue;
                }
                NodeRecord have = absent.get(r.uname());
                if (have == null || r.stamp() > have.stamp()) {
                    absent.put(r.uname(), r); // ties: the lowest sender's copy (iterated first) stays
                }
            }
        }
        merged.putAll(absent);
        for (Map.Entry<Integer, CrmMessage.Sync> e : syncs.entrySet()) {
            String owner = names.apply(e.getKey());
            for (NodeRecord r : e.getValue().records()) {
                if (r.uname().equals(owner)) {
                    merged.put(owner, r); // a member is the authority on itself
                }
            }
        }
        merged.putAll(lateUpdates);
        lateUpdates.clear();
        records.clear();
        records.putAll(merged);
        config = best;
        nextTid = tid;
        current = null;
        synced = true;
        syncs.clear();
        effects.synced();
    }

    private void onNodeUpdate(int sender, CrmMessage.NodeUpdate u) {
        String owner = names.apply(sender);
        if (!u.record().uname().equals(owner)) {
            return; // a node only speaks for itself
        }
        records.put(owner, u.record());
        if (!synced && syncs.containsKey(sender)) {
            lateUpdates.put(owner, u.record());
        }
        if (current == null) {
            return;
        }
        if (u.outcome() == CrmMessage.NodeUpdate.ABORT) {
            current.aborted = true;
        } else if (u.outcome() != CrmMessage.NodeUpdate.NONE && u.tid() == current.id && u.idx() >= 0
                && u.idx() < current.state.length && current.state[u.idx()] == TransitionRun.RUNNING
                && owner.equals(executor(current.actions.get(u.idx())))) {
            boolean ok = u.outcome() == CrmMessage.NodeUpdate.DONE;
            current.state[u.idx()] = ok ? TransitionRun.DONE : TransitionRun.FAILED;
            if (!ok) {
                current.aborted = true;
            }
        }
    }

    private void onPlan(int sender, CrmMessage.Plan p) {
        if (sender != dc() || p.tid() != nextTid || (current != null && !current.finished())) {
            return;
        }
        current = new TransitionRun(p.tid(), p.actions());
        nextTid = p.tid() + 1;
    }

    /** Who runs an action: its node, except fencing, which the DC asks for. */
    String executor(Action a) {
        if (a.kind().equals("fence")) {
            int dc = dc();
            return dc < 0 ? "" : names.apply(dc);
        }
        return a.node();
    }

    private void onExec(int sender, CrmMessage.Exec e) {
        if (current == null || e.tid() != current.id || e.idx() < 0 || e.idx() >= current.state.length) {
            return;
        }
        Action a = current.actions.get(e.idx());
        if (!current.ready(e.idx()) || !names.apply(sender).equals(executor(a))) {
            return;
        }
        current.state[e.idx()] = TransitionRun.RUNNING;
        effects.running(current.id, e.idx());
        if (sender == selfId) {
            effects.run(current.id, a);
        }
    }

    private void onFenced(CrmMessage.Fenced f) {
        NodeRecord r = records.get(f.node());
        if (f.ok() && r != null && !isMember(f.node())) {
            // Confirmed down: nothing of it runs any more. (A member already came back and speaks for itself.)
            records.put(f.node(), r.cleared(false));
        } else if (f.ok() && f.node().equals(self)) {
            // Fenced, yet still here (a device that reported success without taking this node down).
            effects.fencedWhileMember(f.detail());
        }
        if (current != null && f.tid() == current.id && f.idx() >= 0 && f.idx() < current.state.length
                && current.state[f.idx()] == TransitionRun.RUNNING) {
            current.state[f.idx()] = f.ok() ? TransitionRun.DONE : TransitionRun.FAILED;
            if (!f.ok()) {
                current.aborted = true;
            }
        }
    }

    private void onTimeout(int sender, CrmMessage.ActionTimeout t) {
        if (sender != dc() || current == null || t.tid() != current.id || t.idx() < 0
                || t.idx() >= current.state.length || current.state[t.idx()] != TransitionRun.RUNNING) {
            return;
        }
        current.state[t.idx()] = TransitionRun.FAILED;
        current.aborted = true;
        Action a = current.actions.get(t.idx());
        NodeRecord r = records.get(a.node());
        if (a.resource() != null && r != null) {
            // The state is unknown until the node reports: assume the worst (possibly running, failed).
            records.put(a.node(), r.withState(a.resource(), LocalState.failed(a.kind(), a.interval(), 1,
                    a.kind().equals("start"), a.kind().equals("stop"))));
        }
    }

    private void onExpireFailure(int sender, CrmMessage.ExpireFailure x) {
        NodeRecord r = recordFor(x.node());
        if (sender != dc() || r == null || r.failCount(x.rsc()) == 0 || r.failTime(x.rsc()) != x.failedAtMillis()) {
            return; // not from the DC, or the fail-count changed since the DC saw it expire
        }
        putRecord(r.withFailCount(x.rsc(), 0));
    }

    // ---- used by Commands ------------------------------------------------------------------------

    void setConfig(ConfigDocument c) {
        config = c;
    }

    void putRecord(NodeRecord r) {
        records.put(r.uname(), r);
        if (r.uname().equals(self)) {
            mine = r;
            effects.ownRecordChanged();
        }
    }

    /** For commands: the local node's first-hand record when it is the one concerned. */
    NodeRecord recordFor(String uname) {
        return uname.equals(self) ? mine : records.get(uname);
    }

    int selfId() {
        return selfId;
    }
}
