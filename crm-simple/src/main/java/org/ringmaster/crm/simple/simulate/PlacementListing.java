package org.ringmaster.crm.simple.simulate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ringmaster.crm.simple.policy.InstancePlacement;
import org.ringmaster.crm.simple.policy.Transition;

/**
 * The normalised placement listing of the conformance suite: {@code rsc<TAB>node-or-Stopped<TAB>role},
 * one line per instance (anonymous clones: one line per running instance under the primitive id, or
 * one Stopped line when none runs), sorted.
 */
public final class PlacementListing {
    private PlacementListing() {
    }

    public static List<String> lines(Transition t) {
        List<String> out = new ArrayList<>();
        Map<String, Boolean> anonymousRunning = new LinkedHashMap<>();
        // Pacemaker lists a unique cloned group that has no active instance like an anonymous one.
        Map<String, java.util.Set<String>> membersByClone = new LinkedHashMap<>();
        Map<String, Boolean> cloneActive = new LinkedHashMap<>();
        for (InstancePlacement p : t.placements()) {
            if (p.cloneId() != null) {
                membersByClone.computeIfAbsent(p.cloneId(), k -> new java.util.HashSet<>()).add(p.primitiveId());
                cloneActive.merge(p.cloneId(), p.node() != null, Boolean::logicalOr);
            }
        }
        for (InstancePlacement p : t.placements()) {
            boolean idleUniqueGroup = p.cloneId() != null && p.uniqueClone()
                    && membersByClone.get(p.cloneId()).size() > 1 && !cloneActive.get(p.cloneId());
            boolean anonymous = p.cloneId() != null && (!p.uniqueClone() || idleUniqueGroup);
            String node = p.node() == null ? "Stopped" : p.node();
            if (anonymous) {
                anonymousRunning.merge(p.primitiveId(), p.node() != null, Boolean::logicalOr);
                if (p.node() != null) {
                    out.add(p.primitiveId() + "\t" + node + "\t" + p.role().label());
                }
            } else {
                out.add(p.instanceId() + "\t" + node + "\t" + p.role().label());
            }
        }
        anonymousRunning.forEach((prim, running) -> {
            if (!running) {
                out.add(prim + "\tStopped\tStopped");
            }
        });
        out.sort(null);
        return out;
    }
}
