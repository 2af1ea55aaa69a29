package org.ringmaster.fencing.agent;

import java.util.Locale;
import java.util.Set;

/**
 * One {@code <parameter>} of fence agent metadata.
 *
 * @param name         normalised name
 * @param required     {@code required="1"}
 * @param deprecated   {@code deprecated="1"}
 * @param obsoletes    the older name this one replaces (normalised), empty if none
 * @param type         {@code <content type>}: string, boolean, integer, second, select ...
 * @param defaultValue {@code <content default>} or {@code null}
 * @param shortdesc    one line description
 */
public record AgentParameter(String name, boolean required, boolean deprecated, String obsoletes, String type,
                             String defaultValue, String shortdesc) {

    private static final Set<String> BOOLEANS = Set.of("1", "0", "yes", "no", "on", "off", "true", "false", "");

    /** Why {@code value} does not fit {@link #type()}, or {@code null} when it does. */
    String checkValue(String value) {
        switch (type) {
            case "boolean":
                return BOOLEANS.contains(value.toLowerCase(Locale.ROOT)) ? null
                    : "expects a boolean (1/0, yes/no, on/off, true/false), got '" + value + "'";
            case "integer":
                return value.strip().matches("-?\\d+") ? null : "expects an integer, got '" + value + "'";
            case "second":
                return value.strip().matches("\\d+(\\.\\d+)?") ? null : "expects seconds, got '" + value + "'";
            default:
                return null;
        }
    }
}
