package org.callcentre.emulator.twilio;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reading requests and writing JSON answers on the JDK server's exchanges. */
final class JsonExchange {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final String JSON_TYPE = "application/json; charset=utf-8";
    private static final Logger log = LoggerFactory.getLogger(JsonExchange.class);

    private JsonExchange() {
    }

    static String readBody(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static void sendJson(HttpExchange ex, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", JSON_TYPE);
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    /** Sends an error answer, draining what the handler did not read; a failure to send is only logged. */
    static void sendQuietly(HttpExchange ex, int status, Object body) {
        try (InputStream in = ex.getRequestBody()) {
            in.readAllBytes();
        } catch (IOException e) {
            // already read and closed
        }
        try {
            sendJson(ex, status, body);
        } catch (IOException | RuntimeException e) {
            log.debug("could not send error answer", e);
        }
    }

    static void requireMethod(HttpExchange ex, String method) {
        if (!method.equals(ex.getRequestMethod())) {
            ex.getResponseHeaders().add("Allow", method);
            throw HttpError.control(405, "use " + method);
        }
    }

    /**
     * One page of a Twilio list resource holding every item: the items under {@code key} and the paging fields the
     * SDK reads (there is never a next page).
     */
    static ObjectNode page(String key, ArrayNode items, String uri, int pageSize) {
        ObjectNode page = JSON.createObjectNode();
        page.set(key, items);
        page.put("end", Math.max(0, items.size() - 1));
        page.put("first_page_uri", uri + "?PageSize=" + pageSize + "&Page=0");
        page.putNull("next_page_uri");
        page.put("page", 0);
        page.put("page_size", pageSize);
        page.putNull("previous_page_uri");
        page.put("start", 0);
        page.put("uri", uri + "?PageSize=" + pageSize + "&Page=0");
        return page;
    }

    /** The list's PageSize query parameter: 50 unless given, from 1 to 1000. */
    static int pageSize(String value) {
        try {
            return value == null ? 50 : Math.max(1, Math.min(1000, Integer.parseInt(value)));
        } catch (NumberFormatException e) {
            return 50;
        }
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
