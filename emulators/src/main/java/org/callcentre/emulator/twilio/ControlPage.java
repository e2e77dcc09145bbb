package org.callcentre.emulator.twilio;

import static org.callcentre.emulator.twilio.JsonExchange.JSON;
import static org.callcentre.emulator.twilio.JsonExchange.blankToNull;
import static org.callcentre.emulator.twilio.JsonExchange.readBody;
import static org.callcentre.emulator.twilio.JsonExchange.requireMethod;
import static org.callcentre.emulator.twilio.JsonExchange.sendJson;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The page from which a person plays the caller and the called party (GET /, its script and style under
 * /emulator/ui/) and the JSON endpoints it calls under /emulator/: list and place calls, call one of the account's
 * numbers (an inbound call), set a number's Voice URL and messaging URL, answer a ringing call or refuse it (busy, no
 * answer, failed), press keys, hang up, let a gather time out, leave a message at a {@code <Record>} (or stay quiet),
 * send a message (with an optional picture) to one of the account's numbers and list the messages with the replies
 * they got, list conferences and queues. No login: a local development tool.
 */
final class ControlPage {

    static final String PREFIX = "/emulator/";
    private static final Pattern CONTROL_CALL = Pattern.compile("^/emulator/calls/([^/]+)(/[a-z-]+)?$");
    private static final Pattern UI_FILE = Pattern.compile("^/emulator/ui/([a-z0-9-]+\\.(?:html|js|css))$");

    private final TwilioEmulator emulator;

    ControlPage(TwilioEmulator emulator) {
        this.emulator = emulator;
    }

    /** The page itself, at / and /index.html. */
    void servePage(HttpExchange ex) throws IOException {
        requireMethod(ex, "GET");
        serveResource(ex, "index.html");
    }

    void handle(HttpExchange ex, String path) throws IOException {
        Matcher m;
        if (path.equals("/emulator/calls")) {
            if ("GET".equals(ex.getRequestMethod())) {
                List<EmulatedCall> all = emulator.calls();
                Collections.reverse(all);
                ArrayNode arr = JSON.createArrayNode();
                for (EmulatedCall c : all) {
                    arr.add(controlJson(c.snapshot(), c.recordings()));
                }
                sendJson(ex, 200, arr);
            } else if ("POST".equals(ex.getRequestMethod())) {
                Map<String, String> p = Forms.first(Forms.parse(readBody(ex)));
                String from = Objects.requireNonNullElse(blankToNull(p.get("from")), "+447700900123");
                String to = Objects.requireNonNullElse(blankToNull(p.get("to")), "+441632960000");
                String conference = Objects.requireNonNullElse(blankToNull(p.get("conference")), "agent-conf-1");
                String sid = emulator.createCall(from, to,
                        "<Response><Dial><Conference>" + Twiml.escape(conference) + "</Conference></Dial></Response>");
                ObjectNode n = JSON.createObjectNode();
                n.put("sid", sid);
                sendJson(ex, 201, n);
            } else {
                throw HttpError.control(405, "method not allowed");
            }
        } else if (path.equals("/emulator/inbound-calls")) {
            JsonExchange.requireMethod(ex, "POST");
            Map<String, String> p = Forms.first(Forms.parse(readBody(ex)));
            String from = Objects.requireNonNullElse(blankToNull(p.get("from")), "+447700900123");
            String to = blankToNull(p.get("to"));
            if (to == null) {
                throw HttpError.control(400, "which of the account's numbers to call (to) is missing");
            }
            EmulatedCall call;
            try {
                call = emulator.placeInboundCall(from, to);
            } catch (IllegalArgumentException e) {
                throw HttpError.control(400, e.getMessage());
            }
            ObjectNode n = JSON.createObjectNode();
            n.put("sid", call.sid());
            sendJson(ex, 201, n);
        } else if (path.equals("/emulator/numbers")) {
            if ("POST".equals(ex.getRequestMethod())) {
                saveNumber(Forms.first(Forms.parse(readBody(ex))));
            } else {
                requireMethod(ex, "GET");
            }
            sendJson(ex, 200, numbers());
        } else if (path.equals("/emulator/messages")) {
            if ("POST".equals(ex.getRequestMethod())) {
                EmulatedMessage message = sendMessage(Forms.first(Forms.parse(readBody(ex))));
                sendJson(ex, 201, messageJson(message));
            } else {
                requireMethod(ex, "GET");
                List<EmulatedMessage> all = new ArrayList<>(emulator.messages());
                Collections.reverse(all);
                ArrayNode arr = JSON.createArrayNode();
                all.forEach(message -> arr.add(messageJson(message)));
                sendJson(ex, 200, arr);
            }
        } else if (path.equals("/emulator/queues")) {
            requireMethod(ex, "GET");
            ArrayNode arr = JSON.createArrayNode();
            for (CallQueues.View view : emulator.callQueues().views()) {
                ObjectNode n = arr.addObject();
                n.put("name", view.name());
                n.put("sid", view.sid());
                n.put("size", view.size());
                n.put("maxSize", view.maxSize());
                n.put("averageWaitTime", view.averageWaitSeconds());
                ArrayNode members = n.putArray("members");
                for (CallQueues.Member member : view.members()) {
                    ObjectNode mn = members.addObject();
                    mn.put("callSid", member.call().sid());
                    mn.put("from", member.call().from());
                    mn.put("position", view.positionOf(member.call().sid()));
                    mn.put("waitTime", member.waitSeconds(view.at()));
                }
            }
            sendJson(ex, 200, arr);
        } else if (path.equals("/emulator/conferences")) {
            requireMethod(ex, "GET");
            ArrayNode arr = JSON.createArrayNode();
            emulator.conferences().forEach((name, sids) -> {
                ObjectNode n = arr.addObject();
                n.put("name", name);
                ArrayNode participants = n.putArray("participants");
                sids.forEach(participants::add);
            });
            sendJson(ex, 200, arr);
        } else if ((m = CONTROL_CALL.matcher(path)).matches()) {
            EmulatedCall call = emulator.findCall(m.group(1));
            if (call == null) {
                throw HttpError.control(404, "no such call: " + m.group(1));
            }
            act(ex, call, m.group(2) == null ? "" : m.group(2));
            sendJson(ex, 200, controlJson(call.snapshot(), call.recordings()));
        } else if ((m = UI_FILE.matcher(path)).matches()) {
            requireMethod(ex, "GET");
            serveResource(ex, m.group(1));
        } else {
            throw HttpError.control(404, "not found: " + path);
        }
    }

