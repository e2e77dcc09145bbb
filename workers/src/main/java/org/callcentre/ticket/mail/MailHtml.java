package org.callcentre.ticket.mail;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.safety.Safelist;
import org.jsoup.select.NodeVisitor;

/**
 * The HTML of mail in and out, through jsoup's sanitiser: only {@link Safelist#relaxed()}'s elements and attributes
 * are kept (no scripts, no event handlers, no styles, links and images over http(s) only), so what is stored and
 * what an end-user receives is exactly what a reader may be shown. Also the plain-text form of such HTML, and the
 * placeholders ({@code [Enter dates]}) a canned response leaves for the sender to fill in.
 */
public final class MailHtml {

    /** Square brackets around text that begins with a letter, with no bracket inside: {@code [Enter dates]}. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\[(\\p{L}[^\\[\\]]{0,99})]");
    /** The ticket's marker in a subject, which is not a placeholder. */
    static final Pattern TICKET_MARKER = Pattern.compile("\\[Ticket #(\\d{1,18})]", Pattern.CASE_INSENSITIVE);
    private static final Set<String> LINES = Set.of("div", "br", "li", "tr", "pre", "dl", "dt", "dd", "hr");
    private static final Set<String> PARAGRAPHS = Set.of("p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
            "table", "ul", "ol");

    private MailHtml() {
    }

    /** The HTML with only what {@link Safelist#relaxed()} allows; null for null. */
    public static String sanitise(String html) {
        if (html == null) {
            return null;
        }
        Document.OutputSettings output = new Document.OutputSettings().prettyPrint(false);
        return Jsoup.clean(html, "", Safelist.relaxed(), output);
    }

    /** The text a reader sees in the HTML, a line for each block, without markup. */
    public static String text(String html) {
        if (html == null) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        Jsoup.parseBodyFragment(html).body().traverse(new NodeVisitor() {
            @Override
            public void head(Node node, int depth) {
                if (node instanceof TextNode words) {
                    text.append(words.text());
                } else if (node instanceof Element element && (LINES.contains(element.normalName())
                        || PARAGRAPHS.contains(element.normalName()))) {
                    newLine(text);
                }
            }

            @Override
            public void tail(Node node, int depth) {
                if (node instanceof Element element && PARAGRAPHS.contains(element.normalName())) {
                    newLine(text);
                    text.append('\n');
                } else if (node instanceof Element element && LINES.contains(element.normalName())
                        && !"br".equals(element.normalName())) {
                    newLine(text);
                }
            }
        });
        return text.toString().replaceAll("[ \\t\\x0B\\f\\r]+\\n", "\n").replaceAll("\\n{3,}", "\n\n").strip();
    }

    /** Whether the HTML shows anything: words or an image. */
    public static boolean shows(String html) {
        if (html == null) {
            return false;
        }
        var body = Jsoup.parseBodyFragment(html).body();
        return !body.text().isBlank() || !body.select("img").isEmpty();
    }

    /** The placeholders left in the texts, each once, in order; a subject's {@code [Ticket #N]} is not one. */
    public static List<String> placeholders(String... texts) {
        Set<String> found = new LinkedHashSet<>();
        for (String text : texts) {
            if (text == null) {
                continue;
            }
            Matcher matcher = PLACEHOLDER.matcher(text);
            while (matcher.find()) {
                if (!TICKET_MARKER.matcher(matcher.group()).matches()) {
                    found.add(matcher.group());
                }
            }
        }
        return new ArrayList<>(found);
    }

    /** The marker that threads a subject to its ticket. */
    public static String marker(long number) {
        return "[Ticket #" + number + "]";
    }

    /** The ticket number a subject names with its marker, if any (the last one, as replies prefix theirs). */
    public static Long ticketNumber(String subject) {
        if (subject == null) {
            return null;
        }
        Matcher matcher = TICKET_MARKER.matcher(subject);
        Long number = null;
        while (matcher.find()) {
            number = Long.parseLong(matcher.group(1));
        }
        return number;
    }

    private static void newLine(StringBuilder text) {
        if (!text.isEmpty() && text.charAt(text.length() - 1) != '\n') {
            text.append('\n');
        }
    }
}
