package org.callcentre.emulator.twilio;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One emulated phone call: its state, what the called party does (pick up, refuse, press keys, hang up) and what a
 * test waits for. A call created over the REST API goes queued, initiated, ringing, then in-progress or one of the
 * unanswered finals ({@link CallOutcome}); its TwiML runs in a {@link TwimlInterpreter} and its gathers in a
 * {@link GatherInput}, its recorded messages in a {@link RecordInput}. Thread-safe; each call has its own lock and never holds it while an HTTP request is in flight
 * or while it waits (ring times, pauses and gather timeouts are timers on the emulator's scheduler).
 */
public final class EmulatedCall {

    /** What the caller hears when the application's TwiML cannot be fetched or understood. */
    public static final String APPLICATION_ERROR = "An application error has occurred.";

    static final DateTimeFormatter RFC_2822 =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.US).withZone(ZoneOffset.UTC);

    private static final Logger log = LoggerFactory.getLogger(EmulatedCall.class);

    /** The outcome of a REST update. */
    enum UpdateOutcome { UPDATED, NOT_IN_PROGRESS }

    /** The outcome of a REST update of one of the call's recordings, with the recording as it is now. */
    record RecordingUpdate(Outcome outcome, EmulatedRecording recording) {
        enum Outcome { UPDATED, NOT_FOUND, NOT_ACTIVE }
    }

    /** The StatusCallbackEvent names a REST create may ask for. */
    static final Set<String> PROGRESS_EVENTS = Set.of("initiated", "ringing", "answered", "completed");

    /** What the called party gets once it answers a REST-created call: a document to fetch, or inline TwiML. */
    record AnswerDocument(String url, String method, String twiml) {
    }

    /** One status callback, ready to send. */
    private record StatusCallback(String url, String method, Map<String, String> params) {
    }

    /** The call joined a conference at this moment. */
    public record ConferenceJoin(String conference, Instant at) {
    }

    /** An immutable view of the call, for JSON rendering. */
    record Snapshot(String sid, String from, String to, String direction, String status, Instant dateCreated,
            Instant dateUpdated, Instant startTime, Instant endTime, String conference, String dialed,
            List<String> heard, boolean gatherOpen, String prompt, int droppedKeys, String activity, String queue,
            String bridgedWith, RecordPrompt record) {
    }

    private final TwilioEmulator emulator;
    private final String sid;
    private final String from;
    private final String to;
    private final String direction;
    private final long sequence;
    private final Instant dateCreated;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();

    // everything below is guarded by lock
    private final TwimlInterpreter interpreter;
    private final GatherInput gather;
    private final RecordInput record;
    private final CallQueueing queueing;
    private String status = "queued";
    private Instant dateUpdated;
    private Instant startTime;
    private Instant endTime;
    private String statusCallback;
    private String statusCallbackMethod;
    private final List<String> heard = new ArrayList<>();
    private int droppedKeys;
    private String conference;
    private final List<ConferenceJoin> conferenceJoins = new ArrayList<>();
    private String dialed;
    private long generation;
    private ScheduledFuture<?> timer;
    private long timerToken;
    private int statusSequence;
    private String activity = "queued";
    private final Set<String> statusCallbackEvents;
    /** Created over the REST API: it rings its called party before it runs TwiML. */
    private final boolean rest;
    /** Set for a REST-created call until it is answered or ends. */
    private AnswerDocument answerDocument;
    /** What the test chose before the call reached ringing; acted on as soon as it rings. */
    private CallOutcome chosenEarly;
    /** Status callbacks go out one after another: the next waits for this one's answer. */
    private CompletableFuture<Void> callbackTail = CompletableFuture.completedFuture(null);
    /** With shuffled status callbacks: the ones held until the call ends. */
    private final List<StatusCallback> heldCallbacks = new ArrayList<>();
    /** What the REST create asked to record ({@code Record=true}), or null. */
    private final CallRecording.Request recordingRequest;
    /** The call's recordings, oldest first. */
    private final List<CallRecording> recordings = new ArrayList<>();
    /** Recording status callbacks go out one after another, like status callbacks. */
    private CompletableFuture<Void> recordingCallbackTail = CompletableFuture.completedFuture(null);

    EmulatedCall(TwilioEmulator emulator, String sid, String from, String to, String direction, long sequence,
            String statusCallback, String statusCallbackMethod, Set<String> statusCallbackEvents,
            AnswerDocument answerDocument, CallRecording.Request recordingRequest) {
        this.emulator = emulator;
        this.recordingRequest = recordingRequest;
        this.sid = sid;
        this.from = from;
        this.to = to;
        this.direction = direction;
        this.sequence = sequence;
        this.dateCreated = Instant.now();
        this.dateUpdated = dateCreated;
        this.statusCallback = statusCallback;
        this.statusCallbackMethod = TwimlAttributes.normaliseMethod(statusCallbackMethod);
        this.statusCallbackEvents = Set.copyOf(statusCallbackEvents);
        this.answerDocument = answerDocument;
        this.rest = answerDocument != null;
        this.interpreter = new TwimlInterpreter(this, emulator);
        this.gather = new GatherInput(this, interpreter, emulator);
        this.record = new RecordInput(this, interpreter, emulator);
        this.queueing = new CallQueueing(this, interpreter, emulator);
    }

    // ---------------------------------------------------------------- public view

    public String sid() {
        return sid;
    }

    public String from() {
        return from;
    }

    public String to() {
        return to;
    }

    public String direction() {
        return direction;
    }

    /**
     * The status as Twilio spells it: queued, initiated, ringing, in-progress, then completed, busy, no-answer,
     * canceled or failed.
     */
    public String status() {
        return read(() -> status);
    }

    /** Where the call's status callbacks go (as last set by create or update), or null for nowhere. */
    public String statusCallback() {
        return read(() -> statusCallback);
    }

    /** The conference the call is in, or null. */
    public String conference() {
        return read(() -> conference);
    }

    public boolean inConference() {
        return read(() -> conference != null);
    }

    /**
     * Every conference the call joined and when, oldest first, kept after it left or ended: how long a caller waited
     * to be put through, and whether anyone was put through twice.
     */
    public List<ConferenceJoin> conferenceJoins() {
        return read(() -> List.copyOf(conferenceJoins));
    }

    /** The queue the call waits in now ({@code <Enqueue>}), or null. */
    public String queue() {
        return read(queueing::queueName);
    }

    /** The call this one is bridged with through a queue ({@code <Dial><Queue>}), or null. */
    public String bridgedWith() {
        return read(queueing::bridgedWith);
    }

    /** Waits until the call waits in a queue and returns the queue's name. */
    public String awaitQueued(Duration timeout) {
        return await(timeout, "the call to wait in a queue", queueing::queueName, true);
    }

    /** Waits until the call is bridged with another through a queue and returns that call's sid. */
    public String awaitBridged(Duration timeout) {
        return await(timeout, "a bridge through a queue", queueing::bridgedWith, true);
    }

    /** The number (or client) a plain {@code <Dial>} connected the call to, or null. */
    public String dialed() {
        return read(() -> dialed);
    }

    /** Every Say text and "[play URL]" the caller heard, in order (a copy). */
    public List<String> heard() {
        return read(() -> List.copyOf(heard));
    }

    /**
     * The call's recordings (made when the REST create asked with {@code Record=true}), oldest first: what each
     * recorded and what fell in its paused parts.
     */
    public List<EmulatedRecording> recordings() {
        return read(() -> recordings.stream().map(this::viewLocked).toList());
    }

    /** Waits until the call has a recording and returns the first. */
    public EmulatedRecording awaitRecording(Duration timeout) {
        return await(timeout, "a recording", () -> recordings.isEmpty() ? null : viewLocked(recordings.get(0)), false);
    }

    /** Waits until the call's first recording has this status (in-progress, paused, completed...) and returns it. */
    public EmulatedRecording awaitRecordingStatus(String expected, Duration timeout) {
        Objects.requireNonNull(expected, "expected");
        return await(timeout, "a recording " + expected, () -> !recordings.isEmpty()
                && expected.equals(recordings.get(0).status()) ? viewLocked(recordings.get(0)) : null, false);
    }

    /** Keys pressed while no Gather was open. */
    public int droppedKeys() {
        return read(() -> droppedKeys);
    }

    public boolean ended() {
        return read(this::endedLocked);
    }

    /** True while a Gather is open (collecting keys). */
    public boolean gatherOpen() {
        return read(gather::isOpen);
    }

    /** The caller presses keys (0-9, *, #; spaces and dashes are ignored), one by one. */
    public void press(String keys) {
        Objects.requireNonNull(keys, "keys");
        StringBuilder clean = new StringBuilder();
        for (char c : keys.toCharArray()) {
            if ((c >= '0' && c <= '9') || c == '*' || c == '#') {
                clean.append(c);
            } else if (!Character.isWhitespace(c) && c != '-') {
                throw new IllegalArgumentException("not a phone key: '" + c + "' in \"" + keys + "\"");
            }
        }
        mutate(fx -> {
            for (int i = 0; i < clean.length(); i++) {
                char key = clean.charAt(i);
                recordings.forEach(recording -> recording.pressed(key));
                if (!record.press(key, fx) && !gather.press(key, fx)) {
                    droppedKeys++;
                }
            }
            return null;
        });
    }

    /** True while a {@code <Record>} is recording (waiting for the caller's message). */
    public boolean recordOpen() {
        return read(record::isOpen);
    }

    /** Waits until a {@code <Record>} is recording and describes it. */
    public RecordPrompt awaitRecord(Duration timeout) {
        return await(timeout, "an open Record", record::view, true);
    }

    /**
     * The caller speaks into the open {@code <Record>}: {@code words} (what a transcription will read) lasting
     * {@code seconds}. The message goes on (the caller may speak again) until a finishOnKey key ({@link #press}),
     * the silence timeout ({@link #stayQuiet()}, or the Record's {@code timeout} when gather timeouts are on), or a
     * hang-up; if it reaches the Record's maxLength it ends there. Throws IllegalStateException when no Record is
     * open and IllegalArgumentException when {@code seconds} is not positive.
     */
    public void speak(String words, int seconds) {
        Objects.requireNonNull(words, "words");
        if (seconds <= 0) {
            throw new IllegalArgumentException("a message lasts at least a second: " + seconds);
        }
        mutate(fx -> {
            requireRecordLocked();
            record.speak(words, seconds, fx);
            return null;
        });
    }

    /**
     * The caller says nothing more: the open {@code <Record>}'s silence timeout elapses now. With nothing said, the
     * recording is empty: no action is requested and the document goes on after the Record. Throws
     * IllegalStateException when no Record is open.
     */
    public void stayQuiet() {
        mutate(fx -> {
            requireRecordLocked();
            record.silence(fx);
            return null;
        });
    }

    /**
     * The caller leaves a message and falls silent: {@link #speak} then {@link #stayQuiet()}, in one step. The
     * action gets no Digits.
     */
    public void leaveMessage(String words, int seconds) {
        Objects.requireNonNull(words, "words");
        if (seconds <= 0) {
            throw new IllegalArgumentException("a message lasts at least a second: " + seconds);
        }
        mutate(fx -> {
            requireRecordLocked();
            record.speak(words, seconds, fx);
            if (record.isOpen()) {
                record.silence(fx);
            }
            return null;
        });
    }

    /**
     * The caller leaves a message and ends it with a key: {@link #speak} then {@link #press} of {@code finishKey},
     * in one step; the action gets it as Digits. If the message reached maxLength first, it ended there and the key
     * is not pressed. Throws IllegalArgumentException when the key is not one of the Record's finishOnKey keys.
     */
    public void leaveMessage(String words, int seconds, char finishKey) {
        Objects.requireNonNull(words, "words");
        if (seconds <= 0) {
            throw new IllegalArgumentException("a message lasts at least a second: " + seconds);
        }
        mutate(fx -> {
            requireRecordLocked();
            if (!record.finishesOn(finishKey)) {
                throw new IllegalArgumentException("'" + finishKey + "' does not end this Record: "
                        + record.view().finishOnKey());
            }
            record.speak(words, seconds, fx);
            if (record.isOpen()) {
                recordings.forEach(recording -> recording.pressed(finishKey));
                record.press(finishKey, fx);
            }
            return null;
        });
    }

    /**
     * From now on the transcriptions of this call's messages fail (Twilio's TranscriptionStatus {@code failed}, no
     * text), or again succeed.
     */
    public void setTranscriptionsFail(boolean fail) {
        mutate(fx -> {
            record.transcriptionsFail(fail);
            return null;
        });
    }

    private void requireRecordLocked() {
        if (!record.isOpen()) {
            throw new IllegalStateException("no Record is open: " + describeLocked());
        }
    }

    /** True while a REST-created call rings and waits for the called party. */
    public boolean ringing() {
        return read(() -> "ringing".equals(status));
    }

    /**
     * The called party picks up a ringing call: it goes in-progress and runs its TwiML. Called before the call has
     * reached ringing, it picks up the moment it rings. Throws IllegalStateException once the call was answered or
     * ended, or on a call that did not come from the REST API.
     */
    public void pickUp() {
        choose(CallOutcome.ANSWER);
    }

    /** The called party is busy: the call ends {@code busy}. Same timing rules as {@link #pickUp()}. */
    public void busy() {
        choose(CallOutcome.BUSY);
    }

    /** Nobody answers: the call ends {@code no-answer} now, without waiting out its Timeout. */
    public void noAnswer() {
        choose(CallOutcome.NO_ANSWER);
    }

    /** The carrier cannot connect the call: it ends {@code failed}. */
    public void fail() {
        choose(CallOutcome.FAILED);
    }

    /**
     * The caller hangs up: the call completes and its status callback is sent. A REST-created call that nobody has
     * answered yet ends with {@link #busy()}, {@link #noAnswer()} or {@link #fail()} instead: this throws
     * IllegalStateException.
     */
    public void hangUp() {
        mutate(fx -> {
            if (answerDocument != null) {
                throw new IllegalStateException("nobody has answered; use busy(), noAnswer() or fail(): " + describeLocked());
            }
            endLocked("completed", fx);
            return null;
        });
    }

    /** The open gather's timeout elapses now. */
    public void expireGather() {
        mutate(fx -> {
            if (!gather.isOpen()) {
                throw new IllegalStateException("no Gather is open: " + describeLocked());
            }
            gather.expire(fx);
            return null;
        });
    }

    /**
     * Waits for an open Gather that has not been answered yet (by {@link #press} or
     * {@link #expireGather}) and describes it.
     */
    public GatherPrompt awaitGather(Duration timeout) {
        return await(timeout, "an open Gather", gather::unanswered, true);
    }

    /** Waits until some heard text contains the substring (all text heard so far counts); returns it. */
    public String awaitHeard(String substring, Duration timeout) {
        Objects.requireNonNull(substring, "substring");
        return await(timeout, "heard text containing \"" + substring + "\"", () -> {
            for (String h : heard) {
                if (h.contains(substring)) {
                    return h;
                }
            }
            return null;
        }, true);
    }

    /** Waits until the call is in the named conference. */
    public void awaitConference(String name, Duration timeout) {
        await(timeout, "conference \"" + name + "\"", () -> Objects.equals(conference, name) ? Boolean.TRUE : null, true);
    }

    /** Waits until the call's status is the given one (as Twilio spells it). */
    public void awaitStatus(String expected, Duration timeout) {
        Objects.requireNonNull(expected, "expected");
        await(timeout, "status " + expected, () -> expected.equals(status) ? Boolean.TRUE : null, false);
    }

    /** Waits until the call has ended. */
    public void awaitEnded(Duration timeout) {
        await(timeout, "the call to end", () -> endedLocked() ? Boolean.TRUE : null, false);
    }

    @Override
    public String toString() {
        return read(this::describeLocked);
    }

    // ---------------------------------------------------------------- emulator-facing

    long sequence() {
        return sequence;
    }

    Snapshot snapshot() {
        return read(() -> new Snapshot(sid, from, to, direction, status, dateCreated, dateUpdated, startTime, endTime,
                conference, dialed, List.copyOf(heard), gather.isOpen(), gather.isOpen() ? interpreter.prompt() : null,
                droppedKeys, activity, queueing.queueName(), queueing.bridgedWith(), record.view()));
    }

    /**
     * An inbound call reaches one of the account's numbers: it rings while Twilio requests the number's Voice URL
     * (CallStatus ringing) and is answered by the TwiML that comes back.
     */
    void arrive(String voiceUrl, String voiceMethod) {
        mutate(fx -> {
            if (!"queued".equals(status)) {
                return null;
            }
            status = "ringing";
            activity = "ringing";
            notifyLocked("ringing", fx);
            interpreter.fetch(voiceUrl, voiceMethod, Map.of("CallStatus", "ringing"), WebhookExchange.KIND_TWIML, fx);
            return null;
        });
    }

    /** A TwiML document arrived: it answers an inbound call that was still ringing. */
    void documentArrivedLocked(List<Runnable> fx) {
        if ("inbound".equals(direction) && "ringing".equals(status)) {
            markAnsweredLocked();
            notifyLocked("in-progress", fx);
        }
    }

    // ---------------------------------------------------------------- queues: entry points for the other call

    /** Someone joined the queue this call waits on with {@code <Dial><Queue>}. */
    void queueMemberArrived(CallQueues.CallQueue queue) {
        mutate(fx -> {
            queueing.memberArrived(queue, fx);
            return null;
        });
    }

    /** A {@code <Dial><Queue>} call took this one from the head of its queue. */
    void dequeueFrom(EmulatedCall dialler, CallQueues.CallQueue queue, String url, String method) {
        mutate(fx -> {
            queueing.dequeuedBy(dialler, queue, url, method, fx);
            return null;
        });
    }

    /** The caller this call dequeued is now bridged with it. */
    void queueBridged(EmulatedCall member) {
        mutate(fx -> {
            queueing.bridged(member, fx);
            return null;
        });
    }

    /** The other call of a queue bridge hung up, was redirected, or could not be dequeued. */
    void queuePeerLeft(EmulatedCall peer, boolean wasBridged) {
        mutate(fx -> {
            queueing.peerLeft(peer, wasBridged, fx);
            return null;
        });
    }

    /** REST: dequeue this Member to a URL. False when the call no longer waits in the queue. */
    boolean dequeueToUrl(CallQueues.CallQueue queue, String url, String method) {
        return mutate(fx -> queueing.dequeueToUrl(queue, url, method, fx));
    }

    /** The call is answered: run inline TwiML, or fetch the Url. */
    void answer(String url, String method, String twiml) {
        mutate(fx -> {
            if (!"queued".equals(status)) {
                return null;
            }
            markAnsweredLocked();
            if (twiml != null) {
                interpreter.startInline(twiml, fx);
            } else {
                interpreter.fetch(url, method, Map.of(), WebhookExchange.KIND_TWIML, fx);
            }
            return null;
        });
    }

    /**
     * A REST-created call is placed: it is initiated, then rings, then the called party does what {@code outcome}
     * says (unless the test already chose). Ring times and the no-answer timeout are already scaled.
     */
    void place(CallOutcome outcome, long ringNanos, long timeoutNanos) {
        mutate(fx -> {
            if (!"queued".equals(status)) {
                return null; // canceled while queued
            }
            status = "initiated";
            activity = "dialling " + to;
            notifyLocked("initiated", fx);
            CallOutcome early = chosenEarly;
            if (early == CallOutcome.FAILED || (early == null && outcome == CallOutcome.FAILED)) {
                endLocked("failed", fx); // a carrier that cannot connect never rings the phone
                return null;
            }
            status = "ringing";
            activity = "ringing";
            notifyLocked("ringing", fx);
            if (early != null) {
                actLocked(early, fx);
                return null;
            }
            switch (outcome) {
                case ANSWER, BUSY -> {
                    if (ringNanos >= timeoutNanos && timeoutNanos > 0) {
                        afterLocked(timeoutNanos, f -> endLocked("no-answer", f), fx); // rings out before anyone acts
                    } else {
                        afterLocked(ringNanos, f -> actLocked(outcome, f), fx);
                    }
                }
                case NO_ANSWER -> afterLocked(timeoutNanos, f -> endLocked("no-answer", f), fx);
                default -> {
                    // RING: the test acts
                }
            }
            return null;
        });
    }

    private void choose(CallOutcome outcome) {
        mutate(fx -> {
            if (!rest) {
                throw new IllegalStateException("not a call created over the REST API: " + describeLocked());
            }
            if ("queued".equals(status) || "initiated".equals(status)) {
                chosenEarly = outcome;
            } else if ("ringing".equals(status)) {
                cancelTimerLocked();
                actLocked(outcome, fx);
            } else {
                throw new IllegalStateException("the call is not ringing: " + describeLocked());
            }
            return null;
        });
    }

    private void actLocked(CallOutcome outcome, List<Runnable> fx) {
        switch (outcome) {
            case ANSWER -> {
                AnswerDocument doc = answerDocument;
                answerDocument = null;
                markAnsweredLocked();
                notifyLocked("in-progress", fx);
                if (recordingRequest != null) {
                    startRecordingLocked(fx);
                }
                if (doc.twiml() != null) {
                    interpreter.startInline(doc.twiml(), fx);
                } else {
                    interpreter.fetch(doc.url(), doc.method(), Map.of(), WebhookExchange.KIND_TWIML, fx);
                }
            }
            case BUSY -> endLocked("busy", fx);
            case NO_ANSWER -> endLocked("no-answer", fx);
            case FAILED -> endLocked("failed", fx);
            default -> {
                // RING: keeps ringing
            }
        }
    }

    private void afterLocked(long nanos, Consumer<List<Runnable>> action, List<Runnable> fx) {
        if (nanos <= 0) {
            action.accept(fx);
        } else {
            scheduleLocked(nanos, action);
        }
    }

    /** A REST update of the call. */
    UpdateOutcome update(String url, String method, String twiml, String newStatus, String newStatusCallback,
            String newStatusCallbackMethod) {
        return mutate(fx -> {
            if (endedLocked()) {
                return UpdateOutcome.NOT_IN_PROGRESS;
            }
            if (newStatusCallback != null) {
                statusCallback = newStatusCallback.isEmpty() ? null : newStatusCallback;
            }
            if (newStatusCallbackMethod != null) {
                statusCallbackMethod = TwimlAttributes.normaliseMethod(newStatusCallbackMethod);
            }
            if (newStatus != null) {
                // Twilio's Call resource: "Specifying canceled will attempt to hang up calls that are queued or
                // ringing; however, it will not affect calls already in progress. Specifying completed will attempt
                // to hang up a call even if it's already in progress." A call hung up over the REST API before it
                // was answered ends canceled (Twilio's call statuses: "canceled: prior to being answered, an
                // outbound call was canceled via an HTTP POST request to the REST API").
                boolean answered = answeredLocked();
                if (!answered) {
                    endLocked("canceled", fx);
                } else if ("completed".equals(newStatus)) {
                    endLocked("completed", fx);
                }
                return UpdateOutcome.UPDATED;
            }
            if ((twiml != null || url != null) && answerDocument != null) {
                // not answered yet: the new TwiML is what the called party gets when it picks up
                answerDocument = new AnswerDocument(url, method, twiml);
                return UpdateOutcome.UPDATED;
            }
            if (twiml != null || url != null) {
                interruptLocked(fx);
                if (twiml != null) {
                    interpreter.startInline(twiml, fx);
                } else {
                    interpreter.fetch(url, method, Map.of(), WebhookExchange.KIND_TWIML, fx);
                }
            }
            return UpdateOutcome.UPDATED;
        });
    }

    // ---------------------------------------------------------------- state, for the interpreter (lock held)

    List<String> heardLocked() {
        return heard;
    }

    /** The called party hears a prompt: the call keeps it, and so does each recording, in its current part. */
    void hearLocked(String text) {
        heard.add(text);
        recordings.forEach(recording -> recording.heard(text));
    }

    long generationLocked() {
        return generation;
    }

    void activityLocked(String now) {
        activity = now;
    }

    GatherInput gatherInputLocked() {
        return gather;
    }

    RecordInput recordInputLocked() {
        return record;
    }

    String statusLocked() {
        return status;
    }

    CallQueueing queueingLocked() {
        return queueing;
    }

    /** Whatever the call is waiting for (a document, a timer, a gather) no longer concerns it. */
    void abandonLocked() {
        generation++;
        cancelTimerLocked();
        gather.close();
    }

    void joinConferenceLocked(String name) {
        conference = name;
        conferenceJoins.add(new ConferenceJoin(name, Instant.now()));
        activity = "in conference " + name;
    }

    void connectLocked(String target) {
        dialed = target;
        activity = "connected to " + target;
    }

    /**
     * Runs {@code action} under the lock unless the call was redirected or ended since {@code gen}: an answer that
     * arrives after that belongs to nothing.
     */
    void whileCurrent(long gen, Consumer<List<Runnable>> action) {
        mutate(fx -> {
            if (gen == generation && !endedLocked()) {
                action.accept(fx);
            }
            return null;
        });
    }

    private void markAnsweredLocked() {
        status = "in-progress";
        startTime = Instant.now();
    }

    private boolean answeredLocked() {
        return startTime != null;
    }

    /** Abandons whatever the call is doing (a REST redirect). */
    private void interruptLocked(List<Runnable> fx) {
        queueing.redirected(fx);
        record.redirected(fx);
        generation++;
        cancelTimerLocked();
        gather.close();
        interpreter.stop();
        conference = null;
        dialed = null;
        if ("queued".equals(status)) {
            markAnsweredLocked();
        }
    }

    void endLocked(String finalStatus, List<Runnable> fx) {
        if (endedLocked()) {
            return;
        }
        queueing.callEnded(finalStatus, fx);
        generation++;
        cancelTimerLocked();
        status = finalStatus;
        endTime = Instant.now();
        gather.close();
        record.callEnded(fx);
        interpreter.stop();
        conference = null;
        dialed = null;
        activity = "ended";
        answerDocument = null;
        notifyLocked(finalStatus, fx);
        for (CallRecording recording : recordings) {
            if (recording.active()) {
                recording.finish(endTime);
                recordingCallbackLocked(recording, fx);
            }
        }
    }

    /**
     * A REST update of one of the call's recordings ({@code Twilio.CURRENT}: the one recording now): pause it
     * ({@code skip} or {@code silence}, the default), record again ({@code in-progress}) or stop it.
     */
    RecordingUpdate updateRecording(String recordingSid, String newStatus, String pauseBehavior) {
        return mutate(fx -> {
            CallRecording recording = null;
            for (CallRecording each : recordings) {
                if (CallRecording.CURRENT.equals(recordingSid) ? each.active() && !each.recordVerb()
                        : each.sid().equals(recordingSid)) {
                    recording = each;
                }
            }
            if (recording == null) {
                return new RecordingUpdate(RecordingUpdate.Outcome.NOT_FOUND, null);
            }
            // a <Record> message is not paused or stopped over the REST API: it ends as the caller ends it
            if (!recording.active() || recording.recordVerb() || endedLocked()) {
                return new RecordingUpdate(RecordingUpdate.Outcome.NOT_ACTIVE, viewLocked(recording));
            }
            Instant now = Instant.now();
            switch (newStatus) {
                case "paused" -> recording.pause(pauseBehavior == null ? CallRecording.SILENCE : pauseBehavior, now);
                case "in-progress" -> recording.resume(now);
                default -> {
                    recording.finish(now);
                    recordingCallbackLocked(recording, fx);
                }
            }
            return new RecordingUpdate(RecordingUpdate.Outcome.UPDATED, viewLocked(recording));
        });
    }

    /** The recording with this sid as it is now, or null. */
    EmulatedRecording recording(String recordingSid) {
        return read(() -> recordings.stream().filter(r -> r.sid().equals(recordingSid)).findFirst()
                .map(this::viewLocked).orElse(null));
    }

    private void startRecordingLocked(List<Runnable> fx) {
        CallRecording recording = new CallRecording(recordingRequest, startTime, emulator.recordsNothingFrom(to));
        recordings.add(recording);
        emulator.recordingStarted(recording.sid(), this);
        recordingCallbackLocked(recording, fx);
    }

    /** A {@code <Record>} began recording a message: it is one of the call's recordings from now on. */
    void messageRecordingStartedLocked(CallRecording recording, List<Runnable> fx) {
        recordings.add(recording);
        emulator.recordingStarted(recording.sid(), this);
        recordingCallbackLocked(recording, fx);
    }

    /** The transcription of a message, POSTed behind the call's recording status callbacks (it comes after them). */
    void transcriptionCallbackLocked(String url, Map<String, String> params, List<Runnable> fx) {
        CompletableFuture<Void> previous = recordingCallbackTail;
        CompletableFuture<Void> sent = new CompletableFuture<>();
        recordingCallbackTail = sent;
        fx.add(() -> previous.whenComplete((ignored, error) -> emulator
                .sendTranscriptionCallback(sid, url, params)
                .whenComplete((done, failure) -> sent.complete(null))));
    }

    private EmulatedRecording viewLocked(CallRecording recording) {
        return recording.view(sid, emulator.recordingMediaUrl(recording.sid()));
    }

    /** Sends the recording's status callback if its create asked for the event, behind the call's previous one. */
    void recordingCallbackLocked(CallRecording recording, List<Runnable> fx) {
        CallRecording.Request request = recording.request();
        if (request.statusCallback() == null || !request.events().contains(recording.status())) {
            return;
        }
        Map<String, String> params = recording.callbackParams(emulator.accountSid(), sid,
                emulator.recordingMediaUrl(recording.sid()));
        String url = request.statusCallback();
        String method = TwimlAttributes.normaliseMethod(request.statusCallbackMethod());
        CompletableFuture<Void> previous = recordingCallbackTail;
        CompletableFuture<Void> sent = new CompletableFuture<>();
        recordingCallbackTail = sent;
        fx.add(() -> previous.whenComplete((ignored, error) -> emulator
                .sendRecordingCallback(sid, url, method, params)
                .whenComplete((done, failure) -> sent.complete(null))));
    }

    /**
     * Sends the status callback for a new status if the create asked for its event; the final one always goes when
     * there is a status callback URL. SequenceNumber counts the callbacks this call has sent, from 0.
     */
    private void notifyLocked(String callStatus, List<Runnable> fx) {
        boolean last = endedLocked();
        String event = last ? "completed" : "in-progress".equals(callStatus) ? "answered" : callStatus;
        if (statusCallback == null || (!last && !statusCallbackEvents.contains(event))) {
            return;
        }
        Map<String, String> params = standardParamsLocked(callStatus);
        Instant now = last ? endTime : Instant.now();
        if (last) {
            long seconds = startTime == null ? 0 : Duration.between(startTime, endTime).toSeconds();
            params.put("CallDuration", Long.toString(seconds));
        }
        params.put("Timestamp", RFC_2822.format(now));
        params.put("SequenceNumber", Integer.toString(statusSequence++));
        params.put("CallbackSource", "call-progress-events");
        StatusCallback callback = new StatusCallback(statusCallback, statusCallbackMethod, params);
        if (!emulator.settings().shuffledStatusCallbacks()) {
            deliverLocked(callback, fx);
            return;
        }
        heldCallbacks.add(callback);
        if (last) {
            Collections.shuffle(heldCallbacks, ThreadLocalRandom.current());
            heldCallbacks.forEach(c -> deliverLocked(c, fx));
            heldCallbacks.clear();
        }
    }

    /** Queues a status callback behind the call's previous one, so that they leave in the order they fired. */
    private void deliverLocked(StatusCallback callback, List<Runnable> fx) {
        CompletableFuture<Void> previous = callbackTail;
        CompletableFuture<Void> sent = new CompletableFuture<>();
        callbackTail = sent;
        fx.add(() -> previous.whenComplete((ignored, error) -> emulator
                .sendStatusCallback(sid, callback.url(), callback.method(), callback.params())
                .whenComplete((done, failure) -> sent.complete(null))));
    }

    boolean endedLocked() {
        return switch (status) {
            case "completed", "canceled", "failed", "busy", "no-answer" -> true;
            default -> false;
        };
    }

    /** The parameters Twilio sends with every request about this call. */
    Map<String, String> standardParamsLocked(String callStatus) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("AccountSid", emulator.accountSid());
        p.put("ApiVersion", TwilioEmulator.API_VERSION);
        p.put("CallSid", sid);
        p.put("CallStatus", callStatus);
        p.put("Called", to);
        p.put("Caller", from);
        p.put("Direction", direction);
        p.put("From", from);
        p.put("To", to);
        return p;
    }

    /** Runs {@code action} after {@code nanos}, unless another timer replaces this one or the call ends first. */
    void scheduleLocked(long nanos, Consumer<List<Runnable>> action) {
        cancelTimerLocked();
        long token = ++timerToken;
        timer = emulator.schedule(() -> mutate(fx -> {
            if (token == timerToken && !endedLocked()) {
                timer = null;
                action.accept(fx);
            }
            return null;
        }), nanos);
    }

    void cancelTimerLocked() {
        timerToken++;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private String describeLocked() {
        StringBuilder b = new StringBuilder("call ").append(sid).append(" from ").append(from).append(" to ").append(to)
                .append(": status=").append(status).append(", doing=").append(activity);
        if (conference != null) {
            b.append(", conference=").append(conference);
        }
        if (dialed != null) {
            b.append(", dialed=").append(dialed);
        }
        String queued = queueing.describe();
        if (queued != null) {
            b.append(", ").append(queued);
        }
        b.append(", ").append(gather.describe());
        if (record.isOpen()) {
            b.append(", ").append(record.describe());
        }
        b.append(", droppedKeys=").append(droppedKeys).append(", heard=").append(heard);
        return b.toString();
    }

    // ---------------------------------------------------------------- locking

    private <T> T read(Supplier<T> s) {
        lock.lock();
        try {
            return s.get();
        } finally {
            lock.unlock();
        }
    }

    /** Runs a state change under the lock, wakes waiters, then runs its side effects (HTTP) outside it. */
    private <T> T mutate(Function<List<Runnable>, T> body) {
        List<Runnable> effects = new ArrayList<>(2);
        T result;
        lock.lock();
        try {
            result = body.apply(effects);
            dateUpdated = Instant.now();
        } finally {
            changed.signalAll();
            lock.unlock();
        }
        emulator.callsChanged();
        for (Runnable r : effects) {
            try {
                r.run();
            } catch (RuntimeException e) {
                log.warn("Call {}: side effect failed", sid, e);
            }
        }
        return result;
    }

    private <T> T await(Duration timeout, String what, Supplier<T> probe, boolean failIfEnded) {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (true) {
                T value = probe.get();
                if (value != null) {
                    return value;
                }
                if (failIfEnded && endedLocked()) {
                    throw new AssertionError("Waiting for " + what + ", but the call has ended: " + describeLocked());
                }
                if (nanos <= 0) {
                    throw new AssertionError("Timed out after " + timeout + " waiting for " + what + ": " + describeLocked());
                }
                nanos = changed.awaitNanos(nanos);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while waiting for " + what + ": " + describeLocked(), e);
        } finally {
            lock.unlock();
        }
    }
}