    /** Sets a number's Voice URL, its messaging URL, or both; a field left empty leaves that side as it was. */
    private void saveNumber(Map<String, String> p) {
        String number = blankToNull(p.get("number"));
        String voiceUrl = blankToNull(p.get("voiceUrl"));
        String messagingUrl = blankToNull(p.get("messagingUrl"));
        if (number == null || (voiceUrl == null && messagingUrl == null)) {
            throw HttpError.control(400, "number and a voiceUrl or a messagingUrl are required");
        }
        for (String url : new String[] {voiceUrl, messagingUrl}) {
            if (url != null && !CallsApi.isHttpUrl(url)) {
                throw HttpError.control(400, "not an http(s) URL: " + url); // before either side changes
            }
        }
        try {
            if (voiceUrl != null) {
                emulator.setVoiceUrl(number, voiceUrl, blankToNull(p.get("statusCallbackUrl")));
            }
            if (messagingUrl != null) {
                emulator.setMessagingUrl(number, messagingUrl);
            }
        } catch (IllegalArgumentException e) {
            throw HttpError.control(400, e.getMessage());
        }
    }

    /** Every number that takes calls or messages, with its URLs (null for the side it does not take). */
    private ArrayNode numbers() {
        Map<String, TwilioEmulator.IncomingNumber> voice = emulator.incomingNumbers();
        Map<String, String> messaging = emulator.messagingUrls();
        TreeSet<String> all = new TreeSet<>(voice.keySet());
        all.addAll(messaging.keySet());
        ArrayNode arr = JSON.createArrayNode();
        for (String number : all) {
            TwilioEmulator.IncomingNumber calls = voice.get(number);
            ObjectNode n = arr.addObject();
            n.put("number", number);
            n.put("voiceUrl", calls == null ? null : calls.voiceUrl());
            n.put("statusCallbackUrl", calls == null ? null : calls.statusCallbackUrl());
            n.put("messagingUrl", messaging.get(number));
        }
        return arr;
    }

