package org.ringmaster.crm.simple.run;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code crm { ... }} settings of the simple CRM. Immutable; {@link #from} validates and names the bad key.
 *
 * @param configFile     {@code config}: resources file used to seed the configuration when no replicated one
 *                       was persisted yet ({@code .xml} = Pacemaker CIB, otherwise the native
 *                       {@code resources {}} syntax); null = start empty. Default null.
 * @param actionTimeout  {@code action-timeout}: how long an agent operation may run (the LRM kills it after).
 *                       Default 20s.
 * @param timeoutMargin  {@code timeout-margin}: how much longer the DC waits for an action's result before
 *                       it counts the action as failed. Default 10s.
 * @param fenceTimeout   {@code fence-timeout}: how long the DC waits for the fencer. Default 180s.
 * @param retryDelay     {@code retry-delay}: pause before replanning after a failed transition. Default 1s.
 * @param alertProgram   {@code alert}: a Pacemaker-style alert agent run on node, resource and fencing events with
 *                       the event in {@code CRM_alert_*} environment variables; null = none. Default null.
 * @param alertTimeout   {@code alert-timeout}: how long an alert may run before it is killed. Default 30s.
 * @param alertRecipient {@code alert-recipient}: passed as {@code CRM_alert_recipient}. Default "".
 * @param noQuorumDelay  {@code no-quorum-delay}: how long a configuration found without quorum when its sync
 *                       completed waits for quorum before no-quorum-policy applies: the DC plans nothing inquorate
 *                       before (right after a membership change the host's quorum may lag for a moment, e.g.
 *                       votequorum's vote exchange), and with policy fence (suicide) a node running anything fences
 *                       itself after it. Default 3s.
 */
public record CrmSettings(Path configFile, Duration actionTimeout, Duration timeoutMargin, Duration fenceTimeout,
                          Duration retryDelay, Path alertProgram, Duration alertTimeout, String alertRecipient,
                          Duration noQuorumDelay) {
    private static final Set<String> KEYS = Set.of("config", "action-timeout", "timeout-margin", "fence-timeout",
            "retry-delay", "alert", "alert-timeout", "alert-recipient", "no-quorum-delay");
    private static final Duration NO_QUORUM_DELAY = Duration.ofSeconds(3);

    /** Settings without alerts. */
    public CrmSettings(Path configFile, Duration actionTimeout, Duration timeoutMargin, Duration fenceTimeout,
                       Duration retryDelay) {
        this(configFile, actionTimeout, timeoutMargin, fenceTimeout, retryDelay, null, Duration.ofSeconds(30), "");
    }

    /** Settings with the default no-quorum delay. */
    public CrmSettings(Path configFile, Duration actionTimeout, Duration timeoutMargin, Duration fenceTimeout,
                       Duration retryDelay, Path alertProgram, Duration alertTimeout, String alertRecipient) {
        this(configFile, actionTimeout, timeoutMargin, fenceTimeout, retryDelay, alertProgram, alertTimeout,
                alertRecipient, NO_QUORUM_DELAY);
    }

    public CrmSettings {
        Objects.requireNonNull(actionTimeout, "actionTimeout");
        Objects.requireNonNull(timeoutMargin, "timeoutMargin");
        Objects.requireNonNull(fenceTimeout, "fenceTimeout");
        Objects.requireNonNull(retryDelay, "retryDelay");
        Objects.requireNonNull(alertTimeout, "alertTimeout");
        Objects.requireNonNull(alertRecipient, "alertRecipient");
        Objects.requireNonNull(noQuorumDelay, "noQuorumDelay");
    }

    /** All defaults, no seed file. */
    public static CrmSettings defaults() {
        return new CrmSettings(null, Duration.ofSeconds(20), Duration.ofSeconds(10), Duration.ofSeconds(180),
                Duration.ofSeconds(1));
    }

    /**
     * Reads the settings map as written in {@code crm { }} (without {@code plugin}).
     *
     * @throws IllegalArgumentException naming the bad key ({@code crm.action-timeout = x: ...})
     */
    public static CrmSettings from(Map<String, String> settings) {
        CrmSettings d = defaults();
        for (String k : settings.keySet()) {
            if (!KEYS.contains(k) && !k.equals("plugin")) {
                throw new IllegalArgumentException("crm." + k + ": unknown setting of the simple CRM (known: "
                        + new java.util.TreeSet<>(KEYS) + ")");
            }
        }
        String cfg = settings.get("config");
        if (cfg != null && cfg.isBlank()) {
            throw new IllegalArgumentException("crm.config: empty path");
        }
        String alert = settings.get("alert");
        if (alert != null && alert.isBlank()) {
            throw new IllegalArgumentException("crm.alert: empty path");
        }
        return new CrmSettings(cfg == null ? null : Path.of(cfg.trim()),
                duration(settings, "action-timeout", d.actionTimeout()),
                duration(settings, "timeout-margin", d.timeoutMargin()),
                duration(settings, "fence-timeout", d.fenceTimeout()),
                duration(settings, "retry-delay", d.retryDelay()),
                alert == null ? null : Path.of(alert.trim()),
                duration(settings, "alert-timeout", d.alertTimeout()),
                settings.getOrDefault("alert-recipient", "").trim(),
                duration(settings, "no-quorum-delay", NO_QUORUM_DELAY));
    }

    /** {@code 20}, {@code 20s}, {@code 500ms}, {@code 2m}, {@code 1h}; a bare number means seconds. */
    static Duration duration(Map<String, String> settings, String key, Duration dflt) {
        String v = settings.get(key);
        if (v == null) {
            return dflt;
        }
        String t = v.trim().toLowerCase(Locale.ROOT);
        try {
            Duration d;
            if (t.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2).trim()));
            } else if (t.endsWith("s")) {
                d = Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1).trim()));
            } else if (t.endsWith("m")) {
                d = Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1).trim()));
            } else if (t.endsWith("h")) {
                d = Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1).trim()));
            } else {
                d = Duration.ofSeconds(Long.parseLong(t));
            }
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("crm." + key + " = " + v + ": must be positive");
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("crm." + key + " = " + v + ": not a duration (e.g. 20s, 500ms, 2m)");
        }
    }
}
