package org.ringmaster.crm.api.resource;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One operation the CRM asks the local resource manager to run on a resource instance. Immutable.
 *
 * @param resourceId the resource instance id (Pacemaker's {@code OCF_RESOURCE_INSTANCE}); non-empty, no '/'
 * @param agent      the agent that implements the resource
 * @param action     the action, e.g. {@link #START} or {@code "migrate_to"}; non-empty
 * @param parameters instance attributes ({@code OCF_RESKEY_<name>} for OCF agents); copied, sorted
 * @param meta       meta attributes ({@code OCF_RESKEY_CRM_meta_<name>}); copied, sorted
 * @param timeout    how long the agent may run; {@link Duration#ZERO} means "the agent's advertised default,
 *                   else the LRM's default"
 * @param interval   {@link Duration#ZERO} for a one-shot operation (a monitor with interval 0 is a probe);
 *                   positive for a recurring operation
 */
public record ResourceOperation(String resourceId, ResourceAgentId agent, String action,
                                Map<String, String> parameters, Map<String, String> meta,
                                Duration timeout, Duration interval) {

    public static final String START = "start";
    public static final String STOP = "stop";
    public static final String MONITOR = "monitor";
    public static final String PROMOTE = "promote";
    public static final String DEMOTE = "demote";
    public static final String NOTIFY = "notify";
    public static final String RELOAD = "reload";
    public static final String RELOAD_AGENT = "reload-agent";
    public static final String VALIDATE_ALL = "validate-all";
    public static final String META_DATA = "meta-data";

    /** Validates and defensively copies; the error names the bad field. */
    public ResourceOperation {
        Objects.requireNonNull(resourceId, "resourceId");
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(interval, "interval");
        if (resourceId.isEmpty() || resourceId.indexOf('/') >= 0 || resourceId.indexOf(0) >= 0) {
            throw new IllegalArgumentException("resourceId '" + resourceId + "' must be non-empty without '/'");
        }
        if (action.isEmpty() || !action.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-' || c == '_')) {
            throw new IllegalArgumentException("action '" + action + "' for " + resourceId + " is not an action name");
        }
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout " + timeout + " for " + resourceId + " " + action + " is negative");
        }
        if (interval.isNegative()) {
            throw new IllegalArgumentException("interval " + interval + " for " + resourceId + " " + action + " is negative");
        }
        parameters = copy(parameters, "parameters");
        meta = copy(meta, "meta");
    }

    /** A one-shot operation with no meta attributes and the default timeout. */
    public static ResourceOperation of(String resourceId, ResourceAgentId agent, String action,
                                       Map<String, String> parameters) {
        return new ResourceOperation(resourceId, agent, action, parameters, Map.of(), Duration.ZERO, Duration.ZERO);
    }

    /** A copy with another timeout. */
    public ResourceOperation withTimeout(Duration newTimeout) {
        return new ResourceOperation(resourceId, agent, action, parameters, meta, newTimeout, interval);
    }

    /** A copy with another interval (positive = recurring). */
    public ResourceOperation withInterval(Duration newInterval) {
        return new ResourceOperation(resourceId, agent, action, parameters, meta, timeout, newInterval);
    }

    /** A copy with other meta attributes. */
    public ResourceOperation withMeta(Map<String, String> newMeta) {
        return new ResourceOperation(resourceId, agent, action, parameters, newMeta, timeout, interval);
    }

    /** True for operations with a positive interval. */
    public boolean isRecurring() {
        return !interval.isZero();
    }

    /** {@code "web_monitor_10000"}: Pacemaker's operation key (resource, action, interval in ms). */
    public String key() {
        return resourceId + "_" + action + "_" + interval.toMillis();
    }

    private static Map<String, String> copy(Map<String, String> in, String what) {
        Objects.requireNonNull(in, what);
        TreeMap<String, String> out = new TreeMap<>();
        in.forEach((k, v) -> {
            if (k == null || k.isEmpty() || v == null) {
                throw new IllegalArgumentException(what + " contains a null or empty key or a null value: " + k);
            }
            out.put(k, v);
        });
        return Collections.unmodifiableMap(out);
    }
}
