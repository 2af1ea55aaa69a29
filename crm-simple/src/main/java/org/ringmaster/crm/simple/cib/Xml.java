package org.ringmaster.crm.simple.cib;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/** Small DOM conveniences for the CIB reader (JDK parser, no external entities). */
final class Xml {
    private Xml() {
    }

    static Document parse(InputStream in, String source) throws CibFormatException {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setExpandEntityReferences(false);
            f.setNamespaceAware(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(null);
            return b.parse(in);
        } catch (SAXParseException e) {
            throw new CibFormatException(source + ":" + e.getLineNumber() + ": malformed XML: " + e.getMessage(), e);
        } catch (SAXException | ParserConfigurationException e) {
            throw new CibFormatException(source + ": malformed XML: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new CibFormatException(source + ": cannot read: " + e.getMessage(), e);
        }
    }

    static List<Element> children(Element e, String tag) {
        List<Element> out = new ArrayList<>();
        if (e == null) {
            return out;
        }
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c && (tag == null || c.getTagName().equals(tag))) {
                out.add(c);
            }
        }
        return out;
    }

    static Element child(Element e, String tag) {
        List<Element> c = children(e, tag);
        return c.isEmpty() ? null : c.get(0);
    }

    /** An attribute or null when absent/empty. */
    static String attr(Element e, String name) {
        String v = e.getAttribute(name);
        return v.isEmpty() ? null : v;
    }

    static String require(Element e, String name) throws CibFormatException {
        String v = attr(e, name);
        if (v == null) {
            throw new CibFormatException(describe(e) + ": missing attribute '" + name + "'");
        }
        return v;
    }

    /** {@code <tag id="...">} for error messages. */
    static String describe(Element e) {
        String id = attr(e, "id");
        return "<" + e.getTagName() + (id == null ? "" : " id=\"" + id + "\"") + ">";
    }

    /** All nvpairs of all {@code setTag} children, first definition of a name wins. */
    static Map<String, String> nvpairs(Element owner, String setTag) {
        Map<String, String> m = new LinkedHashMap<>();
        for (Element set : children(owner, setTag)) {
            for (Element nv : children(set, "nvpair")) {
                String name = attr(nv, "name");
                if (name != null) {
                    m.putIfAbsent(name, nv.getAttribute("value"));
                }
            }
        }
        return m;
    }
}
