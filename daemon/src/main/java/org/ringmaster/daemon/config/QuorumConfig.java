package org.ringmaster.daemon.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code quorum} section with votequorum(5) semantics (corosync 3.1.7). Cross-checks against
 * the node list are done by {@link ClusterConfig}; the values here are what the quorum service uses
 * (e.g. {@code twoNode} already false when Corosync would disable it).
 *
 * @param provider               {@code provider}: only {@code corosync_votequorum}; empty = quorum disabled.
 * @param expectedVotes          {@code expected_votes} if set; otherwise the sum of the nodelist's votes.
 * @param expectedVotesConfigured whether {@code expected_votes} was in the file (it then overrides the nodelist).
 * @param twoNode                {@code two_node}; default 0.
 * @param waitForAll             {@code wait_for_all}; default 0, or 1 when two_node is on or the device is ping.
 * @param lastManStanding        {@code last_man_standing}; default 0.
 * @param lastManStandingWindowMs {@code last_man_standing_window}; default 10000.
 * @param autoTieBreaker         {@code auto_tie_breaker}; default 0.
 * @param autoTieBreakerNode     {@code auto_tie_breaker_node}: {@code lowest} (default), {@code highest} or
 *                               node ids in order of preference.
 * @param allowDownscale         {@code allow_downscale}; default 0 (unsupported in corosync too).
 * @param expectedVotesTracking  {@code expected_votes_tracking}; default 0 (1 when allow_downscale is on).
 * @param device                 {@code device} section, if any.
 */
