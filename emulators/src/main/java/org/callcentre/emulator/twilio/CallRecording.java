package org.callcentre.emulator.twilio;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One recording of a call while the emulator makes it: recording, paused (Twilio's {@code PauseBehavior}: skip or
 * silence), stopped, then completed (or absent) once processed. Which prompts and keys fall in which part is noted as
 * the call hears and presses them. A message left at a {@code <Record>} verb is a recording too ({@link #SOURCE_RECORD_VERB}):
 * it takes only the caller's voice, lasts as long as the caller spoke, and may have a transcription. Guarded by the
 * call's lock: every method runs under it.
 */
final class CallRecording {

    /**
     * What a REST create asked for with {@code Record=true}.
     *
     * @param statusCallback       {@code RecordingStatusCallback}, or null for none
     * @param statusCallbackMethod its method
     * @param events               {@code RecordingStatusCallbackEvent}: in-progress, completed, absent (Twilio's
     *                             default is completed alone)
     */
    record Request(String statusCallback, String statusCallbackMethod, Set<String> events) {

        static final Set<String> EVENTS = Set.of("in-progress", "completed", "absent");

        Request {
            events = events == null || events.isEmpty() ? Set.of("completed") : Set.copyOf(events);
        }

        /** Reads the event names as the SDK sends them: once per value, or a single space-separated value. */
        static Set<String> events(List<String> values) {
            java.util.HashSet<String> events = new java.util.HashSet<>();
            for (String value : values) {
                for (String event : value.trim().split("[\\s,]+")) {
                    String e = event.toLowerCase(Locale.ROOT);
                    if (EVENTS.contains(e)) {
                        events.add(e);
                    }
                }
            }
            return events;
        }
    }

    static final String CURRENT = "Twilio.CURRENT";
    /** Twilio's {@code source} of a recording made because the REST create asked with {@code Record=true}. */
    static final String SOURCE_OUTBOUND_API = "OutboundAPI";
    /** Twilio's {@code source} of a message recorded by the {@code <Record>} verb. */
    static final String SOURCE_RECORD_VERB = "RecordVerb";
    static final String SKIP = "skip";
    static final String SILENCE = "silence";

    private final String sid;
    private final Instant startTime;
    private final Request request;
    private final List<EmulatedRecording.Part> parts = new ArrayList<>();
    private final List<String> recordedPrompts = new ArrayList<>();
    private final List<String> pausedPrompts = new ArrayList<>();
    private final StringBuilder recordedKeys = new StringBuilder();
    private final StringBuilder pausedKeys = new StringBuilder();
    private final String source;
    private boolean absent;
    private String status = "in-progress";
    private boolean paused;
    private String pauseBehavior;
    private Instant partStart;
    private long audioNanos;
    private Integer durationSeconds;
    /** For a {@code <Record>} message: what the caller said, and its transcription if one was asked for. */
    private String spokenText;
    private EmulatedTranscription transcription;

    CallRecording(Request request, Instant now, boolean absent) {
        this(request, now, absent, SOURCE_OUTBOUND_API);
    }

    private CallRecording(Request request, Instant now, boolean absent, String source) {
        this.sid = newSid();
        this.request = request;
        this.startTime = now;
        this.partStart = now;
        this.absent = absent;
        this.source = source;
    }

    /** The recording a {@code <Record>} verb starts: it takes the caller's voice until the message ends. */
    static CallRecording recordVerb(Request request, Instant now) {
        return new CallRecording(request, now, false, SOURCE_RECORD_VERB);
    }

    boolean recordVerb() {
        return SOURCE_RECORD_VERB.equals(source);
    }

    String sid() {
        return sid;
    }

    Request request() {
        return request;
    }

    String status() {
        return status;
    }

    /** Still taking audio or paused: it can be updated. */
    boolean active() {
        return "in-progress".equals(status) || "paused".equals(status);
    }

    void heard(String text) {
        if (active() && !recordVerb()) {
            (paused ? pausedPrompts : recordedPrompts).add(text);
        }
    }

    void pressed(char key) {
        if (active() && !recordVerb()) {
            (paused ? pausedKeys : recordedKeys).append(key);
        }
    }

    /** Pauses; a paused recording stays paused (and keeps its first behavior). */
    void pause(String behavior, Instant now) {
        if (paused) {
            return;
        }
        closePart(now);
        paused = true;
        pauseBehavior = behavior;
        status = "paused";
    }

    /** Records again; a recording that is not paused is left as it is. */
    void resume(Instant now) {
        if (!paused) {
            return;
        }
        closePart(now);
        paused = false;
        pauseBehavior = null;
        status = "in-progress";
    }

    /** Ends the recording (stopped over the REST API or the call ended): processed at once, completed or absent. */
    void finish(Instant now) {
        if (!active()) {
            return;
        }
        closePart(now);
        status = absent ? "absent" : "completed";
        durationSeconds = absent ? 0 : (int) Math.max(1, (audioNanos + 999_999_999L) / 1_000_000_000L);
    }

    /**
     * Ends a {@code <Record>} message: completed with the caller's {@code seconds} of audio and what they said, or
     * absent when they said nothing (Twilio keeps no empty recording).
     */
    void finishMessage(Instant now, int seconds, String said) {
        if (!active()) {
            return;
        }
        closePart(now);
        absent = seconds <= 0;
        status = absent ? "absent" : "completed";
        durationSeconds = absent ? 0 : seconds;
        spokenText = absent ? null : said;
    }

    /** The message's transcription, as Twilio made it (completed with the text, or failed). */
    void transcribed(EmulatedTranscription result) {
        transcription = result;
    }

    EmulatedTranscription transcription() {
        return transcription;
    }

    String spokenText() {
        return spokenText;
    }

    Integer durationSeconds() {
        return durationSeconds;
    }

    private void closePart(Instant now) {
        parts.add(new EmulatedRecording.Part(!paused, paused ? pauseBehavior : null, partStart, now));
        if (!paused || SILENCE.equals(pauseBehavior)) {
            audioNanos += Duration.between(partStart, now).toNanos();
        }
        partStart = now;
    }

    EmulatedRecording view(String callSid, String mediaUrl) {
        List<EmulatedRecording.Part> all = new ArrayList<>(parts);
        if (active()) {
            all.add(new EmulatedRecording.Part(!paused, paused ? pauseBehavior : null, partStart, null));
        }
        return new EmulatedRecording(sid, callSid, status, startTime, durationSeconds, all, recordedPrompts,
                pausedPrompts, recordedKeys.toString(), pausedKeys.toString(), mediaUrl, source, spokenText,
                transcription);
    }

    /** The parameters of a recording status callback, as Twilio sends them. */
    Map<String, String> callbackParams(String accountSid, String callSid, String mediaUrl) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("AccountSid", accountSid);
        p.put("CallSid", callSid);
        p.put("RecordingSid", sid);
        p.put("RecordingUrl", mediaUrl);
        p.put("RecordingStatus", status);
        p.put("RecordingDuration", durationSeconds == null ? "-1" : Integer.toString(durationSeconds));
        p.put("RecordingChannels", "1");
        p.put("RecordingStartTime", EmulatedCall.RFC_2822.format(startTime));
        p.put("RecordingSource", source);
        // a call recording takes both parties; a <Record> message only the caller
        p.put("RecordingTrack", recordVerb() ? "inbound" : "both");
        p.put("ErrorCode", absent ? "16101" : "0");
        return p;
    }

    private static String newSid() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return String.format("RE%016x%016x", r.nextLong(), r.nextLong());
    }
}
