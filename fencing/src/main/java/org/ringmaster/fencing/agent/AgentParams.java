package org.ringmaster.fencing.agent;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Parameters for one fence agent call, in order, with names normalised as fencing.py does ({@code -} and
 * {@code _} are the same). Immutable.
 *
 * <p>Values of secret parameters (passwords, SNMP communities, keys, tokens) go to the agent on stdin only: they
 * never appear in {@link #toString()}, logs, exception messages or the agent's command line; {@link
 * #redact(String)} removes them from anything the agent printed.
 */
public final class AgentParams {

    /** Replaces secret values in text. */
    public static final String MASK = "******";

    // Names that carry credentials in fence-agents 4.x: passwd/password(+_script is a path, not secret),
    // snmp community and privacy password, ipmi Kg key, cloud secrets and tokens.
    private static final Pattern SECRET_NAME = Pattern.compile(
        "(.*passw(or)?d(?!_script).*|community|.*secret.*|.*token.*|hexadecimal_kg|.*_key|key|.*api_key.*)");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_]+");

    private final Map<String, String> values;

    private AgentParams(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    /** No parameters. */
    public static AgentParams empty() {
        return new AgentParams(new LinkedHashMap<>());
    }

    /**
     * Parameters from a map (insertion order kept).
     *
     * @throws IllegalArgumentException naming a bad parameter name or a value with a line break
     */
    public static AgentParams of(Map<String, String> params) {
        AgentParams p = empty();
        for (Map.Entry<String, String> e : params.entrySet()) {
            p = p.with(e.getKey(), e.getValue());
        }
        return p;
    }

    /** {@code name} normalised: trimmed, lower case, {@code -} → {@code _}. */
    public static String normalise(String name) {
        return name.trim().toLowerCase(Locale.ROOT).replace('-', '_');
    }

    /** True for parameter names whose values are secrets. */
    public static boolean isSecret(String name) {
        return SECRET_NAME.matcher(normalise(name)).matches();
    }

    /**
     * A copy with {@code name=value} set (replacing an earlier value).
     *
     * @throws IllegalArgumentException naming the parameter when the name is not {@code [A-Za-z0-9_-]+} or the
     *                                  value holds a line break (it would inject another parameter on stdin)
     */
    public AgentParams with(String name, String value) {
        String n = normalise(name);
        if (!NAME.matcher(n).matches()) {
            throw new IllegalArgumentException("bad fence agent parameter name '" + name + "'");
        }
        if (value == null || value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0 || value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("fence agent parameter '" + n + "' has "
                + (value == null ? "no value" : "a line break or NUL in its value"));
        }
        Map<String, String> copy = new LinkedHashMap<>(values);
        copy.remove(n);
        copy.put(n, value);
        return new AgentParams(copy);
    }

    /** A copy without {@code name}. */
    public AgentParams without(String name) {
        Map<String, String> copy = new LinkedHashMap<>(values);
        copy.remove(normalise(name));
        return new AgentParams(copy);
    }

    /** The value of {@code name} or {@code null}. */
    public String get(String name) {
        return values.get(normalise(name));
    }

    /** Normalised names, in order. */
    public Set<String> names() {
        return Collections.unmodifiableSet(values.keySet());
    }

    /** The raw map (contains secrets: never log it). */
    public Map<String, String> asMap() {
        return values;
    }

    /** Values of secret parameters (non-empty ones), for redaction. */
    public List<String> secretValues() {
        return values.entrySet().stream().filter(e -> isSecret(e.getKey()) && !e.getValue().isEmpty())
            .map(Map.Entry::getValue).toList();
    }

    /** {@code text} with every secret value replaced by {@link #MASK}; longest first so overlaps stay hidden. */
    public String redact(String text) {
        String out = text;
        List<String> secrets = secretValues().stream()
            .sorted((a, b) -> Integer.compare(b.length(), a.length())).toList();
        for (String s : secrets) {
            out = out.replace(s, MASK);
        }
        return out;
    }

    /** The stdin the agent reads: {@code action=...} first, then every parameter, one {@code name=value} a line. */
    byte[] toStdin(AgentAction action) {
        StringBuilder sb = new StringBuilder("action=").append(action.wireName()).append('\n');
        values.forEach((k, v) -> {
            if (!k.equals("action")) {
                sb.append(k).append('=').append(v).append('\n');
            }
        });
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Names and values with secrets masked, e.g. {@code {ip=10.0.0.5, password=******}}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        new TreeSet<>(values.keySet()).forEach(k -> {
            if (sb.length() > 1) {
                sb.append(", ");
            }
            sb.append(k).append('=').append(isSecret(k) ? MASK : values.get(k));
        });
        return sb.append('}').toString();
    }
}
