package org.ringmaster.daemon.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Ringmaster's {@code crm} section: which cluster resource manager plugin runs.
 * Absent section = no CRM (membership and quorum only).
 *
 * @param enabled whether a {@code crm} section is present
 * @param plugin  {@code plugin}; default {@code simple}.
 * @param options every other key, handed to the plugin to validate
 */
public record CrmConfig(boolean enabled, String plugin, Map<String, String> options) {

    public static final String DEFAULT_PLUGIN = "simple";

    public CrmConfig {
        options = Map.copyOf(options);
    }

    static CrmConfig none() {
        return new CrmConfig(false, DEFAULT_PLUGIN, Map.of());
    }

    static CrmConfig read(SectionReader r) {
        String plugin = r.string("plugin", DEFAULT_PLUGIN);
        if (!plugin.matches("[A-Za-z0-9_.-]+")) {
            r.diagnostics().error(r.entry("plugin").get().valuePosition(), r.key("plugin"),
                    "expected a plugin name (letters, digits, '_', '-', '.') but found '" + plugin + "'");
        }
        Map<String, String> options = new LinkedHashMap<>();
        for (ConfigEntry e : r.section().entries()) {
            if (!e.key().equals("plugin")) {
                r.entry(e.key()).ifPresent(last -> options.put(last.key(), last.value()));
            }
        }
        r.finish();
        return new CrmConfig(true, plugin, options);
    }
}
