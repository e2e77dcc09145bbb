package org.callcentre.emulator.twilio;

import static org.callcentre.emulator.twilio.JsonExchange.JSON;
import static org.callcentre.emulator.twilio.JsonExchange.sendJson;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Twilio's Media resources of the 2010-04-01 API for the messages senders sent to the account's numbers: the file
 * itself at the {@code MediaUrl{N}} (no extension), its metadata ({@code .json}), the list of a message's media, and
 * DELETE. As on a Twilio account without "HTTP Basic authentication for media" the file is readable by anyone who has
 * its URL; a request that sends credentials must send the right ones, and {@link TwilioEmulator#setMediaAuthRequired}
 * makes them required. The metadata, the list and DELETE always need the account's credentials.
 */
final class MessagesApi {

    private static final Pattern MEDIA =
            Pattern.compile("^/2010-04-01/Accounts/([^/]+)/Messages/([^/]+)/Media/([^/.]+)(\\.json)?$");
    private static final Pattern MEDIA_LIST =
            Pattern.compile("^/2010-04-01/Accounts/([^/]+)/Messages/([^/]+)/Media(?:\\.json)?$");

    private final TwilioEmulator emulator;
    private final CallsApi calls;
    private final IncomingMessages messages;
    private volatile boolean authRequired;

    MessagesApi(TwilioEmulator emulator, CallsApi calls, IncomingMessages messages) {
        this.emulator = emulator;
        this.calls = calls;
        this.messages = messages;
    }

    /** Where a media item is served, relative to the emulator's base URL (Twilio's {@code MediaUrl{N}}). */
    static String mediaPath(String accountSid, String messageSid, String mediaSid) {
        return "/2010-04-01/Accounts/" + accountSid + "/Messages/" + messageSid + "/Media/" + mediaSid;
    }

    void setAuthRequired(boolean required) {
        authRequired = required;
    }

    boolean handles(String path) {
        return MEDIA.matcher(path).matches() || MEDIA_LIST.matcher(path).matches();
    }

    void handle(HttpExchange ex, String path) throws IOException {
        Matcher m;
        if ((m = MEDIA.matcher(path)).matches()) {
            boolean file = m.group(4) == null;
            boolean publicRead = file && "GET".equals(ex.getRequestMethod()) && !authRequired
                    && ex.getRequestHeaders().getFirst("Authorization") == null;
            if (!publicRead) {
                authenticate(ex);
            }
            calls.checkAccount(m.group(1), path);
            String messageSid = m.group(2);
            String mediaSid = m.group(3);
            IncomingMessages.StoredMedia media = messages.media(messageSid, mediaSid);
            if (media == null) {
                throw notFound(path);
            }
            switch (ex.getRequestMethod()) {
                case "GET" -> {
                    if (file) {
                        ex.getResponseHeaders().set("Content-Type", media.contentType);
                        ex.sendResponseHeaders(200, media.content.length == 0 ? -1 : media.content.length);
                        ex.getResponseBody().write(media.content);
                    } else {
                        sendJson(ex, 200, resource(media));
                    }
                }
                case "DELETE" -> {
                    media.deleted = true;
                    ex.sendResponseHeaders(204, -1);
                }
                default -> throw HttpError.twilio(405, 20004, "Method not allowed: " + ex.getRequestMethod());
            }
        } else if ((m = MEDIA_LIST.matcher(path)).matches()) {
            authenticate(ex);
            calls.checkAccount(m.group(1), path);
            JsonExchange.requireMethod(ex, "GET");
            List<IncomingMessages.StoredMedia> media = messages.mediaOf(m.group(2));
            if (media == null) {
                throw notFound(path);
            }
            ArrayNode items = JSON.createArrayNode();
            media.forEach(item -> items.add(resource(item)));
            String uri = "/2010-04-01/Accounts/" + emulator.accountSid() + "/Messages/" + m.group(2) + "/Media.json";
            sendJson(ex, 200, JsonExchange.page("media_list", items, uri, 50));
        } else {
            throw notFound(path);
        }
    }

    private void authenticate(HttpExchange ex) {
        if (!calls.authorised(ex)) {
            ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"Twilio API\"");
            throw HttpError.twilio(401, 20003, "Authenticate");
        }
    }

    private ObjectNode resource(IncomingMessages.StoredMedia media) {
        ObjectNode n = JSON.createObjectNode();
        n.put("account_sid", emulator.accountSid());
        n.put("content_type", media.contentType);
        String created = EmulatedCall.RFC_2822.format(media.created);
        n.put("date_created", created);
        n.put("date_updated", created);
        n.put("parent_sid", media.messageSid);
        n.put("sid", media.sid);
        n.put("uri", mediaPath(emulator.accountSid(), media.messageSid, media.sid) + ".json");
        return n;
    }

    private static HttpError notFound(String path) {
        return HttpError.twilio(404, 20404, "The requested resource " + path + " was not found");
    }
}