    /** A person texts one of the app's numbers, with a picture if they chose one (base64, as the page reads it). */
    private EmulatedMessage sendMessage(Map<String, String> p) {
        String from = Objects.requireNonNullElse(blankToNull(p.get("from")), "+447700900123");
        String to = blankToNull(p.get("to"));
        if (to == null) {
            throw HttpError.control(400, "which of the account's numbers to text (to) is missing");
        }
        List<MessageMedia> media = new ArrayList<>();
        String encoded = blankToNull(p.get("mediaBase64"));
        if (encoded != null) {
            String type = Objects.requireNonNullElse(blankToNull(p.get("mediaContentType")),
                    "application/octet-stream");
            try {
                media.add(new MessageMedia(type, Base64.getDecoder().decode(encoded)));
            } catch (IllegalArgumentException e) {
                throw HttpError.control(400, "the picture is not base64 with a MIME type: " + e.getMessage());
            }
        }
        try {
            return emulator.sendMessage(from, to, Objects.requireNonNullElse(p.get("body"), ""), media);
        } catch (IllegalArgumentException e) {
            throw HttpError.control(400, e.getMessage());
        }
    }

    private static ObjectNode messageJson(EmulatedMessage m) {
        ObjectNode n = JSON.createObjectNode();
        n.put("sid", m.sid());
        n.put("from", m.from());
        n.put("to", m.to());
        n.put("body", m.body());
        n.put("dateCreated", m.dateCreated().toString());
        ArrayNode media = n.putArray("media");
        for (EmulatedMessage.Media item : m.media()) {
            ObjectNode mn = media.addObject();
            mn.put("sid", item.sid());
            mn.put("contentType", item.contentType());
            mn.put("url", item.url());
            mn.put("size", item.size());
            mn.put("deleted", item.deleted());
        }
        n.put("responseStatus", m.responseStatus());
        n.put("responseBody", m.responseBody());
        ArrayNode replies = n.putArray("replies");
        for (EmulatedMessage.Reply reply : m.replies()) {
            ObjectNode rn = replies.addObject();
            rn.put("from", reply.from());
            rn.put("to", reply.to());
            rn.put("body", reply.body());
            ArrayNode urls = rn.putArray("mediaUrls");
            reply.mediaUrls().forEach(urls::add);
        }
        return n;
    }

    private static void act(HttpExchange ex, EmulatedCall call, String action) throws IOException {
        switch (action) {
            case "" -> requireMethod(ex, "GET");
            case "/digits" -> {
                requireMethod(ex, "POST");
                String digits = Forms.first(Forms.parse(readBody(ex))).getOrDefault("digits", "");
                try {
                    call.press(digits);
                } catch (IllegalArgumentException e) {
                    throw HttpError.control(400, e.getMessage());
                }
            }
            case "/hangup" -> {
                requireMethod(ex, "POST");
                whileRinging(call::hangUp);
            }
            case "/answer" -> {
                requireMethod(ex, "POST");
                whileRinging(call::pickUp);
            }
            case "/busy" -> {
                requireMethod(ex, "POST");
                whileRinging(call::busy);
            }
            case "/no-answer" -> {
                requireMethod(ex, "POST");
                whileRinging(call::noAnswer);
            }
            case "/fail" -> {
                requireMethod(ex, "POST");
                whileRinging(call::fail);
            }
            case "/message" -> {
                requireMethod(ex, "POST");
                leaveMessage(call, Forms.first(Forms.parse(readBody(ex))));
            }
            case "/quiet" -> {
                requireMethod(ex, "POST");
                whileRinging(call::stayQuiet);
            }
            case "/expire-gather" -> {
                requireMethod(ex, "POST");
                try {
                    call.expireGather();
                } catch (IllegalStateException e) {
                    throw HttpError.control(409, "no gather is open");
                }
            }
            default -> throw HttpError.control(404, "unknown action " + action);
        }
    }

    /**
     * The caller leaves a message at the open Record: {@code words} for {@code seconds} (5 unless given), ended by
     * {@code key} if one is given, else by silence; {@code transcriptionFails=true} makes this message's
     * transcription fail.
     */
    private static void leaveMessage(EmulatedCall call, Map<String, String> p) {
        String words = Objects.requireNonNullElse(p.get("words"), "");
        String key = blankToNull(p.get("key"));
        int seconds;
        try {
            seconds = Integer.parseInt(Objects.requireNonNullElse(blankToNull(p.get("seconds")), "5"));
        } catch (NumberFormatException e) {
            throw HttpError.control(400, "seconds is not a number: " + p.get("seconds"));
        }
        if (key != null && key.length() != 1) {
            throw HttpError.control(400, "key is one phone key: " + key);
        }
        if (!call.recordOpen()) {
            throw HttpError.control(409, "no Record is open");
        }
        // the page's checkbox is about this one message: the call's transcriptions succeed again afterwards
        boolean transcriptionFails = "true".equalsIgnoreCase(p.get("transcriptionFails"));
        try {
            call.setTranscriptionsFail(transcriptionFails);
            if (key == null) {
                call.leaveMessage(words, seconds);
            } else {
                call.leaveMessage(words, seconds, key.charAt(0));
            }
        } catch (IllegalArgumentException e) {
            throw HttpError.control(400, e.getMessage());
        } catch (IllegalStateException e) {
            throw HttpError.control(409, e.getMessage());
        } finally {
            call.setTranscriptionsFail(false);
        }
    }

