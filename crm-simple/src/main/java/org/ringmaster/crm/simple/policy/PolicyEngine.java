package org.ringmaster.crm.simple.policy;

import org.ringmaster.crm.simple.model.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ringmaster.crm.simple.status.ClusterStatus;

/**
 * The policy engine: a pure, deterministic function from configuration and cluster status to a
 * {@link Transition} (placement plus ordered actions). Scoring follows Pacemaker: location scores,
 * stickiness, failure bans, colocation chains with influence, group and clone rules; resources are
 * assigned in priority order, the resources they depend on first.
 */
public final class PolicyEngine {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyEngine.class);

    private PolicyEngine() {
    }

    /** Decides without recording assignment scores. */
    public static Transition decide(Configuration configuration, ClusterStatus status) {
        return decide(configuration, status, false);
    }

    /** Decides; with {@code recordScores} the transition also lists every assignment score. */
    public static Transition decide(Configuration configuration, ClusterStatus status, boolean recordScores) {
        Transition t = new Scheduler(configuration, status, recordScores).run();
        if (LOG.isDebugEnabled()) {
            LOG.debug("decided {} instances on {} nodes: {} actions, fencing {}", t.placements().size(),
                    configuration.nodes().size(), t.actions().size(), t.fenced());
        }
        return t;
    }
}
