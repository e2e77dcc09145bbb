package org.callcentre.emulator.twilio;

import static org.callcentre.emulator.twilio.TwimlAttributes.normaliseMethod;
import static org.callcentre.emulator.twilio.TwimlAttributes.parseInt;
import static org.callcentre.emulator.twilio.TwimlAttributes.resolve;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.callcentre.emulator.twilio.Twiml.Verb;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A call's {@code <Record>}: after the beep the caller may speak ({@link EmulatedCall#speak}); the message ends on a
 * {@code finishOnKey} key, after {@code timeout} seconds of silence, at {@code maxLength}, or when the caller hangs
 * up. As Twilio's documentation has it:
 * <ul>
 * <li>a message with audio becomes a Recording ({@code RecordVerb}) and the action URL is requested with
 * RecordingUrl, RecordingSid, RecordingDuration and Digits (the key that ended it, {@code hangup}, or absent when
 * silence or maxLength ended it); its TwiML runs next;</li>
 * <li>an empty recording requests no action: the document goes on with the verb after {@code <Record>};</li>
 * <li>when the caller hangs up, the action is still requested (Digits {@code hangup}, CallStatus completed), and
 * whatever it answers is not run: the call is over;</li>
 * <li>with {@code transcribe="true"} the message is transcribed after it is processed and, if a
 * {@code transcribeCallback} is given, the transcription is POSTed there (signed);</li>
 * <li>{@code recordingStatusCallback} gets the recording's {@code recordingStatusCallbackEvent}s (completed alone by
 * default; absent for an empty message).</li>
 * </ul>
 * Every method runs under the call's lock.
 */
final class RecordInput {

    /** What the caller hears before recording begins (Twilio's beep). */
    static final String BEEP = "[beep]";
    /** Twilio transcribes recordings of at most two minutes. */
    static final int MAX_TRANSCRIBED_SECONDS = 120;

    private static final Logger log = LoggerFactory.getLogger(RecordInput.class);
    private static final String DEFAULT_FINISH_ON_KEY = "1234567890*#";
    private static final int DEFAULT_TIMEOUT_SECONDS = 5;
    private static final int DEFAULT_MAX_LENGTH_SECONDS = 3600;

    /** How a message ended; decides Digits and whether trailing silence is kept. */
    private enum Ending { KEY, SILENCE, MAX_LENGTH, HANGUP, REDIRECTED }

    /** The open Record's settings and what the caller has said into it. */
    private static final class Open {
        String prompt;
        String action;
        String method;
        int timeoutSeconds;
        String finishOnKey;
        int maxLengthSeconds;
        boolean playBeep;
        boolean trim;
        boolean transcribe;
        String transcribeCallback;
        CallRecording recording;
        final StringBuilder words = new StringBuilder();
        int seconds;

        RecordPrompt view() {
            return new RecordPrompt(prompt, action, method, timeoutSeconds, finishOnKey, maxLengthSeconds, playBeep,
                    transcribe, transcribeCallback);
        }
    }

    private final EmulatedCall call;
    private final TwimlInterpreter interpreter;
    private final TwilioEmulator emulator;
    private Open open;
    private boolean transcriptionsFail;

    RecordInput(EmulatedCall call, TwimlInterpreter interpreter, TwilioEmulator emulator) {
        this.call = call;
        this.interpreter = interpreter;
        this.emulator = emulator;
    }

    boolean isOpen() {
        return open != null;
    }

    /** The open Record, or null. */
    RecordPrompt view() {
        return open == null ? null : open.view();
    }

    void transcriptionsFail(boolean fail) {
        transcriptionsFail = fail;
    }

