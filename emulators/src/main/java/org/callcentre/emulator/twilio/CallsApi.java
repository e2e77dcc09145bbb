package org.callcentre.emulator.twilio;

import static org.callcentre.emulator.twilio.JsonExchange.JSON;
import static org.callcentre.emulator.twilio.JsonExchange.blankToNull;
import static org.callcentre.emulator.twilio.JsonExchange.readBody;
import static org.callcentre.emulator.twilio.JsonExchange.sendJson;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Twilio's 2010-04-01 Calls REST API as the SDK uses it: create a call (with a Url or inline Twiml, a Timeout, the
 * StatusCallbackEvents to report, and Record with its RecordingStatusCallback), fetch one, list them, and update one
 * (redirect, cancel, hang up, change its status callback). The recordings' resources are {@link RecordingsApi}'s.
 * HTTP Basic with the account's sid and auth token; errors carry Twilio's codes.
 */
final class CallsApi {

    static final String PREFIX = "/2010-04-01/";
    private static final Pattern CALLS = Pattern.compile("^/2010-04-01/Accounts/([^/]+)/Calls(?:\\.json)?$");
    private static final Pattern CALL = Pattern.compile("^/2010-04-01/Accounts/([^/]+)/Calls/([^/]+?)(?:\\.json)?$");
    private static final Pattern E164 = Pattern.compile("^\\+[1-9][0-9]{6,14}$");
    private static final Pattern CLIENT = Pattern.compile("^client:[A-Za-z0-9_.@-]+$");
    /** Twilio's default and largest ring Timeout of a created call, in seconds. */
    private static final int DEFAULT_TIMEOUT_SECONDS = 60;
    private static final int MAX_TIMEOUT_SECONDS = 600;

    private final TwilioEmulator emulator;

    CallsApi(TwilioEmulator emulator) {
        this.emulator = emulator;
    }

