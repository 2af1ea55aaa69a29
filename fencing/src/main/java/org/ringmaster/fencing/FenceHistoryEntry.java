package org.ringmaster.fencing;

import java.util.List;
import java.util.Objects;
import org.ringmaster.crm.api.fencing.FenceResult;

/**
 * A fencing operation as remembered by a node: its result and every device attempt, in order.
 *
 * @param result   the cluster-wide result
 * @param attempts device runs, e.g. level 1 failed then level 2 succeeded
 */
public record FenceHistoryEntry(FenceResult result, List<FenceAttempt> attempts) {

    public FenceHistoryEntry {
        Objects.requireNonNull(result, "result");
        attempts = List.copyOf(attempts);
    }

    /** The result line followed by one indented line per attempt (for {@code ringctl fence history}). */
    public String describe() {
        StringBuilder sb = new StringBuilder(result.toString());
        attempts.forEach(a -> sb.append("\n    ").append(a));
        return sb.toString();
    }
}
