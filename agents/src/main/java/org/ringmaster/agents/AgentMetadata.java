package org.ringmaster.agents;

import java.io.IOException;
import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * An agent's self-description ({@code meta-data} action, OCF ra-api-1 format): its parameters with types,
 * defaults and whether they are required, and the advised timeouts of its actions. Immutable.
 *
 * @param name       the {@code resource-agent name} attribute
 * @param shortDesc  the short description, may be empty
 * @param parameters parameters in document order
 * @param actions    actions in document order
 * @param xml        the document as the agent printed it
 */
public record AgentMetadata(String name, String shortDesc, List<Parameter> parameters, List<Action> actions,
                            String xml) {

    private static final Set<String> TRUE = Set.of("1", "yes", "y", "true", "on");
    private static final Set<String> FALSE = Set.of("0", "no", "n", "false", "off");

    public AgentMetadata {
        parameters = List.copyOf(parameters);
        actions = List.copyOf(actions);
    }

    /**
     * One parameter.
     *
     * @param name         parameter name
     * @param required     whether it must be given
     * @param unique       whether its value must be unique across resources of this type
     * @param reloadable   whether {@code reload-agent} can apply a change
     * @param type         {@code string}, {@code integer}, {@code boolean}, {@code select}, ... (lower case)
     * @param defaultValue the default, empty if none
     * @param options      allowed values for {@code select}
     */
    public record Parameter(String name, boolean required, boolean unique, boolean reloadable, String type,
                            String defaultValue, List<String> options) {
        public Parameter {
            options = List.copyOf(options);
        }
    }

    /**
     * One advertised action.
     *
     * @param name     action name
     * @param timeout  advised timeout, if given
     * @param interval advised interval (monitor), zero if none
     */
    public record Action(String name, Optional<Duration> timeout, Duration interval) {
    }

    /** The advised timeout of an action (the first entry with that name that has one). */
    public Optional<Duration> timeout(String action) {
        for (Action a : actions) {
            if (a.name().equals(action) && a.timeout().isPresent()) {
                return a.timeout();
            }
        }
        return Optional.empty();
    }

    /** True if the meta-data lists this action. */
    public boolean supports(String action) {
        return actions.stream().anyMatch(a -> a.name().equals(action));
    }

    /** Parameters by name. */
    public Map<String, Parameter> parametersByName() {
        Map<String, Parameter> m = new LinkedHashMap<>();
        parameters.forEach(p -> m.put(p.name(), p));
        return Collections.unmodifiableMap(m);
    }

    /**
     * Checks instance parameters against this description.
     *
     * @return a description of every problem (missing required parameters, values of the wrong type); empty if fine
     */
    public List<String> problems(Map<String, String> given) {
        List<String> problems = new ArrayList<>();
        for (Parameter p : parameters) {
            String v = given.get(p.name());
            if (v == null) {
                if (p.required()) {
                    problems.add("missing required parameter '" + p.name() + "'");
                }
                continue;
            }
            switch (p.type()) {
                case "integer" -> {
                    try {
                        Long.parseLong(v.trim());
                    } catch (NumberFormatException e) {
                        problems.add("parameter '" + p.name() + "'='" + v + "' is not an integer");
                    }
                }
                case "boolean" -> {
                    String b = v.trim().toLowerCase(Locale.ROOT);
                    if (!TRUE.contains(b) && !FALSE.contains(b)) {
                        problems.add("parameter '" + p.name() + "'='" + v + "' is not a boolean");
                    }
                }
                case "select" -> {
                    if (!p.options().isEmpty() && !p.options().contains(v)) {
                        problems.add("parameter '" + p.name() + "'='" + v + "' is not one of " + p.options());
                    }
                }
                default -> {
                    // string, time, ...: any text
                }
            }
        }
        return problems;
    }

    /**
     * Parses meta-data XML.
     *
     * @param xml   the document
     * @param where names the agent for error messages, e.g. {@code "ocf:heartbeat:Dummy"}
     * @throws IllegalArgumentException naming {@code where}, the line and the problem when the text is not
     *                                  an OCF meta-data document
     */
    public static AgentMetadata parse(String xml, String where) {
        if (xml.isBlank()) {
            throw new IllegalArgumentException("meta-data of " + where + " is empty");
        }
        Document doc;
        try {
            DocumentBuilder b = factory().newDocumentBuilder();
            b.setErrorHandler(new org.xml.sax.helpers.DefaultHandler()); // fatal errors throw, nothing printed
            b.setEntityResolver((publicId, systemId) -> new InputSource(new StringReader("")));
            doc = b.parse(new InputSource(new StringReader(xml)));
        } catch (SAXParseException e) {
            throw new IllegalArgumentException("meta-data of " + where + " is not XML (line " + e.getLineNumber()
                + ", column " + e.getColumnNumber() + "): " + e.getMessage(), e);
        } catch (SAXException | IOException | ParserConfigurationException e) {
            throw new IllegalArgumentException("meta-data of " + where + " is not XML: " + e.getMessage(), e);
        }
        Element root = doc.getDocumentElement();
        if (!"resource-agent".equals(root.getTagName())) {
            throw new IllegalArgumentException("meta-data of " + where + " has root element <" + root.getTagName()
                + ">, expected <resource-agent>");
        }
        List<Parameter> params = new ArrayList<>();
        for (Element pe : children(child(root, "parameters"), "parameter")) {
            String pname = pe.getAttribute("name");
            if (pname.isEmpty()) {
                throw new IllegalArgumentException("meta-data of " + where + " has a <parameter> without a name");
            }
            Element content = child(pe, "content");
            String type = content == null ? "string" : content.getAttribute("type").toLowerCase(Locale.ROOT);
            String dflt = content == null ? "" : content.getAttribute("default");
            List<String> options = new ArrayList<>();
            for (Element o : children(content, "option")) {
                options.add(o.getAttribute("value"));
            }
            params.add(new Parameter(pname, flag(pe, "required"), flag(pe, "unique"), flag(pe, "reloadable"),
                type.isEmpty() ? "string" : type, dflt, options));
        }
        List<Action> actions = new ArrayList<>();
        for (Element ae : children(child(root, "actions"), "action")) {
            String aname = ae.getAttribute("name");
            Optional<Duration> timeout = Optional.empty();
            Duration interval = Duration.ZERO;
            try {
                if (!ae.getAttribute("timeout").isEmpty()) {
                    timeout = Optional.of(parseDuration(ae.getAttribute("timeout")));
                }
                if (!ae.getAttribute("interval").isEmpty()) {
                    interval = parseDuration(ae.getAttribute("interval"));
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("meta-data of " + where + ", action '" + aname + "': "
                    + e.getMessage(), e);
            }
            actions.add(new Action(aname, timeout, interval));
        }
        Element sd = child(root, "shortdesc");
        return new AgentMetadata(root.getAttribute("name"), sd == null ? "" : sd.getTextContent().trim(), params,
            actions, xml);
    }

    /**
     * Parses a Pacemaker-style duration: a number with an optional unit ({@code ms msec s sec m min h hr};
     * no unit means seconds).
     *
     * @throws IllegalArgumentException naming the text
     */
    public static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        int i = 0;
        while (i < t.length() && Character.isDigit(t.charAt(i))) {
            i++;
        }
        if (i == 0 || i > 12) {
            throw new IllegalArgumentException("bad duration '" + text + "'");
        }
        long n = Long.parseLong(t.substring(0, i));
        return switch (t.substring(i).trim()) {
            case "", "s", "sec", "secs" -> Duration.ofSeconds(n);
            case "ms", "msec", "msecs" -> Duration.ofMillis(n);
            case "us", "usec", "usecs" -> Duration.ofNanos(n * 1000);
            case "m", "min", "mins" -> Duration.ofMinutes(n);
            case "h", "hr", "hrs" -> Duration.ofHours(n);
            default -> throw new IllegalArgumentException("bad duration '" + text + "': unknown unit");
        };
    }

    private static boolean flag(Element e, String attr) {
        String v = e.getAttribute(attr).trim().toLowerCase(Locale.ROOT);
        return TRUE.contains(v);
    }

    private static Element child(Element parent, String tag) {
        List<Element> c = children(parent, tag);
        return c.isEmpty() ? null : c.get(0);
    }

    private static List<Element> children(Element parent, String tag) {
        List<Element> out = new ArrayList<>();
        if (parent == null) {
            return out;
        }
        NodeList nl = parent.getChildNodes();
        for (int i = 0; i < nl.getLength(); i++) {
            Node n = nl.item(i);
            if (n instanceof Element e && e.getTagName().equals(tag)) {
                out.add(e);
            }
        }
        return out;
    }

    private static DocumentBuilderFactory factory() throws ParserConfigurationException {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        // Agent output is untrusted: no external DTDs or entities (ra-api-1.dtd is never fetched).
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        f.setFeature("http://xml.org/sax/features/external-general-entities", false);
        f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        f.setExpandEntityReferences(false);
        f.setXIncludeAware(false);
        f.setNamespaceAware(false);
        return f;
    }
}
