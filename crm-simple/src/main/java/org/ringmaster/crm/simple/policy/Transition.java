package org.ringmaster.crm.simple.policy;

import java.time.Instant;
import java.util.List;

/**
 * The engine's answer: the placement of every instance, the nodes to fence, the ordered actions to
 * get there, and the assignment scores (for {@code --scores}); and what time will change about it: the
 * fail-counts that failure-timeout has expired at the decision's "now" (the caller clears them, as
 * Pacemaker's clear_failcount does) and the soonest later instant at which a known time boundary (a
 * failure expiring, a date expression changing) may change the decision.
 *
 * @param expiredFailures fail-counts expired at "now" (empty without a "now")
 * @param recheckBy       the next known time boundary after "now", or null when none is known
 */
public record Transition(List<InstancePlacement> placements, List<String> fenced, List<Action> actions,
                         List<String> scores, List<ExpiredFailure> expiredFailures, Instant recheckBy) {
    public Transition {
        placements = List.copyOf(placements);
        fenced = List.copyOf(fenced);
        actions = List.copyOf(actions);
        scores = List.copyOf(scores);
        expiredFailures = List.copyOf(expiredFailures);
    }

    /** A transition with nothing known about time. */
    public Transition(List<InstancePlacement> placements, List<String> fenced, List<Action> actions,
                      List<String> scores) {
        this(placements, fenced, actions, scores, List.of(), null);
    }

    /**
     * A fail-count that has expired.
     *
     * @param node               where it was counted
     * @param resource           the fail-count's resource id as recorded (an instance id for clone instances)
     * @param lastFailureSeconds the last failure it counts (epoch seconds)
     */
    public record ExpiredFailure(String node, String resource, long lastFailureSeconds) {
    }

    /** The placement of one instance id, if any. */
    public java.util.Optional<InstancePlacement> placement(String instanceId) {
        return placements.stream().filter(p -> p.instanceId().equals(instanceId)).findFirst();
    }
}
