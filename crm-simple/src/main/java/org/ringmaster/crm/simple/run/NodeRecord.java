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
 * @param failTimes  instance id to the time of the last failure its fail-count counts (epoch milliseconds, the
 *                   failing node's clock); absent when unknown (state persisted before times were recorded),
 *                   and then the fail-count never expires by failure-timeout
 * @param probed     instance ids whose probe result is in {@code resources}
 * @param pending    instance ids with an operation running on the node
 */
public record NodeRecord(String uname, boolean expectedUp, long stamp, SortedMap<String, LocalState> resources,
                         SortedMap<String, Integer> failCounts, SortedMap<String, Long> failTimes,
                         SortedSet<String> probed, SortedSet<String> pending) {
    public NodeRecord {
        Objects.requireNonNull(uname, "uname");
        resources = Collections.unmodifiableSortedMap(new TreeMap<>(resources));
        failCounts = Collections.unmodifiableSortedMap(new TreeMap<>(failCounts));
        TreeMap<String, Long> times = new TreeMap<>(failTimes);
        times.keySet().retainAll(failCounts.keySet()); // a time only goes with a count
        failTimes = Collections.unmodifiableSortedMap(times);
        probed = Collections.unmodifiableSortedSet(new TreeSet<>(probed));
        pending = Collections.unmodifiableSortedSet(new TreeSet<>(pending));
    }

    /** A record without failure times (as persisted before they were recorded). */
    public NodeRecord(String uname, boolean expectedUp, long stamp, SortedMap<String, LocalState> resources,
                      SortedMap<String, Integer> failCounts, SortedSet<String> probed, SortedSet<String> pending) {
        this(uname, expectedUp, stamp, resources, failCounts, new TreeMap<>(), probed, pending);
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
        return new NodeRecord(uname, expectedUp, stamp + 1, r, failCounts, failTimes, probed, pending);
    }

    /** The fail-count set to {@code count} (0 clears it and its time), its time left as it was. */
    NodeRecord withFailCount(String rsc, int count) {
        return withFailCount(rsc, count, failTimes.getOrDefault(rsc, 0L));
    }

    /** The fail-count set to {@code count}, last failure at {@code atMillis} (epoch ms; 0 = unknown). */
    NodeRecord withFailCount(String rsc, int count, long atMillis) {
        TreeMap<String, Integer> f = new TreeMap<>(failCounts);
        TreeMap<String, Long> t = new TreeMap<>(failTimes);
        t.remove(rsc);
        if (count <= 0) {
            f.remove(rsc);
        } else {
            f.put(rsc, count);
            if (atMillis > 0) {
                t.put(rsc, atMillis);
            }
        }
        return new NodeRecord(uname, expectedUp, stamp + 1, resources, f, t, probed, pending);
    }

    NodeRecord withProbed(String rsc, boolean done) {
        TreeSet<String> p = new TreeSet<>(probed);
        if (done) {
            p.add(rsc);
        } else {
            p.remove(rsc);
        }
        return new NodeRecord(uname, expectedUp, stamp + 1, resources, failCounts, failTimes, p, pending);
    }

    NodeRecord withPending(String rsc, boolean running) {
        TreeSet<String> p = new TreeSet<>(pending);
        if (running) {
            p.add(rsc);
        } else {
            p.remove(rsc);
        }
        return new NodeRecord(uname, expectedUp, stamp + 1, resources, failCounts, failTimes, probed, p);
    }

    NodeRecord withExpectedUp(boolean up) {
        return new NodeRecord(uname, up, stamp + 1, resources, failCounts, failTimes, probed, pending);
    }

    /** After a confirmed fence (or a restart): nothing runs, nothing is in flight, nothing is probed. */
    NodeRecord cleared(boolean up) {
        return new NodeRecord(uname, up, stamp + 1, new TreeMap<>(), failCounts, failTimes, new TreeSet<>(), new TreeSet<>());
    }

    /** Fail-count of one instance (0 when none). */
    public int failCount(String rsc) {
        return failCounts.getOrDefault(rsc, 0);
    }

    /** When the failure the fail-count of one instance counts last happened (epoch ms; 0 when unknown or none). */
    public long failTime(String rsc) {
        return failTimes.getOrDefault(rsc, 0L);
    }
}
