package org.ringmaster.crm.simple.policy;

import java.util.List;

/**
 * One scheduled action. {@code after} lists the indexes (in the transition's action list) of actions
 * that must complete first; the list itself is in a valid execution order.
 *
 * @param kind     fence, stop, demote, start, promote, monitor
 * @param resource the instance id (null for fence)
 * @param node     where it runs (the victim for fence)
 * @param interval monitor interval in ms (0 otherwise)
 */
public record Action(int index, String kind, String resource, String node, long interval, List<Integer> after) {
    public Action {
        after = List.copyOf(after);
    }

    /** e.g. {@code start rsc1 on node2} or {@code fence node3}. */
    public String describe() {
        if (kind.equals("fence")) {
            return "fence " + node;
        }
        String s = kind + " " + resource + " on " + node;
        return interval > 0 ? s + " interval=" + interval + "ms" : s;
    }
}
