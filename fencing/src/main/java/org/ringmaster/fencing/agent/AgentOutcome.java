package org.ringmaster.fencing.agent;

import java.time.Duration;

/**
 * How one fence agent call ended (after retries). Output is already redacted. Immutable.
 *
 * @param agent    agent name, e.g. {@code fence_ipmilan}
 * @param action   the action sent
 * @param exitCode the agent's exit code; -1 when it timed out or could not start
 * @param timedOut true when the last attempt was killed at its timeout
 * @param attempts how many times the agent was run
 * @param stdout   redacted, bounded stdout of the last attempt
 * @param stderr   redacted, bounded stderr of the last attempt
 * @param duration total wall time over all attempts
 */
public record AgentOutcome(String agent, AgentAction action, int exitCode, boolean timedOut, int attempts,
                           String stdout, String stderr, Duration duration) {

    /** Exit code fence agents use for "port is off" from {@code status} (and single-port {@code monitor}). */
    public static final int STATUS_OFF = 2;

    /** True when the agent answered the action successfully (for status/monitor: ON or OFF both count). */
    public boolean succeeded() {
        if (timedOut) {
            return false;
        }
        return switch (action) {
            case STATUS, MONITOR -> exitCode == 0 || exitCode == STATUS_OFF;
            default -> exitCode == 0;
        };
    }

    /** For {@code status}: the reported power state. */
    public PowerState powerState() {
        if (action != AgentAction.STATUS && action != AgentAction.MONITOR || timedOut) {
            return PowerState.UNKNOWN;
        }
        return exitCode == 0 ? PowerState.ON : exitCode == STATUS_OFF ? PowerState.OFF : PowerState.UNKNOWN;
    }

    /** One line for errors and history: the last non-blank stderr line (or stdout), redacted. */
    public String lastLine() {
        String l = lastNonBlank(stderr);
        return l.isEmpty() ? lastNonBlank(stdout) : l;
    }

    /** {@code "fence_x off: exit 1 after 2 attempts in 40 ms: Failed: Unable to connect"}. */
    public String describe() {
        String what = timedOut ? "timed out" : "exit " + exitCode;
        String line = lastLine();
        return agent + " " + action.wireName() + ": " + what
            + (attempts > 1 ? " after " + attempts + " attempts" : "") + " in " + duration.toMillis() + " ms"
            + (line.isEmpty() ? "" : ": " + line);
    }

    private static String lastNonBlank(String text) {
        String[] lines = text.split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            if (!lines[i].isBlank()) {
                String l = lines[i].strip();
                return l.length() > 300 ? l.substring(0, 300) + "..." : l;
            }
        }
        return "";
    }

    /** Power state reported by {@code status}. */
    public enum PowerState { ON, OFF, UNKNOWN }
}
