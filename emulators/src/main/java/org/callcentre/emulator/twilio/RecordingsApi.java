package org.callcentre.emulator.twilio;

import static org.callcentre.emulator.twilio.JsonExchange.JSON;
import static org.callcentre.emulator.twilio.JsonExchange.blankToNull;
import static org.callcentre.emulator.twilio.JsonExchange.readBody;
import static org.callcentre.emulator.twilio.JsonExchange.sendJson;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Twilio's Recording resources of the 2010-04-01 API, as far as a call recorded with {@code Record=true} or a message
 * left at a {@code <Record>} uses them: list a call's recordings, fetch one, update one (pause with a
 * {@code PauseBehavior}, resume with {@code in-progress}, stop; {@code Twilio.CURRENT} names the one recording now),
 * fetch a completed recording's metadata ({@code .json}) or audio (no extension or {@code .wav}: a small generated
 * WAV file), and fetch a message's Transcription ({@code .json}, or {@code .txt} for its text). The caller is already
 * authenticated by {@link CallsApi}, so the media, like Twilio's with HTTP authentication enforced, needs the
 * account's credentials.
 */
final class RecordingsApi {

    private static final Pattern CALL_RECORDINGS =
            Pattern.compile("^/2010-04-01/Accounts/([^/]+)/Calls/([^/]+)/Recordings(?:\\.json)?$");
    private static final Pattern CALL_RECORDING =
            Pattern.compile("^/2010-04-01/Accounts/([^/]+)/Calls/([^/]+)/Recordings/([^/]+?)(?:\\.json)?$");
    private static final Pattern RECORDING =
            Pattern.compile("^/2010-04-01/Accounts/([^/]+)/Recordings/([^/.]+)(\\.json|\\.wav|\\.mp3)?$");
    private static final Pattern TRANSCRIPTION =
            Pattern.compile("^/2010-04-01/Accounts/([^/]+)/Transcriptions/([^/.]+)(\\.json|\\.txt)?$");
    private static final Set<String> STATUSES = Set.of("paused", "in-progress", "stopped");
    private static final Set<String> PAUSE_BEHAVIORS = Set.of(CallRecording.SKIP, CallRecording.SILENCE);
    private static final int SAMPLE_RATE = 8000;
    /** The generated audio lasts as long as the recording, within these bounds (the file stays small). */
    private static final int MAX_AUDIO_SECONDS = 5;

    private final TwilioEmulator emulator;
    private final CallsApi calls;

    RecordingsApi(TwilioEmulator emulator, CallsApi calls) {
        this.emulator = emulator;
        this.calls = calls;
    }

    /** Where a recording's audio is served, relative to the emulator's base URL. */
    static String mediaPath(String accountSid, String recordingSid) {
        return "/2010-04-01/Accounts/" + accountSid + "/Recordings/" + recordingSid;
    }

    /** Where a transcription's resource is, relative to the emulator's base URL. */
    static String transcriptionPath(String accountSid, String transcriptionSid) {
        return "/2010-04-01/Accounts/" + accountSid + "/Transcriptions/" + transcriptionSid;
    }

    boolean handles(String path) {
        return CALL_RECORDINGS.matcher(path).matches() || CALL_RECORDING.matcher(path).matches()
                || RECORDING.matcher(path).matches() || TRANSCRIPTION.matcher(path).matches();
    }

