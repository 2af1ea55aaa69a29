package org.ringmaster.crm.simple.run;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.ringmaster.crm.simple.cib.CibFormatException;
import org.ringmaster.crm.simple.cib.CibReader;
import org.ringmaster.crm.simple.config.ConfigFormatException;
import org.ringmaster.crm.simple.config.NativeConfigReader;
import org.ringmaster.crm.simple.model.Clone;
import org.ringmaster.crm.simple.model.Configuration;
import org.ringmaster.crm.simple.model.Group;
import org.ringmaster.crm.simple.model.LocationConstraint;
import org.ringmaster.crm.simple.model.Meta;
import org.ringmaster.crm.simple.model.Node;
import org.ringmaster.crm.simple.model.Primitive;
import org.ringmaster.crm.simple.model.Resource;
import org.ringmaster.crm.simple.model.Score;

/**
 * The replicated configuration: a source text (native {@code resources {}} section or CIB XML) plus an
 * overlay of administrative changes (the ringctl verbs), versioned by {@code epoch}. Immutable.
 *
 * <p>Overlay keys: {@code loc:<id>} = {@code "<rsc> <node> <score>"} (cli-prefer / cli-ban constraints),
 * {@code meta:<rsc>:<name>} = value (target-role), {@code node:<node>:<attribute>} = value (standby,
 * maintenance).
 *
 * @param epoch  grows by one with every change applied anywhere
 * @param author node id whose change made this epoch (0 for the seed read from disk)
 * @param format {@code native}, {@code cib} or {@code empty}
 * @param text   the source text ("" for empty)
 */
public record ConfigDocument(long epoch, int author, String format, String text, SortedMap<String, String> overlay) {
    public static final String NATIVE = "native";
    public static final String CIB = "cib";
    public static final String EMPTY_FORMAT = "empty";

    /** No resources at all, epoch 0. */
    public static final ConfigDocument EMPTY = new ConfigDocument(0, 0, EMPTY_FORMAT, "", new TreeMap<>());

    public ConfigDocument {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(text, "text");
        if (!format.equals(NATIVE) && !format.equals(CIB) && !format.equals(EMPTY_FORMAT)) {
            throw new IllegalArgumentException("config format '" + format + "' (expected native, cib or empty)");
        }
        overlay = Collections.unmodifiableSortedMap(new TreeMap<>(overlay));
    }

    /**
     * True when this document wins over {@code other} in reconciliation: the higher epoch, then the higher
     * author id, then the larger text (only to stay deterministic when two seeds differ).
     */
    public boolean winsOver(ConfigDocument other) {
        if (epoch != other.epoch) {
            return epoch > other.epoch;
        }
        if (author != other.author) {
            return author > other.author;
        }
        int c = (format + text + overlay).compareTo(other.format + other.text + other.overlay);
        return c > 0;
    }

    /** The next epoch with a changed overlay, made by {@code by}. */
    ConfigDocument withOverlay(SortedMap<String, String> newOverlay, int by) {
        return new ConfigDocument(epoch + 1, by, format, text, newOverlay);
    }

    /** The next epoch with a new source text (overlay kept), made by {@code by}. */
    ConfigDocument withText(String newFormat, String newText, int by) {
        return new ConfigDocument(epoch + 1, by, newFormat, newText, overlay);
    }

    /** Parses the text only, to check it; throws naming the place. */
    static Configuration parse(String format, String text, Collection<String> nodeNames) throws ConfigException {
        try {
            return switch (format) {
                case NATIVE -> NativeConfigReader.read(text, "replicated configuration", List.copyOf(nodeNames));
                case CIB -> CibReader.read(text, "replicated configuration").configuration();
                default -> Configuration.builder().build();
            };
        } catch (ConfigFormatException | CibFormatException | IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    /**
     * The configuration the engine decides on: the parsed text, every node of {@code nodeNames} added if
     * missing, and the overlay applied.
     *
     * @throws ConfigException naming the place when the text or overlay is broken
     */
    public Configuration configuration(Collection<String> nodeNames) throws ConfigException {
        Configuration base = parse(format, text, nodeNames);
        Map<String, Node> nodes = new LinkedHashMap<>();
        base.nodes().forEach(n -> nodes.put(n.uname(), n));
        new TreeSet<>(nodeNames).forEach(n -> nodes.putIfAbsent(n, new Node(n, n, Map.of())));
        List<LocationConstraint> locations = new ArrayList<>(base.locations());
        Map<String, Map<String, String>> meta = new TreeMap<>();
        for (Map.Entry<String, String> e : overlay.entrySet()) {
            String key = e.getKey();
            if (key.startsWith("loc:")) {
                String[] p = e.getValue().split(" ");
                if (p.length != 3) {
                    throw new ConfigException("overlay " + key + ": expected '<rsc> <node> <score>'");
                }
                locations.add(new LocationConstraint(key.substring(4), p[0], null, p[1],
                        Score.parse(p[2], "overlay " + key), List.of(), null));
            } else if (key.startsWith("meta:")) {
                int c = key.indexOf(':', 5);
                meta.computeIfAbsent(key.substring(5, c), k -> new TreeMap<>()).put(key.substring(c + 1), e.getValue());
            } else if (key.startsWith("node:")) {
                int c = key.indexOf(':', 5);
                String uname = key.substring(5, c);
                Node n = nodes.getOrDefault(uname, new Node(uname, uname, Map.of()));
                Map<String, String> attrs = new TreeMap<>(n.attributes());
                attrs.put(key.substring(c + 1), e.getValue());
                nodes.put(uname, new Node(n.id(), n.uname(), attrs));
            } else {
                throw new ConfigException("overlay key '" + key + "' is not loc:, meta: or node:");
            }
        }
        List<Resource> resources = new ArrayList<>();
        for (Resource r : base.resources()) {
            resources.add(withMeta(r, meta));
        }
        try {
            return new Configuration(base.options(), new ArrayList<>(nodes.values()), resources,
                    base.resourceDefaults(), locations, base.colocations(), base.orders(), base.failoverDomains());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("replicated configuration: " + e.getMessage());
        }
    }

    private static Resource withMeta(Resource r, Map<String, Map<String, String>> meta) {
        if (r instanceof Primitive p) {
            return p.withMeta(merged(p.meta(), meta.get(p.id())));
        }
        if (r instanceof Group g) {
            List<Primitive> members = new ArrayList<>();
            g.members().forEach(m -> members.add((Primitive) withMeta(m, meta)));
            return new Group(g.id(), members, merged(g.meta(), meta.get(g.id())));
        }
        Clone c = (Clone) r;
        return new Clone(c.id(), withMeta(c.child(), meta), merged(c.meta(), meta.get(c.id())));
    }

    private static Meta merged(Meta m, Map<String, String> extra) {
        return extra == null ? m : new Meta(extra).over(m);
    }

    /** A configuration problem, naming where it is. */
    public static final class ConfigException extends Exception {
        private static final long serialVersionUID = 1L;

        public ConfigException(String message) {
            super(message);
        }
    }
}
