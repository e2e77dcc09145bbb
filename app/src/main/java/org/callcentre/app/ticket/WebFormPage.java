package org.callcentre.app.ticket;

import java.util.List;
import java.util.Map;

import org.callcentre.ticket.TicketGroup;
import org.callcentre.ticket.TicketWebForm;
import org.springframework.web.util.HtmlUtils;

/**
 * The web form's pages, plain HTML that works without JavaScript. Everything that came from a request or the
 * database is escaped.
 */
final class WebFormPage {

    private WebFormPage() {
    }

    /** The form, filled with {@code values} (after a refusal) and saying {@code error} above it, if any. */
    static String form(List<TicketGroup> groups, Map<String, String> values, String error) {
        StringBuilder html = head("Contact us");
        html.append("<h1>Contact us</h1>\n");
        if (error != null) {
            html.append("<p class=\"error\" role=\"alert\">").append(escape(error)).append("</p>\n");
        }
        html.append("<form method=\"post\" action=\"").append(WebFormController.PATH)
                .append("\" accept-charset=\"UTF-8\">\n")
                .append("<p><label for=\"group\">Who is it for?</label><br>\n<select id=\"group\" name=\"group\" "
                        + "required>\n");
        String chosen = values.getOrDefault("group", "");
        for (TicketGroup group : groups) {
            html.append("<option value=\"").append(escape(group.key())).append('"')
                    .append(group.key().equals(chosen) ? " selected" : "").append('>')
                    .append(escape(group.name())).append("</option>\n");
        }
        html.append("</select></p>\n");
        field(html, values, "name", "Your name", "text", true, 200);
        field(html, values, "email", "Your email address", "email", true, 254);
        field(html, values, "phone", "Your phone number (optional)", "tel", false, 32);
        field(html, values, "subject", "Subject", "text", true, TicketWebForm.MAX_SUBJECT);
        html.append("<p><label for=\"message\">Message</label><br>\n<textarea id=\"message\" name=\"message\" "
                + "rows=\"10\" cols=\"60\" required maxlength=\"").append(TicketWebForm.MAX_MESSAGE).append("\">")
                .append(escape(values.getOrDefault("message", ""))).append("</textarea></p>\n")
                // The honeypot: people never see it, so only a program fills it in.
                .append("<p class=\"website\" aria-hidden=\"true\"><label for=\"website\">Leave this empty</label>"
                        + "<input id=\"website\" name=\"website\" type=\"text\" tabindex=\"-1\" "
                        + "autocomplete=\"off\"></p>\n")
                .append("<p><button type=\"submit\">Send</button></p>\n</form>\n");
        return foot(html);
    }

    static String thanks() {
        StringBuilder html = head("Thank you");
        html.append("<h1>Thank you</h1>\n<p>We have your message and will be in touch.</p>\n")
                .append("<p><a href=\"").append(WebFormController.PATH).append("\">Send another message</a></p>\n");
        return foot(html);
    }

    private static void field(StringBuilder html, Map<String, String> values, String name, String label,
            String type, boolean required, int maxLength) {
        html.append("<p><label for=\"").append(name).append("\">").append(escape(label)).append("</label><br>\n")
                .append("<input id=\"").append(name).append("\" name=\"").append(name).append("\" type=\"")
                .append(type).append("\" maxlength=\"").append(maxLength).append('"')
                .append(required ? " required" : "").append(" value=\"")
                .append(escape(values.getOrDefault(name, ""))).append("\"></p>\n");
    }

    private static StringBuilder head(String title) {
        return new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(escape(title)).append("</title>\n")
                .append("<style>body{font-family:sans-serif;max-width:40em;margin:2em auto;padding:0 1em}"
                        + "input,select,textarea{width:100%;box-sizing:border-box}.error{color:#a00}"
                        + ".website{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}</style>\n")
                .append("</head>\n<body>\n");
    }

    private static String foot(StringBuilder html) {
        return html.append("</body>\n</html>\n").toString();
    }

    private static String escape(String text) {
        return HtmlUtils.htmlEscape(text == null ? "" : text, "UTF-8");
    }
}