    void handle(HttpExchange ex, String path) throws IOException {
        Matcher m;
        if ((m = CALL_RECORDINGS.matcher(path)).matches()) {
            calls.checkAccount(m.group(1), path);
            EmulatedCall call = call(m.group(2), path);
            JsonExchange.requireMethod(ex, "GET");
            list(ex, call);
        } else if ((m = CALL_RECORDING.matcher(path)).matches()) {
            calls.checkAccount(m.group(1), path);
            EmulatedCall call = call(m.group(2), path);
            String recordingSid = m.group(3);
            switch (ex.getRequestMethod()) {
                case "GET" -> {
                    EmulatedRecording recording = call.recordings().stream()
                            .filter(r -> r.sid().equals(recordingSid)).findFirst()
                            .orElseThrow(() -> notFound(path));
                    sendJson(ex, 200, resource(recording));
                }
                case "POST" -> update(ex, call, recordingSid, Forms.first(Forms.parse(readBody(ex))), path);
                default -> throw HttpError.twilio(405, 20004, "Method not allowed: " + ex.getRequestMethod());
            }
        } else if ((m = RECORDING.matcher(path)).matches()) {
            calls.checkAccount(m.group(1), path);
            JsonExchange.requireMethod(ex, "GET");
            media(ex, m.group(2), m.group(3), path);
        } else if ((m = TRANSCRIPTION.matcher(path)).matches()) {
            calls.checkAccount(m.group(1), path);
            JsonExchange.requireMethod(ex, "GET");
            transcription(ex, m.group(2), m.group(3), path);
        } else {
            throw notFound(path);
        }
    }

    private EmulatedCall call(String callSid, String path) {
        EmulatedCall call = emulator.findCall(callSid);
        if (call == null) {
            throw notFound(path);
        }
        return call;
    }

    private void list(HttpExchange ex, EmulatedCall call) throws IOException {
        ArrayNode items = JSON.createArrayNode();
        List<EmulatedRecording> recordings = call.recordings();
        for (int i = recordings.size() - 1; i >= 0; i--) {
            items.add(resource(recordings.get(i)));
        }
        String uri = "/2010-04-01/Accounts/" + emulator.accountSid() + "/Calls/" + call.sid() + "/Recordings.json";
        sendJson(ex, 200, JsonExchange.page("recordings", items, uri, 50));
    }

    private void update(HttpExchange ex, EmulatedCall call, String recordingSid, Map<String, String> p, String path)
            throws IOException {
        String status = blankToNull(p.get("Status"));
        if (status == null || !STATUSES.contains(status.toLowerCase(Locale.ROOT))) {
            throw HttpError.twilio(400, 21218, "Invalid Status: " + status
                    + " (must be 'paused', 'in-progress' or 'stopped')");
        }
        status = status.toLowerCase(Locale.ROOT);
        String pauseBehavior = blankToNull(p.get("PauseBehavior"));
        if (pauseBehavior != null && !PAUSE_BEHAVIORS.contains(pauseBehavior.toLowerCase(Locale.ROOT))) {
            throw HttpError.twilio(400, 21218, "Invalid PauseBehavior: " + pauseBehavior
                    + " (must be 'skip' or 'silence')");
        }
        if (emulator.recordingUpdateFails(status)) {
            throw HttpError.twilio(500, 20500, "Internal Server Error");
        }
        EmulatedCall.RecordingUpdate update = call.updateRecording(recordingSid, status,
                pauseBehavior == null ? null : pauseBehavior.toLowerCase(Locale.ROOT));
        switch (update.outcome()) {
            case NOT_FOUND -> throw notFound(path);
            case NOT_ACTIVE -> throw HttpError.twilio(400, 21220,
                    "Recording " + update.recording().sid() + " is not in progress and cannot be updated.");
            default -> sendJson(ex, 200, resource(update.recording()));
        }
    }

    private void media(HttpExchange ex, String recordingSid, String extension, String path) throws IOException {
        EmulatedCall call = emulator.callOfRecording(recordingSid);
        EmulatedRecording recording = call == null ? null : call.recording(recordingSid);
        if (recording == null) {
            throw notFound(path);
        }
        if (".json".equals(extension)) {
            sendJson(ex, 200, resource(recording));
            return;
        }
        if (!"completed".equals(recording.status())) {
            // Twilio has no file before the recording is processed, and none for an absent one.
            throw notFound(path);
        }
        if (".mp3".equals(extension)) {
            throw HttpError.twilio(404, 20404, "The emulator serves recordings as WAV only: " + path);
        }
        byte[] wav = wav(Math.max(1, Math.min(MAX_AUDIO_SECONDS, recording.durationSeconds())));
        ex.getResponseHeaders().set("Content-Type", "audio/x-wav");
        ex.sendResponseHeaders(200, wav.length);
        ex.getResponseBody().write(wav);
    }

