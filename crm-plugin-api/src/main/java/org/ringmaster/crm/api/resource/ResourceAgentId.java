package org.ringmaster.crm.api.resource;

import java.util.Objects;
import java.util.Optional;

/**
 * Names a resource agent the way Pacemaker does: {@code class:provider:type} for OCF agents
 * ({@code ocf:heartbeat:IPaddr2}) and {@code class:type} for classes without providers
 * ({@code lsb:nginx}, {@code heartbeat:IPaddr}, {@code builtin:vip}).
 *
 * @param agentClass the agent class, lower case ({@code ocf}, {@code lsb}, {@code heartbeat}, {@code builtin})
 * @param provider   the provider for OCF agents, empty string for classes without providers
 * @param type       the agent type (script or built-in name)
 */
public record ResourceAgentId(String agentClass, String provider, String type) {

    /** Validates the parts; a part may not contain {@code ':'}, {@code '/'} or whitespace. */
    public ResourceAgentId {
        Objects.requireNonNull(agentClass, "agentClass");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(type, "type");
        checkPart("class", agentClass, false);
        checkPart("provider", provider, true);
        checkPart("type", type, false);
        agentClass = agentClass.toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Parses {@code class:provider:type} or {@code class:type}.
     *
     * @throws IllegalArgumentException naming the text when it is malformed
     */
    public static ResourceAgentId parse(String text) {
        Objects.requireNonNull(text, "text");
        String[] parts = text.split(":", -1);
        try {
            if (parts.length == 3) {
                return new ResourceAgentId(parts[0], parts[1], parts[2]);
            }
            if (parts.length == 2) {
                return new ResourceAgentId(parts[0], "", parts[1]);
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad resource agent '" + text + "': " + e.getMessage(), e);
        }
        throw new IllegalArgumentException(
            "bad resource agent '" + text + "': expected class:provider:type or class:type");
    }

    /** The provider, if this class has one. */
    public Optional<String> providerIfAny() {
        return provider.isEmpty() ? Optional.empty() : Optional.of(provider);
    }

    /** {@code class:provider:type}, or {@code class:type} without a provider. */
    @Override
    public String toString() {
        return provider.isEmpty() ? agentClass + ":" + type : agentClass + ":" + provider + ":" + type;
    }

    private static void checkPart(String what, String value, boolean mayBeEmpty) {
        if (value.isEmpty() && !mayBeEmpty) {
            throw new IllegalArgumentException(what + " is empty");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ':' || c == '/' || Character.isWhitespace(c) || c == 0) {
                throw new IllegalArgumentException(what + " '" + value + "' contains '" + c + "'");
            }
        }
        if (value.equals(".") || value.equals("..")) {
            throw new IllegalArgumentException(what + " '" + value + "' is not a name");
        }
    }
}