    void open(Verb v, List<Runnable> fx) {
        String documentUrl = interpreter.documentUrl();
        Open r = new Open();
        if (v.has("action")) {
            r.action = resolve(documentUrl, v.attr("action"));
            if (r.action == null) {
                interpreter.applicationError("cannot resolve <Record action=\"" + v.attr("action") + "\">", fx);
                return;
            }
        } else {
            r.action = documentUrl; // Twilio requests the current document's URL
        }
        r.method = normaliseMethod(v.attr("method", "POST"));
        r.timeoutSeconds = parseInt(v.attr("timeout"), DEFAULT_TIMEOUT_SECONDS);
        if (r.timeoutSeconds <= 0) {
            r.timeoutSeconds = DEFAULT_TIMEOUT_SECONDS;
        }
        r.finishOnKey = v.has("finishOnKey") ? v.attr("finishOnKey") : DEFAULT_FINISH_ON_KEY;
        r.maxLengthSeconds = parseInt(v.attr("maxLength"), DEFAULT_MAX_LENGTH_SECONDS);
        if (r.maxLengthSeconds <= 0) {
            r.maxLengthSeconds = DEFAULT_MAX_LENGTH_SECONDS;
        }
        r.playBeep = !"false".equalsIgnoreCase(v.attr("playBeep", "true").strip());
        r.trim = !"do-not-trim".equalsIgnoreCase(v.attr("trim", "trim-silence").strip());
        r.transcribe = "true".equalsIgnoreCase(v.attr("transcribe", "false").strip());
        if (v.has("transcribeCallback")) {
            r.transcribeCallback = resolve(documentUrl, v.attr("transcribeCallback"));
            if (r.transcribeCallback == null) {
                // Twilio's warning 13615: the transcription is made, the callback is not sent
                log.warn("Call {}: cannot resolve <Record transcribeCallback=\"{}\">", call.sid(),
                        v.attr("transcribeCallback"));
            }
        }
        String statusCallback = v.has("recordingStatusCallback")
                ? resolve(documentUrl, v.attr("recordingStatusCallback")) : null;
        CallRecording.Request request = new CallRecording.Request(statusCallback,
                v.attr("recordingStatusCallbackMethod"),
                CallRecording.Request.events(List.of(v.attr("recordingStatusCallbackEvent", ""))));
        r.prompt = interpreter.prompt();
        if (r.playBeep) {
            call.hearLocked(BEEP);
        }
        r.recording = CallRecording.recordVerb(request, Instant.now());
        open = r;
        call.messageRecordingStartedLocked(r.recording, fx);
        call.activityLocked("recording a message");
        armTimeout();
    }

    /** The caller speaks {@code words} for {@code seconds}; the message ends here if it reaches maxLength. */
    void speak(String words, int seconds, List<Runnable> fx) {
        Open r = open;
        if (!words.isBlank()) {
            if (r.words.length() > 0) {
                r.words.append(' ');
            }
            r.words.append(words.strip());
        }
        r.seconds = (int) Math.min((long) r.seconds + seconds, r.maxLengthSeconds);
        if (r.seconds >= r.maxLengthSeconds) {
            finish(Ending.MAX_LENGTH, null, fx);
            return;
        }
        armTimeout();
    }

    /** One key while recording: a finishOnKey key ends the message; another is only a tone in it. */
    boolean press(char key, List<Runnable> fx) {
        Open r = open;
        if (r == null) {
            return false;
        }
        if (!r.finishOnKey.isEmpty() && r.finishOnKey.indexOf(key) >= 0) {
            finish(Ending.KEY, String.valueOf(key), fx);
        }
        return true;
    }

    boolean finishesOn(char key) {
        return open != null && open.finishOnKey.indexOf(key) >= 0;
    }

    /** The caller says nothing more: the silence timeout elapses now. */
    void silence(List<Runnable> fx) {
        finish(Ending.SILENCE, null, fx);
    }

    /** The call ended (the caller hung up, or the REST API ended it) while recording. */
    void callEnded(List<Runnable> fx) {
        if (open != null) {
            finish(Ending.HANGUP, "hangup", fx);
        }
    }

    /** A REST redirect took the call elsewhere: the message is kept, and no action is requested. */
    void redirected(List<Runnable> fx) {
        if (open != null) {
            finish(Ending.REDIRECTED, null, fx);
        }
    }