    private void transcription(HttpExchange ex, String transcriptionSid, String extension, String path)
            throws IOException {
        EmulatedTranscription transcription = emulator.findTranscription(transcriptionSid);
        if (transcription == null) {
            throw notFound(path);
        }
        if (".txt".equals(extension)) {
            byte[] text = (transcription.text() == null ? "" : transcription.text())
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            ex.sendResponseHeaders(200, text.length == 0 ? -1 : text.length);
            ex.getResponseBody().write(text);
            return;
        }
        EmulatedRecording recording = emulator.recording(transcription.recordingSid());
        ObjectNode n = JSON.createObjectNode();
        n.put("account_sid", emulator.accountSid());
        n.put("api_version", TwilioEmulator.API_VERSION);
        String created = EmulatedCall.RFC_2822.format(recording.startTime());
        n.put("date_created", created);
        n.put("date_updated", created);
        n.put("duration", String.valueOf(recording.durationSeconds()));
        n.putNull("price");
        n.put("price_unit", "USD");
        n.put("recording_sid", transcription.recordingSid());
        n.put("sid", transcription.sid());
        n.put("status", transcription.status());
        n.put("transcription_text", transcription.text());
        n.put("type", "fast");
        n.put("uri", transcriptionPath(emulator.accountSid(), transcription.sid()) + ".json");
        sendJson(ex, 200, n);
    }

    private ObjectNode resource(EmulatedRecording recording) {
        String accountSid = emulator.accountSid();
        ObjectNode n = JSON.createObjectNode();
        n.put("account_sid", accountSid);
        n.put("api_version", TwilioEmulator.API_VERSION);
        n.put("call_sid", recording.callSid());
        n.putNull("conference_sid");
        String started = EmulatedCall.RFC_2822.format(recording.startTime());
        n.put("date_created", started);
        n.put("date_updated", EmulatedCall.RFC_2822.format(Instant.now()));
        n.put("start_time", started);
        n.put("duration", recording.durationSeconds() == null ? "-1" : recording.durationSeconds().toString());
        n.put("sid", recording.sid());
        n.putNull("price");
        n.put("price_unit", "USD");
        n.put("status", recording.status());
        n.put("channels", 1);
        n.put("source", recording.source());
        n.putNull("error_code");
        n.put("track", CallRecording.SOURCE_RECORD_VERB.equals(recording.source()) ? "inbound" : "both");
        n.putNull("encryption_details");
        n.put("media_url", recording.mediaUrl());
        n.put("uri", "/2010-04-01/Accounts/" + accountSid + "/Calls/" + recording.callSid() + "/Recordings/"
                + recording.sid() + ".json");
        return n;
    }

    private static HttpError notFound(String path) {
        return HttpError.twilio(404, 20404, "The requested resource " + path + " was not found");
    }

    /** A WAV file (8 kHz, 16-bit mono) of a quiet 440 Hz tone lasting {@code seconds}. */
    static byte[] wav(int seconds) {
        int samples = SAMPLE_RATE * seconds;
        ByteBuffer data = ByteBuffer.allocate(samples * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < samples; i++) {
            data.putShort((short) (2000 * Math.sin(2 * Math.PI * 440 * i / SAMPLE_RATE)));
        }
        ByteBuffer header = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
        header.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(36 + samples * 2)
                .put("WAVE".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .put("fmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(16)
                .putShort((short) 1).putShort((short) 1).putInt(SAMPLE_RATE).putInt(SAMPLE_RATE * 2)
                .putShort((short) 2).putShort((short) 16)
                .put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(samples * 2);
        ByteArrayOutputStream out = new ByteArrayOutputStream(44 + samples * 2);
        out.writeBytes(header.array());
        out.writeBytes(data.array());
        return out.toByteArray();
    }
}