    void handle(HttpExchange ex, String path, RecordingsApi recordings, QueuesApi queues) throws IOException {
        if (!authorised(ex)) {
            ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"Twilio API\"");
            throw HttpError.twilio(401, 20003, "Authenticate");
        }
        Matcher m;
        if (recordings.handles(path)) {
            recordings.handle(ex, path);
        } else if (queues.handles(path)) {
            queues.handle(ex, path);
        } else if ((m = CALLS.matcher(path)).matches()) {
            checkAccount(m.group(1), path);
            switch (ex.getRequestMethod()) {
                case "POST" -> create(ex, Forms.parse(readBody(ex)));
                case "GET" -> list(ex);
                default -> throw methodNotAllowed(ex);
            }
        } else if ((m = CALL.matcher(path)).matches()) {
            checkAccount(m.group(1), path);
            EmulatedCall call = emulator.findCall(m.group(2));
            if (call == null) {
                throw HttpError.twilio(404, 20404, "The requested resource " + path + " was not found");
            }
            switch (ex.getRequestMethod()) {
                case "GET" -> sendJson(ex, 200, callResource(call.snapshot()));
                case "POST" -> update(ex, call, Forms.first(Forms.parse(readBody(ex))));
                default -> throw methodNotAllowed(ex);
            }
        } else {
            throw HttpError.twilio(404, 20404, "The requested resource " + path + " was not found");
        }
    }

    private static HttpError methodNotAllowed(HttpExchange ex) {
        return HttpError.twilio(405, 20004, "Method not allowed: " + ex.getRequestMethod());
    }

    boolean authorised(HttpExchange ex) {
        String header = ex.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        int colon = decoded.indexOf(':');
        return colon > 0
                && decoded.substring(0, colon).equals(emulator.accountSid())
                && MessageDigest.isEqual(decoded.substring(colon + 1).getBytes(StandardCharsets.UTF_8),
                        emulator.authToken().getBytes(StandardCharsets.UTF_8));
    }

    void checkAccount(String account, String path) {
        if (!emulator.accountSid().equals(account)) {
            throw HttpError.twilio(404, 20404, "The requested resource " + path + " was not found");
        }
    }

    /** The message Twilio gives with an error that refuses a number, or null for another code. */
    static String refusalMessage(int code, String to) {
        return switch (code) {
            case 21211 -> "The 'To' number " + to + " is not a valid phone number.";
            case 21214 -> "'To' phone number cannot be reached";
            case 21215 -> "Account not authorized to call " + to + ". Perhaps you need to enable some international "
                    + "permissions: https://www.twilio.com/console/voice/calls/geo-permissions/low-risk";
            case 21217 -> "Phone number does not appear to be valid";
            default -> null;
        };
    }

    private void create(HttpExchange ex, Map<String, List<String>> multi) throws IOException {
        Map<String, String> p = Forms.first(multi);
        String to = blankToNull(p.get("To"));
        String from = blankToNull(p.get("From"));
        if (to == null) {
            throw HttpError.twilio(400, 21201, "No 'To' number is specified");
        }
        if (from == null) {
            throw HttpError.twilio(400, 21213, "No 'From' number is specified");
        }
        if (!E164.matcher(to).matches() && !CLIENT.matcher(to).matches()) {
            throw HttpError.twilio(400, 21211, refusalMessage(21211, to));
        }
        Integer refusal = emulator.refusalFor(to).orElse(null);
        if (refusal != null) {
            throw HttpError.twilio(400, refusal, refusalMessage(refusal, to));
        }
        String twiml = blankToNull(p.get("Twiml"));
        String url = blankToNull(p.get("Url"));
        if (twiml == null && url == null) {
            throw HttpError.twilio(400, 21205, "Url parameter is required.");
        }
        if (twiml == null) {
            requireHttpUrl(url, 21205, "Url is not a valid URL: " + url);
        }
        String statusCallback = blankToNull(p.get("StatusCallback"));
        if (statusCallback != null) {
            requireHttpUrl(statusCallback, 21609, "The StatusCallback URL " + statusCallback + " is not a valid URL.");
        }
        String method = TwimlAttributes.normaliseMethod(p.get("Method"));
        int timeoutSeconds = timeoutSeconds(p.get("Timeout"));
        CallOutcome outcome = emulator.outcomeFor(to);
        EmulatedCall call = emulator.register(from, to, statusCallback, p.get("StatusCallbackMethod"),
                statusCallbackEvents(multi.getOrDefault("StatusCallbackEvent", List.of())),
                new EmulatedCall.AnswerDocument(twiml == null ? url : null, method, twiml), recording(p, multi));
        sendJson(ex, 201, callResource(call.snapshot()));
        TwilioEmulator.Settings settings = emulator.settings();
        long ringNanos = settings.ringNanos(settings.ringTime());
        long timeoutNanos = settings.ringNanos(Duration.ofSeconds(timeoutSeconds));
        emulator.execute(() -> call.place(outcome, ringNanos, timeoutNanos));
    }

    /**
     * What {@code Record=true} asks for: the recording starts when the call is answered and reports to
     * {@code RecordingStatusCallback} the {@code RecordingStatusCallbackEvent}s (completed alone by default). Null when
     * the call is not to be recorded.
     */
    private static CallRecording.Request recording(Map<String, String> p, Map<String, List<String>> multi) {
        if (!"true".equalsIgnoreCase(blankToNull(p.get("Record")))) {
            return null;
        }
        String callback = blankToNull(p.get("RecordingStatusCallback"));
        if (callback != null) {
            requireHttpUrl(callback, 21609, "The RecordingStatusCallback URL " + callback + " is not a valid URL.");
        }
        List<String> events = multi.getOrDefault("RecordingStatusCallbackEvent", List.of());
        Set<String> known = CallRecording.Request.events(events);
        if (!events.isEmpty() && known.isEmpty()) {
            throw HttpError.twilio(400, 13621, "Invalid 'recordingStatusCallbackEvent': " + String.join(" ", events));
        }
        return new CallRecording.Request(callback, p.get("RecordingStatusCallbackMethod"), known);
    }

    /**
     * The SDK repeats the parameter once per event; a single space-separated value is read the same way. Names
     * other than Twilio's four are ignored.
     */
    private static Set<String> statusCallbackEvents(List<String> values) {
        Set<String> events = new HashSet<>();
        for (String value : values) {
            for (String event : value.trim().split("[\\s,]+")) {
                String e = event.toLowerCase(Locale.ROOT);
                if (EmulatedCall.PROGRESS_EVENTS.contains(e)) {
                    events.add(e);
                }
            }
        }
        return events;
    }

    /** Twilio's Timeout: how long the phone rings before no-answer; 60 s unless given, at most 600 s. */
    private static int timeoutSeconds(String value) {
        String v = blankToNull(value);
        if (v != null) {
            try {
                return Math.max(1, Math.min(MAX_TIMEOUT_SECONDS, Integer.parseInt(v)));
            } catch (NumberFormatException e) {
                // the SDK only sends integers; anything else rings for the default
            }
        }
        return DEFAULT_TIMEOUT_SECONDS;
    }

    private void update(HttpExchange ex, EmulatedCall call, Map<String, String> p) throws IOException {
        String twiml = blankToNull(p.get("Twiml"));
        String url = blankToNull(p.get("Url"));
        if (twiml == null && url != null) {
            requireHttpUrl(url, 21205, "Url is not a valid URL: " + url);
        }
        String status = blankToNull(p.get("Status"));
        if (status != null) {
            status = status.toLowerCase(Locale.ROOT);
            if (!status.equals("completed") && !status.equals("canceled")) {
                throw HttpError.twilio(400, 21218, "Invalid Status: " + status + " (must be 'completed' or 'canceled')");
            }
        }
        String statusCallback = p.containsKey("StatusCallback") ? p.get("StatusCallback").strip() : null;
        if (statusCallback != null && !statusCallback.isEmpty()) {
            requireHttpUrl(statusCallback, 21609, "The StatusCallback URL " + statusCallback + " is not a valid URL.");
        }
        EmulatedCall.UpdateOutcome outcome = call.update(url, TwimlAttributes.normaliseMethod(p.get("Method")), twiml,
                status, statusCallback, p.get("StatusCallbackMethod"));
        if (outcome == EmulatedCall.UpdateOutcome.NOT_IN_PROGRESS) {
            throw HttpError.twilio(400, 21220, "Call is not in-progress. Cannot redirect.");
        }
        sendJson(ex, 200, callResource(call.snapshot()));
    }

    private void list(HttpExchange ex) throws IOException {
        Map<String, String> q = Forms.first(Forms.parse(ex.getRequestURI().getRawQuery()));
        String status = q.get("Status");
        String to = q.get("To");
        String from = q.get("From");
        int pageSize = JsonExchange.pageSize(q.get("PageSize"));
        List<EmulatedCall> all = emulator.calls();
        Collections.reverse(all);
        ArrayNode items = JSON.createArrayNode();
        for (EmulatedCall c : all) {
            EmulatedCall.Snapshot s = c.snapshot();
            if ((status == null || status.equals(s.status())) && (to == null || to.equals(s.to()))
                    && (from == null || from.equals(s.from()))) {
                items.add(callResource(s));
                if (items.size() >= pageSize) {
                    break;
                }
            }
        }
        String uri = "/2010-04-01/Accounts/" + emulator.accountSid() + "/Calls.json";
        sendJson(ex, 200, JsonExchange.page("calls", items, uri, pageSize));
    }

    private ObjectNode callResource(EmulatedCall.Snapshot s) {
        String accountSid = emulator.accountSid();
        String uri = "/2010-04-01/Accounts/" + accountSid + "/Calls/" + s.sid() + ".json";
        ObjectNode n = JSON.createObjectNode();
        n.put("account_sid", accountSid);
        n.putNull("annotation");
        n.putNull("answered_by");
        n.put("api_version", TwilioEmulator.API_VERSION);
        n.putNull("caller_name");
        n.put("date_created", EmulatedCall.RFC_2822.format(s.dateCreated()));
        n.put("date_updated", EmulatedCall.RFC_2822.format(s.dateUpdated()));
        n.put("direction", s.direction());
        if (s.startTime() != null && s.endTime() != null) {
            n.put("duration", Long.toString(Duration.between(s.startTime(), s.endTime()).toSeconds()));
        } else {
            n.putNull("duration");
        }
        if (s.endTime() != null) {
            n.put("end_time", EmulatedCall.RFC_2822.format(s.endTime()));
        } else {
            n.putNull("end_time");
        }
        n.putNull("forwarded_from");
        n.put("from", s.from());
        n.put("from_formatted", s.from());
        n.putNull("group_sid");
        n.putNull("parent_call_sid");
        n.putNull("phone_number_sid");
        n.putNull("price");
        n.put("price_unit", "USD");
        n.put("queue_time", "0");
        n.put("sid", s.sid());
        if (s.startTime() != null) {
            n.put("start_time", EmulatedCall.RFC_2822.format(s.startTime()));
        } else {
            n.putNull("start_time");
        }
        n.put("status", s.status());
        ObjectNode subs = n.putObject("subresource_uris");
        String base = uri.substring(0, uri.length() - ".json".length());
        for (String sub : List.of("feedback", "notifications", "recordings", "streams", "payments", "events",
                "siprec", "user_defined_message_subscriptions", "user_defined_messages")) {
            subs.put(sub, base + "/" + toCamel(sub) + ".json");
        }
        n.put("to", s.to());
        n.put("to_formatted", s.to());
        n.putNull("trunk_sid");
        n.put("uri", uri);
        return n;
    }

    private static String toCamel(String snake) {
        StringBuilder b = new StringBuilder();
        for (String part : snake.split("_")) {
            b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return b.toString();
    }

    static void requireHttpUrl(String url, int code, String message) {
        if (!isHttpUrl(url)) {
            throw HttpError.twilio(400, code, message);
        }
    }

    /** An absolute http or https URL with a host. */
    static boolean isHttpUrl(String url) {
        try {
            URI u = new URI(url);
            return u.getScheme() != null && (u.getScheme().equalsIgnoreCase("http") || u.getScheme().equalsIgnoreCase("https"))
                    && u.getHost() != null;
        } catch (URISyntaxException | NullPointerException e) {
            return false;
        }
    }
}