    /** Runs an action that only fits some states of the call; the wrong state is a 409. */
    private static void whileRinging(Runnable action) {
        try {
            action.run();
        } catch (IllegalStateException e) {
            throw HttpError.control(409, e.getMessage());
        }
    }

    private static ObjectNode controlJson(EmulatedCall.Snapshot s, List<EmulatedRecording> recordings) {
        ObjectNode n = JSON.createObjectNode();
        n.put("sid", s.sid());
        n.put("from", s.from());
        n.put("to", s.to());
        n.put("direction", s.direction());
        n.put("status", s.status());
        n.put("conference", s.conference());
        n.put("queue", s.queue());
        n.put("bridgedWith", s.bridgedWith());
        n.put("dialed", s.dialed());
        ArrayNode heard = n.putArray("heard");
        s.heard().forEach(heard::add);
        n.put("gatherOpen", s.gatherOpen());
        n.put("prompt", s.prompt());
        n.put("droppedKeys", s.droppedKeys());
        n.put("recordOpen", s.record() != null);
        if (s.record() != null) {
            ObjectNode record = n.putObject("record");
            record.put("prompt", s.record().prompt());
            record.put("finishOnKey", s.record().finishOnKey());
            record.put("timeoutSeconds", s.record().timeoutSeconds());
            record.put("maxLengthSeconds", s.record().maxLengthSeconds());
            record.put("transcribe", s.record().transcribe());
        }
        n.put("activity", s.activity());
        // an inbound call rings the app, not a person: only calls the app places can be answered here
        n.put("ringing", "ringing".equals(s.status()) && !"inbound".equals(s.direction()));
        n.put("dateCreated", s.dateCreated().toString());
        putRecordings(n, recordings);
        return n;
    }

    /**
     * The call's recordings as the page shows them: each stretch recorded or paused, and the prompts heard while
     * recording ran or was paused. Keys are only counted: on a card-capture call they are card digits.
     */
    private static void putRecordings(ObjectNode n, List<EmulatedRecording> recordings) {
        ArrayNode arr = n.putArray("recordings");
        for (EmulatedRecording r : recordings) {
            ObjectNode rec = arr.addObject();
            rec.put("sid", r.sid());
            rec.put("status", r.status());
            rec.put("source", r.source());
            rec.put("durationSeconds", r.durationSeconds());
            rec.put("spokenText", r.spokenText());
            if (r.transcription() != null) {
                ObjectNode t = rec.putObject("transcription");
                t.put("sid", r.transcription().sid());
                t.put("status", r.transcription().status());
                t.put("text", r.transcription().text());
            }
            ArrayNode parts = rec.putArray("parts");
            for (EmulatedRecording.Part part : r.parts()) {
                ObjectNode p = parts.addObject();
                p.put("recorded", part.recorded());
                p.put("pauseBehavior", part.pauseBehavior());
                p.put("from", part.from().toString());
                p.put("to", part.to() == null ? null : part.to().toString());
            }
            ArrayNode recorded = rec.putArray("recordedPrompts");
            r.recordedPrompts().forEach(recorded::add);
            ArrayNode paused = rec.putArray("pausedPrompts");
            r.pausedPrompts().forEach(paused::add);
            rec.put("recordedKeyCount", r.recordedKeys() == null ? 0 : r.recordedKeys().length());
            rec.put("pausedKeyCount", r.pausedKeys() == null ? 0 : r.pausedKeys().length());
        }
    }

    private static void serveResource(HttpExchange ex, String name) throws IOException {
        byte[] bytes;
        try (InputStream in = ControlPage.class.getResourceAsStream("/twilio-emulator/" + name)) {
            if (in == null) {
                throw HttpError.control(404, "no such file: " + name);
            }
            bytes = in.readAllBytes();
        }
        String type = name.endsWith(".html") ? "text/html; charset=utf-8"
                : name.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8";
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        ex.sendResponseHeaders(200, bytes.length);
        ex.getResponseBody().write(bytes);
    }
}
