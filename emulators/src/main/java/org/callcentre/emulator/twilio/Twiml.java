package org.callcentre.emulator.twilio;

import java.io.IOException;
import java.io.StringReader;
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
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/** Parses TwiML into an immutable tree of {@link Verb}s (DOM nodes are not shared between threads). */
final class Twiml {

    /** One element: its name, attributes, whitespace-normalised text and child elements. */
    record Verb(String name, Map<String, String> attributes, String text, List<Verb> children) {

        String attr(String name) {
            return attributes.get(name);
        }

        String attr(String name, String fallback) {
            String v = attributes.get(name);
            return v == null ? fallback : v;
        }

        boolean has(String name) {
            return attributes.containsKey(name);
        }
    }

    /** Raised when a document is not well-formed TwiML. */
    static final class TwimlException extends Exception {
        TwimlException(String message, Throwable cause) {
            super(message, cause);
        }

        TwimlException(String message) {
            super(message);
        }
    }

    private static final ErrorHandler STRICT = new ErrorHandler() {
        @Override
        public void warning(SAXParseException e) {
        }

        @Override
        public void error(SAXParseException e) throws SAXException {
            throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            throw e;
        }
    };

    private static final ThreadLocal<DocumentBuilder> BUILDERS = ThreadLocal.withInitial(Twiml::newBuilder);

    private Twiml() {
    }

    private static DocumentBuilder newBuilder() {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(false);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(STRICT);
            return b;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("no usable XML parser", e);
        }
    }

    /** Parses a document whose root must be {@code <Response>}; returns the root. */
    static Verb parse(String xml) throws TwimlException {
        if (xml == null || xml.isBlank()) {
            throw new TwimlException("empty TwiML document");
        }
        Document doc;
        DocumentBuilder builder = BUILDERS.get();
        try {
            builder.reset();
            builder.setErrorHandler(STRICT);
            doc = builder.parse(new InputSource(new StringReader(xml.strip())));
        } catch (SAXException | IOException e) {
            throw new TwimlException("TwiML is not well-formed XML: " + e.getMessage(), e);
        }
        Element root = doc.getDocumentElement();
        if (!"Response".equals(root.getTagName())) {
            throw new TwimlException("TwiML root element must be <Response>, not <" + root.getTagName() + ">");
        }
        return toVerb(root);
    }

    private static Verb toVerb(Element e) {
        Map<String, String> attrs = new LinkedHashMap<>();
        NamedNodeMap nm = e.getAttributes();
        for (int i = 0; i < nm.getLength(); i++) {
            Node a = nm.item(i);
            attrs.put(a.getNodeName(), a.getNodeValue());
        }
        List<Verb> children = new ArrayList<>();
        NodeList nodes = e.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i) instanceof Element child) {
                children.add(toVerb(child));
            }
        }
        String text = e.getTextContent() == null ? "" : e.getTextContent().replaceAll("\\s+", " ").strip();
        return new Verb(e.getTagName(), Map.copyOf(attrs), text, List.copyOf(children));
    }

    /** Escapes text for use inside an XML element or attribute. */
    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&apos;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
