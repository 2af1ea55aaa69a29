package org.ringmaster.daemon.config;

import java.util.Optional;

/**
 * {@code quorum.device}: a tiebreaker that casts votes (votequorum(5), corosync-qdevice(8)).
 *
 * @param model         {@code model}, required: {@code qdisk} or {@code ping}; Corosync's {@code net} is accepted
 *                      with a warning (not implemented). Model-specific
 *                      settings stay in {@code raw} (e.g. its {@code net {}} or {@code heuristics {}} section)
 *                      for the device implementation to read.
 * @param votes         {@code votes}; default (number of nodes - 1) when every node has 1 vote.
 * @param timeoutMs     {@code timeout}: device is dead if not polled within it; default 10000.
 * @param syncTimeoutMs {@code sync_timeout}: same during membership sync; default 30000.
 * @param masterWins    {@code master_wins}; default 0.
 * @param raw           the whole section as written
 */
public record QuorumDeviceConfig(String model, Optional<Integer> votes, long timeoutMs, long syncTimeoutMs,
                                 boolean masterWins, ConfigSection raw) {

    public static final long DEFAULT_TIMEOUT_MS = 10000;
    /** Device models ringmaster implements: a quorum disk (qdisk(5)) and ping targets. */
    public static final java.util.List<String> MODELS = java.util.List.of("qdisk", "ping");
    public static final long DEFAULT_SYNC_TIMEOUT_MS = 30000;

    static QuorumDeviceConfig read(SectionReader r) {
        String model = r.string("model", "");
        if (model.isEmpty()) {
            r.diagnostics().error(r.section().position(), r.key("model"),
                    "a quorum device needs 'model: NAME' (" + String.join(" or ", MODELS) + ")");
        } else if (model.equals("net")) {
            r.diagnostics().warn(r.entry("model").get().valuePosition(), r.key("model"), "model net "
                    + "(corosync-qdevice with a qnetd server) is not implemented by ringmaster; the device casts no "
                    + "vote. Ringmaster's tiebreakers are model " + String.join(" and ", MODELS));
        } else if (!MODELS.contains(model)) {
            r.diagnostics().error(r.entry("model").get().valuePosition(), r.key("model"), "unknown quorum device "
                    + "model '" + model + "'; expected " + String.join(" or ", MODELS) + " (or corosync's net)");
        }
        Optional<Integer> votes = r.number("votes", 0, Integer.MAX_VALUE).map(Long::intValue);
        long timeout = r.number("timeout", DEFAULT_TIMEOUT_MS, 1, 0xffffffffL);
        long syncTimeout = r.number("sync_timeout", DEFAULT_SYNC_TIMEOUT_MS, 1, 0xffffffffL);
        boolean masterWins = r.flag("master_wins").orElse(false);
        // The model's own sub-section and heuristics belong to the device implementation.
        if (!model.isEmpty()) {
            r.sections(model);
        }
        r.sections("heuristics");
        r.finish();
        return new QuorumDeviceConfig(model, votes, timeout, syncTimeout, masterWins, r.section());
    }
}
