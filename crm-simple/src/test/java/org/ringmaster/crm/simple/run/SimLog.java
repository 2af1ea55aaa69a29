package org.ringmaster.crm.simple.run;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/** What happened physically in a simulation, in order, with the simulated time; and the violations found. */
final class SimLog {
    record Event(long timeMs, String kind, String node, String rsc) {
        @Override
        public String toString() {
            return timeMs + "ms " + kind + " " + rsc + " on " + node;
        }
    }

    private final LongSupplier clockMs;
    final List<Event> events = new ArrayList<>();
    final List<String> violations = new ArrayList<>();

    SimLog(LongSupplier clockMs) {
        this.clockMs = clockMs;
    }

    void startSubmitted(String node, String rsc, boolean alreadyRunning) {
        events.add(new Event(clockMs.getAsLong(), "start-submitted", node, rsc));
        if (alreadyRunning) {
            violations.add(clockMs.getAsLong() + "ms: start of " + rsc + " on " + node + " repeated while it runs");
        }
    }

    void started(String node, String rsc) {
        events.add(new Event(clockMs.getAsLong(), "started", node, rsc));
    }

    void migratedOut(String node, String rsc, String target) {
        events.add(new Event(clockMs.getAsLong(), "migrated-to-" + target, node, rsc));
    }

    void migratedIn(String node, String rsc, String source) {
        events.add(new Event(clockMs.getAsLong(), "migrated-from-" + source, node, rsc));
    }

    void stopSubmitted(String node, String rsc) {
        events.add(new Event(clockMs.getAsLong(), "stop-submitted", node, rsc));
    }

    void stopped(String node, String rsc) {
        events.add(new Event(clockMs.getAsLong(), "stopped", node, rsc));
    }

    void fenced(String node) {
        events.add(new Event(clockMs.getAsLong(), "fenced", node, ""));
    }

    void violation(String text) {
        violations.add(clockMs.getAsLong() + "ms: " + text);
    }

    /** Events of one kind for one resource, in order. */
    List<Event> of(String kind, String rsc) {
        return events.stream().filter(e -> e.kind.equals(kind) && e.rsc.equals(rsc)).toList();
    }
}
