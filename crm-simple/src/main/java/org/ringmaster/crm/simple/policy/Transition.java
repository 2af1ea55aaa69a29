package org.ringmaster.crm.simple.policy;

import java.util.List;

/**
 * The engine's answer: the placement of every instance, the nodes to fence, the ordered actions to
 * get there, and the assignment scores (for {@code --scores}).
 */
public record Transition(List<InstancePlacement> placements, List<String> fenced, List<Action> actions,
                         List<String> scores) {
    public Transition {
        placements = List.copyOf(placements);
        fenced = List.copyOf(fenced);
        actions = List.copyOf(actions);
        scores = List.copyOf(scores);
    }

    /** The placement of one instance id, if any. */
    public java.util.Optional<InstancePlacement> placement(String instanceId) {
        return placements.stream().filter(p -> p.instanceId().equals(instanceId)).findFirst();
    }
}
