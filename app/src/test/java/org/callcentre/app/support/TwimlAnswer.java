package org.callcentre.app.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;

/**
 * A webhook's answer as Twilio reads it: HTTP 200, an XML content type, a {@code <Response>} document; and what
 * the caller would hear and where the call would go next.
 *
 * @param said         every {@code <Say>} text, in order (also those inside a {@code <Gather>})
 * @param gatherAction the action of the {@code <Gather>}, or null when there is none
 * @param conference   the conference a {@code <Dial>} joins, or null
 * @param redirect     the URL of a {@code <Redirect>}, or null
 * @param hangup       whether the document hangs up
 */
public record TwimlAnswer(List<String> said, String gatherAction, String conference, String redirect,
        boolean hangup) {

    public static TwimlAnswer of(AgentApi.Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.contentType()).as(reply.toString()).containsAnyOf("text/xml", "application/xml");
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Element root = factory.newDocumentBuilder().parse(new InputSource(new StringReader(reply.body())))
                    .getDocumentElement();
            assertThat(root.getTagName()).isEqualTo("Response");
            List<String> said = new ArrayList<>();
            String[] found = new String[3];
            boolean[] hangup = new boolean[1];
            walk(root, said, found, hangup);
            return new TwimlAnswer(List.copyOf(said), found[0], found[1], found[2], hangup[0]);
        } catch (Exception e) {
            throw new AssertionError("not TwiML: " + reply, e);
        }
    }

    private static void walk(Element element, List<String> said, String[] found, boolean[] hangup) {
        switch (element.getTagName()) {
            case "Say" -> said.add(element.getTextContent().strip());
            case "Gather" -> found[0] = element.getAttribute("action");
            case "Conference" -> found[1] = element.getTextContent().strip();
            case "Redirect" -> found[2] = element.getTextContent().strip();
            case "Hangup" -> hangup[0] = true;
            default -> {
            }
        }
        for (Node child = element.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element e) {
                walk(e, said, found, hangup);
            }
        }
    }

    /** Everything said, joined with a space. */
    public String speech() {
        return String.join(" ", said);
    }

    /** The caller hears a prompt whose gather answers to the digits endpoint. */
    public boolean prompts() {
        return gatherAction != null && gatherAction.contains("/digits?");
    }
}
