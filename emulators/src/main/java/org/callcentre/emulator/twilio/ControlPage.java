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
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The page from which a person plays the caller and the called party (GET /, its script and style under
 * /emulator/ui/) and the JSON endpoints it calls under /emulator/: list and place calls, call one of the account's
 * numbers (an inbound call), set a number's Voice URL, answer a ringing call or refuse it (busy, no answer,
 * failed), press keys, hang up, let a gather time out, list conferences and queues. No login: a local development
 * tool.
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
                Map<String, String> p = Forms.first(Forms.parse(readBody(ex)));
                String number = blankToNull(p.get("number"));
                String voiceUrl = blankToNull(p.get("voiceUrl"));
                if (number == null || voiceUrl == null) {
                    throw HttpError.control(400, "number and voiceUrl are required");
                }
                try {
                    emulator.setVoiceUrl(number, voiceUrl, blankToNull(p.get("statusCallbackUrl")));
                } catch (IllegalArgumentException e) {
                    throw HttpError.control(400, e.getMessage());
                }
            } else {
                requireMethod(ex, "GET");
            }
            ArrayNode arr = JSON.createArrayNode();
            emulator.incomingNumbers().values().forEach(number -> {
                ObjectNode n = arr.addObject();
                n.put("number", number.number());
                n.put("voiceUrl", number.voiceUrl());
                n.put("statusCallbackUrl", number.statusCallbackUrl());
            });
            sendJson(ex, 200, arr);
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
