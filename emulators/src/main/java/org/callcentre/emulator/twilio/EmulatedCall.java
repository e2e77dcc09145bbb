package org.callcentre.emulator.twilio;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One emulated phone call: its state, what the caller does (press keys, hang up) and what a test waits for. Its
 * TwiML runs in a {@link TwimlInterpreter} and its gathers in a {@link GatherInput}. Thread-safe; each call has its
 * own lock and never holds it while an HTTP request is in flight or while it waits (pauses and gather timeouts are
 * timers on the emulator's scheduler).
 */
public final class EmulatedCall {

    /** What the caller hears when the application's TwiML cannot be fetched or understood. */
    public static final String APPLICATION_ERROR = "An application error has occurred.";

    static final DateTimeFormatter RFC_2822 =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.US).withZone(ZoneOffset.UTC);

    private static final Logger log = LoggerFactory.getLogger(EmulatedCall.class);

    /** The outcome of a REST update. */
    enum UpdateOutcome { UPDATED, NOT_IN_PROGRESS }

    /** An immutable view of the call, for JSON rendering. */
    record Snapshot(String sid, String from, String to, String direction, String status, Instant dateCreated,
            Instant dateUpdated, Instant startTime, Instant endTime, String conference, String dialed,
            List<String> heard, boolean gatherOpen, String prompt, int droppedKeys, String activity) {
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
    private String status = "queued";
    private Instant dateUpdated;
    private Instant startTime;
    private Instant endTime;
    private String statusCallback;
    private String statusCallbackMethod;
    private final List<String> heard = new ArrayList<>();
    private int droppedKeys;
    private String conference;
    private String dialed;
    private long generation;
    private ScheduledFuture<?> timer;
    private long timerToken;
    private int statusSequence;
    private String activity = "queued";

    EmulatedCall(TwilioEmulator emulator, String sid, String from, String to, String direction, long sequence,
            String statusCallback, String statusCallbackMethod) {
        this.emulator = emulator;
        this.sid = sid;
        this.from = from;
        this.to = to;
        this.direction = direction;
        this.sequence = sequence;
        this.dateCreated = Instant.now();
        this.dateUpdated = dateCreated;
        this.statusCallback = statusCallback;
        this.statusCallbackMethod = TwimlAttributes.normaliseMethod(statusCallbackMethod);
        this.interpreter = new TwimlInterpreter(this, emulator);
        this.gather = new GatherInput(this, interpreter, emulator);
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

    /** The status as Twilio spells it: queued, in-progress, completed, canceled. */
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

    /** The number (or client) a plain {@code <Dial>} connected the call to, or null. */
    public String dialed() {
        return read(() -> dialed);
    }

    /** Every Say text and "[play URL]" the caller heard, in order (a copy). */
    public List<String> heard() {
        return read(() -> List.copyOf(heard));
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
                if (!gather.press(clean.charAt(i), fx)) {
                    droppedKeys++;
                }
            }
            return null;
        });
    }

    /** The caller hangs up: the call completes and its status callback is sent. */
    public void hangUp() {
        mutate(fx -> {
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
                droppedKeys, activity));
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
                endLocked("canceled".equals(newStatus) && "queued".equals(status) ? "canceled" : "completed", fx);
                return UpdateOutcome.UPDATED;
            }
            if (twiml != null || url != null) {
                interruptLocked();
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

    long generationLocked() {
        return generation;
    }

    void activityLocked(String now) {
        activity = now;
    }

    GatherInput gatherInputLocked() {
        return gather;
    }

    void joinConferenceLocked(String name) {
        conference = name;
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

    /** Abandons whatever the call is doing (a REST redirect). */
    private void interruptLocked() {
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
        generation++;
        cancelTimerLocked();
        status = finalStatus;
        endTime = Instant.now();
        gather.close();
        interpreter.stop();
        conference = null;
        dialed = null;
        activity = "ended";
        if (statusCallback != null) {
            Map<String, String> params = standardParamsLocked(finalStatus);
            long seconds = startTime == null ? 0 : Duration.between(startTime, endTime).toSeconds();
            params.put("CallDuration", Long.toString(seconds));
            params.put("Timestamp", RFC_2822.format(endTime));
            params.put("SequenceNumber", Integer.toString(statusSequence++));
            params.put("CallbackSource", "call-progress-events");
            String url = statusCallback;
            String method = statusCallbackMethod;
            fx.add(() -> emulator.sendStatusCallback(sid, url, method, params));
        }
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
        b.append(", ").append(gather.describe());
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
