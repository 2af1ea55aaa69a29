package org.ringmaster.agents.script;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.ringmaster.crm.api.resource.ResourceAgentId;

/**
 * A heartbeat v1 resource spec as written in {@code haresources}: {@code name::arg1::arg2}
 * ({@code IPaddr::10.0.0.8/24/eth0}, {@code Filesystem::/dev/sdb1::/data::ext4}), or a bare address
 * {@code a.b.c.d[/...]}, shorthand for {@code IPaddr::a.b.c.d[/...]}.
 *
 * @param agent      {@code heartbeat:name}
 * @param parameters positional arguments as parameters {@code "1"}, {@code "2"}, ...
 */
public record HeartbeatResource(ResourceAgentId agent, Map<String, String> parameters) {
    private static final Pattern BARE_IP = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}(/.*)?");

    public HeartbeatResource {
        parameters = Map.copyOf(parameters);
    }

    /**
     * Parses one haresources word.
     *
     * @throws IllegalArgumentException naming the spec when it is malformed
     */
    public static HeartbeatResource parse(String spec) {
        String s = spec.strip();
        if (BARE_IP.matcher(s).matches()) {
            s = "IPaddr::" + s;
        }
        String[] parts = s.split("::", -1);
        if (parts[0].isEmpty()) {
            throw new IllegalArgumentException("heartbeat resource '" + spec + "' has no script name");
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            if (parts[i].isEmpty()) {
                throw new IllegalArgumentException("heartbeat resource '" + spec + "' has an empty argument " + i);
            }
            params.put(Integer.toString(i), parts[i]);
        }
        try {
            return new HeartbeatResource(new ResourceAgentId("heartbeat", "", parts[0]), params);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("heartbeat resource '" + spec + "': " + e.getMessage(), e);
        }
    }
}
