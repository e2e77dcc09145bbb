package org.callcentre.emulator.twilio;

import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Parses TwiML into an immutable tree of {@link Verb}s. It streams the document (StAX) rather than building a DOM:
 * the emulator parses every answer the app gives, and a DOM builder's per-document set-up cost more than the rest of
 * the emulator's work on it. A document type declaration is refused, as Twilio refuses it.
 */
final class Twiml {

    /**
     * One element: its name, attributes, whitespace-normalised text (of the element and everything inside it, as
     * DOM's {@code getTextContent}) and child elements.
     */
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

    /** StAX factories are not documented as thread-safe once in use, so each thread has its own. */
    private static final ThreadLocal<XMLInputFactory> FACTORIES = ThreadLocal.withInitial(Twiml::newFactory);

    private Twiml() {
    }

    private static XMLInputFactory newFactory() {
        XMLInputFactory f = XMLInputFactory.newDefaultFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, false);
        f.setProperty(XMLInputFactory.IS_COALESCING, true);
        return f;
    }

    /** An element being read: its name and attributes, its text so far and its children so far. */
    private static final class Open {
        final String name;
        final Map<String, String> attributes;
        final StringBuilder text = new StringBuilder();
        final List<Verb> children = new ArrayList<>();

        Open(XMLStreamReader r) {
            name = r.getLocalName();
            int n = r.getAttributeCount();
            if (n == 0) {
                attributes = Map.of();
            } else {
                Map<String, String> attrs = new LinkedHashMap<>();
                for (int i = 0; i < n; i++) {
                    attrs.put(r.getAttributeLocalName(i), r.getAttributeValue(i));
                }
                attributes = Map.copyOf(attrs);
            }
        }

        Verb close() {
            return new Verb(name, attributes, normalise(text), List.copyOf(children));
        }
    }

    /** Parses a document whose root must be {@code <Response>}; returns the root. */
    static Verb parse(String xml) throws TwimlException {
        if (xml == null || xml.isBlank()) {
            throw new TwimlException("empty TwiML document");
        }
        XMLStreamReader r = null;
        try {
            r = FACTORIES.get().createXMLStreamReader(new StringReader(xml.strip()));
            Deque<Open> open = new ArrayDeque<>();
            Verb root = null;
            while (r.hasNext()) {
                switch (r.next()) {
                    case XMLStreamConstants.DTD -> throw new TwimlException("TwiML must not declare a document type");
                    case XMLStreamConstants.START_ELEMENT -> {
                        if (open.isEmpty() && !"Response".equals(r.getLocalName())) {
                            throw new TwimlException("TwiML root element must be <Response>, not <"
                                    + r.getLocalName() + ">");
                        }
                        open.push(new Open(r));
                    }
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                        for (Open o : open) {
                            o.text.append(r.getTextCharacters(), r.getTextStart(), r.getTextLength());
                        }
                    }
                    case XMLStreamConstants.END_ELEMENT -> {
                        Verb done = open.pop().close();
                        if (open.isEmpty()) {
                            root = done;
                        } else {
                            open.peek().children.add(done);
                        }
                    }
                    default -> {
                        // comments, processing instructions, the document's end
                    }
                }
            }
            if (root == null) {
                throw new TwimlException("TwiML document has no root element");
            }
            return root;
        } catch (XMLStreamException | RuntimeException e) {
            throw new TwimlException("TwiML is not well-formed XML: " + e.getMessage(), e);
        } finally {
            if (r != null) {
                try {
                    r.close();
                } catch (XMLStreamException ignored) {
                    // nothing held open: the reader reads a string
                }
            }
        }
    }

    /** Collapses each run of whitespace (as a regular expression's {@code \s}) to one space and trims the ends. */
    private static String normalise(CharSequence text) {
        StringBuilder b = new StringBuilder(text.length());
        boolean space = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\u000B') {
                space = b.length() > 0;
            } else {
                if (space) {
                    b.append(' ');
                    space = false;
                }
                b.append(c);
            }
        }
        return b.toString();
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
