package org.ringmaster.crm.simple.run;

import java.util.Collections;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The replicated status of one node: its resource states, fail-counts, which resources it has probed and
 * which have an operation in flight. The node itself is the authority on its own record (see the package
 * documentation for the reconciliation rules). Immutable; the {@code with...} methods return copies with
 * the stamp advanced.
 *
 * @param uname      node name
 * @param expectedUp the node was a member and neither left cleanly nor was fenced since: if it is not a
 *                   member now, it is unclean
 * @param stamp      grows with every change of this record, wherever it was made
 * @param resources  instance id to state; absent means stopped
 * @param failCounts instance id to fail-count (saturating at INFINITY)
 * @param probed     instance ids whose probe result is in {@code resources}
 * @param pending    instance ids with an operation running on the node
 */
public record NodeRecord(String uname, boolean expectedUp, long stamp, SortedMap<String, LocalState> resources,
                         SortedMap<String, Integer> failCounts, SortedSet<String> probed, SortedSet<String> pending) {
    public NodeRecord {
        Objects.requireNonNull(uname, "uname");
        resources = Collections.unmodifiableSortedMap(new TreeMap<>(resources));
        failCounts = Collections.unmodifiableSortedMap(new TreeMap<>(failCounts));
        probed = Collections.unmodifiableSortedSet(new TreeSet<>(probed));
        pending = Collections.unmodifiableSortedSet(new TreeSet<>(pending));
    }

    /** A record for a node nothing is known about yet. */
    public static NodeRecord fresh(String uname, boolean expectedUp) {
        return new NodeRecord(uname, expectedUp, 0, new TreeMap<>(), new TreeMap<>(), new TreeSet<>(), new TreeSet<>());
    }

    /** The state of one instance here (STOPPED when unknown). */
    public LocalState state(String rsc) {
        return resources.getOrDefault(rsc, LocalState.STOPPED);
    }

    NodeRecord withState(String rsc, LocalState s) {
        TreeMap<String, LocalState> r = new TreeMap<>(resources);
        if (s.equals(LocalState.STOPPED)) {
            r.remove(rsc);
        } else {
            r.put(rsc, s);
        }
        return new NodeRecord(uname, expectedUp, stamp + 1, r, failCounts, probed, pending);
    }

    NodeRecord withFailCount(String rsc, int count) {
        TreeMap<String, Integer> f = new TreeMap<>(failCounts);
        if (count <= 0) {
            f.remove(rsc);
        } else {
            f.put(rsc, count);
        }
        return new NodeRecord(uname, expectedUp, stamp + 1, resources, f, probed, pending);
    }

    NodeRecord withProbed(String rsc, boolean done) {
        TreeSet<String> p = new TreeSet<>(probed);
        if (done) {
            p.add(rsc);
        } else {
            p.remove(rsc);
        }
        return new NodeRecord(uname, expectedUp, stamp + 1, resources, failCounts, p, pending);
    }

    NodeRecord withPending(String rsc, boolean running) {
        TreeSet<String> p = new TreeSet<>(pending);
        if (running) {
            p.add(rsc);
        } else {
            p.remove(rsc);
        }
        return new NodeRecord(uname, expectedUp, stamp + 1, resources, failCounts, probed, p);
    }

    NodeRecord withExpectedUp(boolean up) {
        return new NodeRecord(uname, up, stamp + 1, resources, failCounts, probed, pending);
    }

    /** After a confirmed fence (or a restart): nothing runs, nothing is in flight, nothing is probed. */
    NodeRecord cleared(boolean up) {
        return new NodeRecord(uname, up, stamp + 1, new TreeMap<>(), failCounts, new TreeSet<>(), new TreeSet<>());
    }

    /** Fail-count of one instance (0 when none). */
    public int failCount(String rsc) {
        return failCounts.getOrDefault(rsc, 0);
    }
}
