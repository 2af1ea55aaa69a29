package org.ringmaster.fencing.agent;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * A fence agent's self-description from {@code metadata} ({@code <resource-agent>} with {@code <parameters>} and
 * {@code <actions>}, fence-agents {@code lib/metadata.rng}). Immutable.
 *
 * @param agent      agent name as given by the caller
 * @param name       {@code name} attribute of {@code <resource-agent>}
 * @param shortdesc  one line description, may be empty
 * @param parameters by normalised name, in document order
 * @param actions    action names the agent declares, in document order
 */
public record AgentMetadata(String agent, String name, String shortdesc, Map<String, AgentParameter> parameters,
                            List<String> actions) {

    /** Parameters the fencer itself sets on every call; never required in a device's configuration. */
    public static final Set<String> SET_BY_FENCER = Set.of("action", "port", "plug", "nodename");

    public AgentMetadata {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(shortdesc, "shortdesc");
        parameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        actions = List.copyOf(actions);
    }

    /** True when the agent declares {@code action}. */
    public boolean supports(AgentAction action) {
        return actions.contains(action.wireName());
    }

    /**
     * Parses metadata XML. DTDs and external entities are refused (the text comes from a program we run).
     *
     * @throws FenceAgentException naming the agent, the line and column for malformed XML, or the missing element
     */
    public static AgentMetadata parse(String agent, String xml) {
        Document doc;
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(null);
            doc = b.parse(new InputSource(new StringReader(xml)));
        } catch (SAXParseException e) {
            throw new FenceAgentException("fence agent " + agent + " metadata is not valid XML at line "
                + e.getLineNumber() + ", column " + e.getColumnNumber() + ": " + e.getMessage(), e);
        } catch (SAXException | IOException | ParserConfigurationException e) {
            throw new FenceAgentException("fence agent " + agent + " metadata is not valid XML: " + e.getMessage(), e);
        }
        Element root = doc.getDocumentElement();
        if (!root.getTagName().equals("resource-agent")) {
            throw new FenceAgentException("fence agent " + agent + " metadata: root element is <"
                + root.getTagName() + ">, expected <resource-agent>");
        }
        Element params = child(root, "parameters");
        if (params == null) {
            throw new FenceAgentException("fence agent " + agent + " metadata: no <parameters> element");
        }
        Map<String, AgentParameter> parameters = new LinkedHashMap<>();
        NodeList pl = params.getElementsByTagName("parameter");
        for (int i = 0; i < pl.getLength(); i++) {
            Element p = (Element) pl.item(i);
            String pname = p.getAttribute("name");
            if (pname.isBlank()) {
                throw new FenceAgentException("fence agent " + agent + " metadata: parameter #" + (i + 1)
                    + " has no name");
            }
            Element content = child(p, "content");
            Element sd = child(p, "shortdesc");
            AgentParameter ap = new AgentParameter(AgentParams.normalise(pname), isTrue(p.getAttribute("required")),
                isTrue(p.getAttribute("deprecated")), AgentParams.normalise(p.getAttribute("obsoletes")),
                content == null ? "string" : content.getAttribute("type").toLowerCase(Locale.ROOT),
                content == null || !content.hasAttribute("default") ? null : content.getAttribute("default"),
                sd == null ? "" : sd.getTextContent().strip());
            parameters.put(ap.name(), ap);
        }
        List<String> actions = new ArrayList<>();
        Element acts = child(root, "actions");
        if (acts != null) {
            NodeList al = acts.getElementsByTagName("action");
            for (int i = 0; i < al.getLength(); i++) {
                actions.add(((Element) al.item(i)).getAttribute("name"));
            }
        }
        return new AgentMetadata(agent, root.getAttribute("name"), root.getAttribute("shortdesc"), parameters,
            actions);
    }

    /**
     * One problem of a device's parameters.
     *
     * @param parameter the parameter it concerns (normalised name), so a caller can point at its line
     * @param message   what is wrong, without the device name; never contains a secret value
     */
    public record Problem(String parameter, String message) {
    }

    /**
     * Checks a device's configured parameters against this metadata.
     *
     * @param device device name, used in the messages
     * @return one message per problem (unknown parameter, missing required parameter, value of the wrong type);
     *         empty when the configuration is valid. Messages never contain secret values.
     */
    public List<String> validate(String device, AgentParams configured) {
        return problems(configured).stream().map(p -> "fence device '" + device + "': " + p.message()).toList();
    }

    /** {@link #validate} with the parameter each problem concerns. */
    public List<Problem> problems(AgentParams configured) {
        List<Problem> problems = new ArrayList<>();
        for (String n : configured.names()) {
            AgentParameter p = parameters.get(n);
            if (p == null) {
                problems.add(new Problem(n, "unknown parameter '" + n + "' for agent " + agent));
                continue;
            }
            String v = configured.get(n);
            String typeProblem = p.checkValue(v);
            if (typeProblem != null) {
                problems.add(new Problem(n, "parameter '" + n + "' of agent " + agent + " "
                    + (AgentParams.isSecret(n) ? "has a bad value" : typeProblem)));
            }
        }
        for (AgentParameter p : parameters.values()) {
            if (p.required() && !SET_BY_FENCER.contains(p.name()) && configured.get(p.name()) == null
                && !suppliedByAlias(p, configured)) {
                problems.add(new Problem(p.name(), "missing required parameter '" + p.name() + "' for agent "
                    + agent));
            }
        }
        return problems;
    }

    /**
     * Validates and throws on the first problems.
     *
     * @throws IllegalArgumentException listing every problem
     */
    public void requireValid(String device, AgentParams configured) {
        List<String> problems = validate(device, configured);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    // A required parameter is also satisfied by its deprecated predecessor (e.g. 'ipaddr' for 'ip') or successor.
    private boolean suppliedByAlias(AgentParameter p, AgentParams configured) {
        if (!p.obsoletes().isEmpty() && configured.get(p.obsoletes()) != null) {
            return true;
        }
        return parameters.values().stream()
            .anyMatch(o -> o.obsoletes().equals(p.name()) && configured.get(o.name()) != null);
    }

    private static boolean isTrue(String attr) {
        return attr.equals("1") || attr.equalsIgnoreCase("true");
    }

    private static Element child(Element parent, String tag) {
        for (org.w3c.dom.Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(tag)) {
                return e;
            }
        }
        return null;
    }
}
