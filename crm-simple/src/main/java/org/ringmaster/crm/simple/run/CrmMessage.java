package org.ringmaster.crm.simple.run;

import java.util.List;
import org.ringmaster.crm.simple.policy.Action;

/** The messages the simple CRM multicasts on its ordered channel; see {@link Wire} for the encoding. */
sealed interface CrmMessage {

    /**
     * Sent by every member after each regular configuration: what it holds. Merged once every member's
     * Sync of that configuration is delivered.
     */
    record Sync(long ringSeq, ConfigDocument config, List<NodeRecord> records, long nextTransitionId)
            implements CrmMessage {
        public Sync {
            records = List.copyOf(records);
        }
    }

    /**
     * The sender's own record after something happened on it; {@code outcome} says how action
     * {@code idx} of transition {@code tid} ended ({@link #NONE} when it is not about an action).
     */
    record NodeUpdate(long tid, int idx, int outcome, NodeRecord record) implements CrmMessage {
        static final int NONE = 0;
        static final int DONE = 1;
        static final int FAILED = 2;
        /** Not about an action, but the current transition is stale (e.g. a monitor failed). */
        static final int ABORT = 3;
    }

    /** The DC's new transition. */
    record Plan(long tid, List<Action> actions) implements CrmMessage {
        public Plan {
            actions = List.copyOf(actions);
        }
    }

    /** The executor of an action claims it; it runs only if the claim is valid where it is delivered. */
    record Exec(long tid, int idx) implements CrmMessage {
    }

    /** The fencer's answer about {@code node}, relayed into the ordered stream. */
    record Fenced(long tid, int idx, String node, boolean ok, String detail) implements CrmMessage {
    }

    /** The DC gave up waiting for a running action. */
    record ActionTimeout(long tid, int idx) implements CrmMessage {
    }

    /**
     * The DC clears a fail-count that failure-timeout has expired: on {@code node}, of instance {@code rsc}, only
     * if the record still counts the failure at {@code failedAtMillis} (a newer failure keeps it).
     */
    record ExpireFailure(String node, String rsc, long failedAtMillis) implements CrmMessage {
    }

    /** An administrative command (the ringctl verbs that change something). */
    record Command(long requestId, List<String> words) implements CrmMessage {
        public Command {
            words = List.copyOf(words);
        }
    }
}