    private void armTimeout() {
        call.cancelTimerLocked();
        Open r = open;
        double scale = emulator.settings().gatherTimeoutScale();
        if (r == null || scale <= 0) {
            return; // with scale 0 the silence only ends a message through stayQuiet()
        }
        long nanos = (long) (r.timeoutSeconds * scale * 1_000_000_000L);
        call.scheduleLocked(Math.max(nanos, 1), fx -> {
            if (open == r) {
                silence(fx);
            }
        });
    }

    private void finish(Ending ending, String digits, List<Runnable> fx) {
        Open r = open;
        open = null;
        call.cancelTimerLocked();
        int seconds = r.seconds;
        if (seconds > 0 && !r.trim && ending == Ending.SILENCE) {
            seconds = Math.min(r.maxLengthSeconds, seconds + r.timeoutSeconds); // do-not-trim keeps the silence
        }
        CallRecording recording = r.recording;
        recording.finishMessage(Instant.now(), seconds, r.words.toString());
        call.recordingCallbackLocked(recording, fx);
        if (seconds == 0) {
            // "if Twilio receives an empty recording, it will not make a request to the action URL"
            if (ending != Ending.HANGUP && ending != Ending.REDIRECTED) {
                call.activityLocked("running");
                interpreter.run(fx);
            }
            return;
        }
        if (r.transcribe) {
            transcribe(r, recording, fx);
        }
        if (ending == Ending.REDIRECTED) {
            return;
        }
        Map<String, String> extra = new LinkedHashMap<>();
        String recordingUrl = emulator.recordingMediaUrl(recording.sid());
        extra.put("RecordingUrl", recordingUrl);
        extra.put("RecordingSid", recording.sid());
        extra.put("RecordingDuration", Integer.toString(seconds));
        if (digits != null) {
            extra.put("Digits", digits);
        }
        if (ending == Ending.HANGUP) {
            if (r.action != null) {
                // the call is over: the action hears of the message, and what it answers is not run
                Map<String, String> params = call.standardParamsLocked(call.statusLocked());
                params.putAll(extra);
                String sid = call.sid();
                String url = r.action;
                String method = r.method;
                fx.add(() -> emulator.sendWebhook(sid, url, method, params, WebhookExchange.KIND_RECORD_ACTION));
            }
            return;
        }
        if (r.action == null) {
            call.activityLocked("running");
            interpreter.run(fx); // inline TwiML without an action: nothing to request
            return;
        }
        interpreter.fetch(r.action, r.method, extra, WebhookExchange.KIND_RECORD_ACTION, fx);
    }

    /**
     * Transcribes the message: completed with what the caller said, or failed when the test asked, when there were no
     * words, or when the message is longer than Twilio transcribes.
     */
    private void transcribe(Open r, CallRecording recording, List<Runnable> fx) {
        String text = recording.spokenText();
        boolean failed = transcriptionsFail || text == null || text.isBlank()
                || recording.durationSeconds() > MAX_TRANSCRIBED_SECONDS;
        String sid = newTranscriptionSid();
        String url = emulator.transcriptionUrl(sid);
        EmulatedTranscription transcription = new EmulatedTranscription(sid, recording.sid(), call.sid(),
                failed ? "failed" : "completed", failed ? null : text, url);
        recording.transcribed(transcription);
        emulator.transcriptionCreated(sid, call);
        if (r.transcribeCallback == null) {
            return;
        }
        Map<String, String> params = call.standardParamsLocked(call.statusLocked());
        params.put("TranscriptionSid", sid);
        if (!failed) {
            params.put("TranscriptionText", text);
        }
        params.put("TranscriptionStatus", transcription.status());
        params.put("TranscriptionUrl", url);
        params.put("TranscriptionType", "fast");
        params.put("RecordingSid", recording.sid());
        params.put("RecordingUrl", emulator.recordingMediaUrl(recording.sid()));
        call.transcriptionCallbackLocked(r.transcribeCallback, params, fx);
    }

    private static String newTranscriptionSid() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return String.format("TR%016x%016x", random.nextLong(), random.nextLong());
    }

    /** For the call's description in assertion messages. */
    String describe() {
        if (open == null) {
            return "no record open";
        }
        return "record open (seconds so far=" + open.seconds + ", action=" + open.action + ")";
    }
}