public record QuorumConfig(Optional<String> provider, int expectedVotes, boolean expectedVotesConfigured,
                           boolean twoNode, boolean waitForAll, boolean lastManStanding,
                           long lastManStandingWindowMs, boolean autoTieBreaker, TieBreaker autoTieBreakerNode,
                           boolean allowDownscale, boolean expectedVotesTracking,
                           Optional<QuorumDeviceConfig> device) {

    public static final String VOTEQUORUM = "corosync_votequorum";
    public static final long DEFAULT_LAST_MAN_STANDING_WINDOW_MS = 10000;

    /** Quorum is computed only when a provider is configured, as in Corosync. */
    public boolean enabled() {
        return provider.isPresent();
    }

    /** {@code auto_tie_breaker_node}. */
    public record TieBreaker(Kind kind, List<Long> nodeids) {
        public TieBreaker {
            nodeids = List.copyOf(nodeids);
        }

        /** How the surviving half is chosen. */
        public enum Kind { LOWEST, HIGHEST, LIST }

        public static final TieBreaker LOWEST = new TieBreaker(Kind.LOWEST, List.of());
    }

    private static final Map<String, String> NOT_IMPLEMENTED = SectionReader.reasons(
            "leaving_timeout", "not implemented",
            "votes", "deprecated: per-node votes come from nodelist.node.quorum_votes");

    /** Reads what the section says; {@code nodeVotes} (sum over the node list, -1 if no node list) fills defaults. */
    static QuorumConfig read(SectionReader r, List<NodeConfig> nodes) {
        Diagnostics d = r.diagnostics();
        Optional<String> provider = r.string("provider");
        provider.filter(p -> !VOTEQUORUM.equals(p)).ifPresent(p -> d.error(
                r.entry("provider").get().valuePosition(), r.key("provider"),
                "unknown quorum provider '" + p + "'; the only provider is " + VOTEQUORUM));
        Optional<Integer> expected = r.number("expected_votes", 0, Integer.MAX_VALUE).map(Long::intValue)
                .filter(v -> v > 0);
        boolean twoNode = r.flag("two_node").orElse(false);
        List<ConfigSection> deviceSections = r.sections("device");
        Optional<QuorumDeviceConfig> device = Optional.empty();
        for (ConfigSection s : deviceSections) {
            // Repeated sections merge in corosync; the last one's settings are what we take.
            device = Optional.of(QuorumDeviceConfig.read(new SectionReader(s, r.key("device"), d)));
        }
        // Ping targets are reached from both sides of a cluster that starts split, so each side would be
        // quorate with the device: like two_node, a ping device turns wait_for_all on unless told otherwise.
        boolean pingDevice = device.filter(dev -> dev.model().equals("ping")).isPresent();
        Optional<Boolean> waitForAllSet = r.flag("wait_for_all");
        boolean waitForAll = waitForAllSet.orElse(twoNode || pingDevice);
        if (pingDevice && waitForAllSet.filter(w -> !w).isPresent()) {
            d.warn(r.entry("wait_for_all").get().keyPosition(), r.key("wait_for_all"), "wait_for_all: 0 with a ping "
                    + "device: nodes that start without seeing each other but reach the ping target are each quorate");
        }
        boolean lms = r.flag("last_man_standing").orElse(false);
        long lmsWindow = r.number("last_man_standing_window", DEFAULT_LAST_MAN_STANDING_WINDOW_MS, 0, 0xffffffffL);
        boolean atb = r.flag("auto_tie_breaker").orElse(false);
        TieBreaker tieBreaker = readTieBreaker(r, atb);
        if (tieBreaker == null) {
            atb = false;
            tieBreaker = TieBreaker.LOWEST;
        }
        boolean downscale = r.flag("allow_downscale").orElse(false);
        boolean evTracking = r.flag("expected_votes_tracking").orElse(false) || downscale;
        if (r.has("votes")) {
            ConfigEntry votes = r.entry("votes").get();
            d.warn(votes.keyPosition(), r.key("votes"), nodes.isEmpty()
                    ? "deprecated; ringmaster needs a nodelist, where each node's quorum_votes is set"
                    : "ignored because the nodelist is present: quorum_votes of each node is used");
        }
        r.finish(NOT_IMPLEMENTED);

        int nodeVotes = nodes.stream().mapToInt(NodeConfig::quorumVotes).sum();
        int expectedVotes = expected.orElse(nodeVotes);
        return new QuorumConfig(provider, expectedVotes, expected.isPresent(), twoNode, waitForAll, lms, lmsWindow,
                atb, tieBreaker, downscale, evTracking, device);
    }

    /** Returns null when the value is invalid: Corosync then warns and disables auto_tie_breaker. */
    private static TieBreaker readTieBreaker(SectionReader r, boolean atb) {
        Optional<ConfigEntry> e = r.entry("auto_tie_breaker_node");
        if (e.isEmpty()) {
            return TieBreaker.LOWEST;
        }
        String v = e.get().value().trim();
        if (!atb) {
            r.diagnostics().warn(e.get().keyPosition(), r.key("auto_tie_breaker_node"),
                    "meaningless while auto_tie_breaker is 0");
        }
        if ("lowest".equals(v)) {
            return TieBreaker.LOWEST;
        }
        if ("highest".equals(v)) {
            return new TieBreaker(TieBreaker.Kind.HIGHEST, List.of());
        }
        List<Long> ids = new ArrayList<>();
        for (String part : v.split("[ \t]+")) {
            if (!part.matches("[0-9]{1,10}") || Long.parseLong(part) == 0 || Long.parseLong(part) > 0xffffffffL) {
                r.diagnostics().warn(e.get().valuePosition(), r.key("auto_tie_breaker_node"), "'" + v
                        + "' is not lowest, highest or a space-separated list of node ids; as in corosync, "
                        + "auto_tie_breaker is disabled");
                return null;
            }
            ids.add(Long.parseLong(part));
        }
        return new TieBreaker(TieBreaker.Kind.LIST, ids);
    }

    QuorumConfig withTwoNode(boolean on) {
        return new QuorumConfig(provider, expectedVotes, expectedVotesConfigured, on, waitForAll, lastManStanding,
                lastManStandingWindowMs, autoTieBreaker, autoTieBreakerNode, allowDownscale, expectedVotesTracking,
                device);
    }

    QuorumConfig withAutoTieBreaker(boolean on) {
        return new QuorumConfig(provider, expectedVotes, expectedVotesConfigured, twoNode, waitForAll,
                lastManStanding, lastManStandingWindowMs, on, autoTieBreakerNode, allowDownscale,
                expectedVotesTracking, device);
    }

    /** Quorum disabled: no quorum section or no provider. */
    static QuorumConfig disabled(List<NodeConfig> nodes) {
        return new QuorumConfig(Optional.empty(), nodes.stream().mapToInt(NodeConfig::quorumVotes).sum(), false,
                false, false, false, DEFAULT_LAST_MAN_STANDING_WINDOW_MS, false, TieBreaker.LOWEST, false, false,
                Optional.empty());
    }
}
