package org.ringmaster.daemon.node;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A cluster-wide {@code config reload} in progress ({@link ClusterNode#reload()}).
 *
 * @param reports  completes with every member's report, by node id, once all have answered
 * @param received the reports so far (for a caller that stops waiting)
 * @param expected the members of the configuration in which the request was delivered (empty until then)
 */
public record ReloadRequest(CompletableFuture<Map<Integer, String>> reports, Map<Integer, String> received,
                            Set<Integer> expected) {
}
