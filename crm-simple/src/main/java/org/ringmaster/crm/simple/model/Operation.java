package org.ringmaster.crm.simple.model;

import java.util.List;
import java.util.Locale;

/**
 * A configured operation (name, interval in ms, optional role and on-fail). {@code onFail} is what
 * a failure of this operation leads to, as in Pacemaker (null = the default: {@code fence} for stop
 * when fencing is enabled, else {@code block}; {@code restart} for everything else):
 * <ul>
 *   <li>{@code ignore}: pretend it did not fail (its fail-count does not count either);</li>
 *   <li>{@code block}: leave the resource where it is and do nothing more with it;</li>
 *   <li>{@code stop}: stop it and start it nowhere;</li>
 *   <li>{@code restart}: stop and start it (elsewhere once migration-threshold is reached);</li>
 *   <li>{@code standby}: move every resource off the node where it failed;</li>
 *   <li>{@code fence}: fence that node ({@code stop} when fencing is disabled);</li>
 *   <li>{@code demote}: for a failed promote or Promoted monitor, demote it without a restart
 *       ({@code restart} for other operations);</li>
 *   <li>{@code restart-container}: the same as {@code restart} here (no bundles or guests).</li>
 * </ul>
 */
public record Operation(String name, long intervalMs, Role role, String onFail) {
    /** The on-fail values Pacemaker knows. */
    public static final List<String> ON_FAIL = List.of("ignore", "block", "stop", "restart", "standby", "fence",
            "demote", "restart-container");

    public Operation {
        if (onFail != null) {
            onFail = onFail.trim().toLowerCase(Locale.ROOT);
            if (!ON_FAIL.contains(onFail)) {
                throw new IllegalArgumentException("op " + name + " interval " + intervalMs + "ms: unknown on-fail '"
                        + onFail + "' (one of " + String.join(", ", ON_FAIL) + ")");
            }
        }
    }
}
