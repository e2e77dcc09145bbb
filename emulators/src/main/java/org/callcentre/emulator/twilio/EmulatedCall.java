package org.callcentre.emulator.twilio;

import java.net.URI;
import java.net.URISyntaxException;
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
import org.callcentre.emulator.twilio.Twiml.TwimlException;
import org.callcentre.emulator.twilio.Twiml.Verb;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One emulated phone call: its state and the TwiML interpreter that drives it. Thread-safe; each
 * call has its own lock and never holds it while an HTTP request is in flight or while it waits
 * (pauses and gather timeouts are timers on the emulator's scheduler).
 */
public final class EmulatedCall {

    /** What the caller hears when the application's TwiML cannot be fetched or understood. */
    public static final String APPLICATION_ERROR = "An application error has occurred.";

    static final DateTimeFormatter RFC_2822 =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.US).withZone(ZoneOffset.UTC);

    private static final Logger log = LoggerFactory.getLogger(EmulatedCall.class);
    private static final int MAX_LOOP = 1000;

    /** The outcome of a REST update. */
    enum UpdateOutcome { UPDATED, NOT_IN_PROGRESS }

    /** An immutable view of the call, for JSON rendering. */
    record Snapshot(String sid, String from, String to, String direction, String status, Instant dateCreated,
            Instant dateUpdated, Instant startTime, Instant endTime, String conference, String dialed,
            List<String> heard, boolean gatherOpen, String prompt, int droppedKeys, String activity) {
    }

    private static final class Program {
        final String url; // null for inline TwiML
        final List<Verb> verbs;
        int pc;

        Program(String url, List<Verb> verbs) {
            this.url = url;
            this.verbs = verbs;
        }
    }

    private static final class GatherState {
        String action;
        String method;
        Integer numDigits;
        String finishOnKey;
        int timeoutSeconds;
        boolean actionOnEmptyResult;
        List<Verb> prompts;
        int promptIndex;
        boolean promptsDone;
        boolean acknowledged;
        final StringBuilder digits = new StringBuilder();
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
    private String status = "queued";
    private Instant dateUpdated;
    private Instant startTime;
    private Instant endTime;
    private String statusCallback;
    private String statusCallbackMethod;
    private final List<String> heard = new ArrayList<>();
    private int documentHeardStart;
    private int droppedKeys;
    private String conference;
    private String dialed;
    private long generation;
    private Program program;
    private GatherState gather;
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
        this.statusCallbackMethod = normaliseMethod(statusCallbackMethod);
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
        return read(() -> gather != null);
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
                pressLocked(clean.charAt(i), fx);
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
            if (gather == null) {
                throw new IllegalStateException("no Gather is open: " + describeLocked());
            }
            gather.acknowledged = true;
            finishGatherLocked("", fx);
            return null;
        });
    }

    /**
     * Waits for an open Gather that has not been answered yet (by {@link #press} or
     * {@link #expireGather}) and describes it.
     */
    public GatherPrompt awaitGather(Duration timeout) {
        return await(timeout, "an open Gather", () -> {
            if (gather != null && !gather.acknowledged) {
                GatherState g = gather;
                return new GatherPrompt(promptLocked(), g.numDigits, g.finishOnKey, g.timeoutSeconds, g.action);
            }
            return null;
        }, true);
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
                conference, dialed, List.copyOf(heard), gather != null, gather != null ? promptLocked() : null,
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
                startInlineLocked(twiml, fx);
            } else {
                fetchLocked(url, method, Map.of(), WebhookExchange.KIND_TWIML, fx);
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
                statusCallbackMethod = normaliseMethod(newStatusCallbackMethod);
            }
            if (newStatus != null) {
                endLocked("canceled".equals(newStatus) && "queued".equals(status) ? "canceled" : "completed", fx);
                return UpdateOutcome.UPDATED;
            }
            if (twiml != null || url != null) {
                interruptLocked();
                if (twiml != null) {
                    startInlineLocked(twiml, fx);
                } else {
                    fetchLocked(url, method, Map.of(), WebhookExchange.KIND_TWIML, fx);
                }
            }
            return UpdateOutcome.UPDATED;
        });
    }

    // ---------------------------------------------------------------- interpreter (lock held)

    private void markAnsweredLocked() {
        status = "in-progress";
        startTime = Instant.now();
    }

    /** Abandons whatever the call is doing (a REST redirect). */
    private void interruptLocked() {
        generation++;
        cancelTimerLocked();
        gather = null;
        program = null;
        conference = null;
        dialed = null;
        if ("queued".equals(status)) {
            markAnsweredLocked();
        }
    }

    private void startInlineLocked(String twiml, List<Runnable> fx) {
        Verb root;
        try {
            root = Twiml.parse(twiml);
        } catch (TwimlException e) {
            applicationErrorLocked("inline TwiML: " + e.getMessage(), fx);
            return;
        }
        startDocumentLocked(null, root, fx);
    }

    private void startDocumentLocked(String url, Verb root, List<Runnable> fx) {
        program = new Program(url, root.children());
        documentHeardStart = heard.size();
        runLocked(fx);
    }

    private void fetchLocked(String url, String method, Map<String, String> extra, String kind, List<Runnable> fx) {
        long gen = generation;
        String m = normaliseMethod(method);
        Map<String, String> params = standardParamsLocked("in-progress");
        params.putAll(extra);
        activity = "waiting for " + m + " " + url;
        fx.add(() -> emulator.sendWebhook(sid, url, m, params, kind)
                .whenComplete((result, err) -> emulator.execute(() -> onDocument(gen, url, result))));
    }

    private void onDocument(long gen, String url, TwilioEmulator.WebhookResult result) {
        mutate(fx -> {
            if (gen != generation || endedLocked()) {
                return null; // interrupted or hung up while the request was in flight
            }
            if (result == null || !result.ok()) {
                applicationErrorLocked(url + " answered " + (result == null ? "nothing" : result.describe()), fx);
                return null;
            }
            Verb root;
            try {
                root = Twiml.parse(result.body());
            } catch (TwimlException e) {
                applicationErrorLocked(url + ": " + e.getMessage(), fx);
                return null;
            }
            startDocumentLocked(url, root, fx);
            return null;
        });
    }

    /** Executes verbs until one has to wait (or the call ends). */
    private void runLocked(List<Runnable> fx) {
        while (!endedLocked() && program != null) {
            if (program.pc >= program.verbs.size()) {
                endLocked("completed", fx); // Twilio hangs up when the TwiML runs out
                return;
            }
            Verb v = program.verbs.get(program.pc++);
            switch (v.name()) {
                case "Say", "Play" -> speakLocked(v);
                case "Pause" -> {
                    long nanos = pauseNanos(v);
                    if (nanos > 0) {
                        activity = "pausing";
                        scheduleLocked(nanos, this::runLocked);
                        return;
                    }
                }
                case "Gather" -> {
                    openGatherLocked(v, fx);
                    return;
                }
                case "Redirect" -> {
                    String target = resolve(program.url, v.text());
                    if (target == null) {
                        applicationErrorLocked("cannot resolve <Redirect> URL \"" + v.text() + "\"", fx);
                    } else {
                        fetchLocked(target, v.attr("method", "POST"), Map.of(), WebhookExchange.KIND_TWIML, fx);
                    }
                    return;
                }
                case "Dial" -> {
                    dialLocked(v, fx);
                    return;
                }
                case "Hangup", "Reject" -> {
                    endLocked("completed", fx);
                    return;
                }
                default -> {
                    applicationErrorLocked("unsupported TwiML verb <" + v.name() + ">", fx);
                    return;
                }
            }
        }
    }

    private void speakLocked(Verb v) {
        String text = "Play".equals(v.name()) ? "[play " + v.text() + "]" : v.text();
        int loop = parseInt(v.attr("loop"), 1);
        if (loop <= 0) {
            loop = 1;
        }
        for (int i = 0; i < Math.min(loop, MAX_LOOP); i++) {
            heard.add(text);
        }
    }

    private long pauseNanos(Verb v) {
        double seconds = parseDouble(v.attr("length"), 1.0);
        if (seconds <= 0) {
            return 0;
        }
        return (long) (seconds * emulator.settings().pauseScale() * 1_000_000_000L);
    }

    private void dialLocked(Verb v, List<Runnable> fx) {
        for (Verb child : v.children()) {
            if ("Conference".equals(child.name())) {
                if (child.text().isEmpty()) {
                    applicationErrorLocked("<Conference> without a name", fx);
                    return;
                }
                conference = child.text();
                activity = "in conference " + conference;
                return;
            }
        }
        String target = null;
        for (Verb child : v.children()) {
            if (!child.text().isEmpty()) {
                target = child.name().equals("Number") ? child.text() : child.name().toLowerCase(Locale.ROOT) + ":" + child.text();
                break;
            }
        }
        if (target == null && v.children().isEmpty() && !v.text().isEmpty()) {
            target = v.text();
        }
        if (target == null) {
            applicationErrorLocked("<Dial> with nothing to dial", fx);
            return;
        }
        dialed = target;
        activity = "connected to " + target;
    }

    private void openGatherLocked(Verb v, List<Runnable> fx) {
        GatherState g = new GatherState();
        if (v.has("action")) {
            g.action = resolve(program.url, v.attr("action"));
            if (g.action == null) {
                applicationErrorLocked("cannot resolve <Gather action=\"" + v.attr("action") + "\">", fx);
                return;
            }
        } else {
            g.action = program.url; // Twilio requests the current document's URL
        }
        g.method = normaliseMethod(v.attr("method", "POST"));
        int numDigits = parseInt(v.attr("numDigits"), 0);
        g.numDigits = numDigits > 0 ? numDigits : null;
        g.finishOnKey = v.has("finishOnKey") ? v.attr("finishOnKey") : "#";
        g.timeoutSeconds = parseInt(v.attr("timeout"), 5);
        if (g.timeoutSeconds < 0) {
            g.timeoutSeconds = 5;
        }
        g.actionOnEmptyResult = "true".equalsIgnoreCase(v.attr("actionOnEmptyResult", "false"));
        for (Verb p : v.children()) {
            if (!List.of("Say", "Play", "Pause").contains(p.name())) {
                applicationErrorLocked("<" + p.name() + "> is not allowed inside <Gather>", fx);
                return;
            }
        }
        g.prompts = v.children();
        gather = g;
        activity = "gathering";
        playPromptsLocked(fx);
    }

    private void playPromptsLocked(List<Runnable> fx) {
        GatherState g = gather;
        if (g == null) {
            return;
        }
        while (!g.promptsDone && g.promptIndex < g.prompts.size()) {
            Verb p = g.prompts.get(g.promptIndex++);
            if ("Pause".equals(p.name())) {
                long nanos = pauseNanos(p);
                if (nanos > 0) {
                    scheduleLocked(nanos, this::playPromptsLocked);
                    return;
                }
            } else {
                speakLocked(p);
            }
        }
        g.promptsDone = true;
        armGatherTimeoutLocked();
    }

    private void armGatherTimeoutLocked() {
        cancelTimerLocked();
        GatherState g = gather;
        double scale = emulator.settings().gatherTimeoutScale();
        if (g == null || scale <= 0) {
            return; // with scale 0 a gather only times out through expireGather()
        }
        long nanos = (long) (g.timeoutSeconds * scale * 1_000_000_000L);
        scheduleLocked(Math.max(nanos, 1), fx -> {
            if (gather == g) {
                finishGatherLocked("", fx);
            }
        });
    }

    private void pressLocked(char key, List<Runnable> fx) {
        GatherState g = gather;
        if (g == null) {
            droppedKeys++;
            return;
        }
        g.acknowledged = true;
        if (!g.promptsDone) { // barge-in: the remaining nested prompts are not played
            cancelTimerLocked();
            g.promptsDone = true;
        }
        if (!g.finishOnKey.isEmpty() && g.finishOnKey.indexOf(key) >= 0) {
            finishGatherLocked(String.valueOf(key), fx);
            return;
        }
        g.digits.append(key);
        if (g.numDigits != null && g.digits.length() >= g.numDigits) {
            finishGatherLocked("", fx);
            return;
        }
        armGatherTimeoutLocked();
    }

    private void finishGatherLocked(String finishedOnKey, List<Runnable> fx) {
        GatherState g = gather;
        gather = null;
        cancelTimerLocked();
        String digits = g.digits.toString();
        if ((!digits.isEmpty() || g.actionOnEmptyResult) && g.action != null) {
            Map<String, String> extra = new LinkedHashMap<>();
            extra.put("Digits", digits);
            extra.put("FinishedOnKey", finishedOnKey);
            fetchLocked(g.action, g.method, extra, WebhookExchange.KIND_GATHER, fx);
        } else {
            activity = "running";
            runLocked(fx); // no input: continue with the verb after </Gather>
        }
    }

    private void applicationErrorLocked(String reason, List<Runnable> fx) {
        log.warn("Call {}: application error: {}", sid, reason);
        heard.add(APPLICATION_ERROR);
        endLocked("completed", fx);
    }

    private void endLocked(String finalStatus, List<Runnable> fx) {
        if (endedLocked()) {
            return;
        }
        generation++;
        cancelTimerLocked();
        status = finalStatus;
        endTime = Instant.now();
        gather = null;
        program = null;
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

    private boolean endedLocked() {
        return switch (status) {
            case "completed", "canceled", "failed", "busy", "no-answer" -> true;
            default -> false;
        };
    }

    private Map<String, String> standardParamsLocked(String callStatus) {
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

    private String promptLocked() {
        return String.join(" ", heard.subList(Math.min(documentHeardStart, heard.size()), heard.size()));
    }

    private void scheduleLocked(long nanos, Consumer<List<Runnable>> action) {
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

    private void cancelTimerLocked() {
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
        if (gather != null) {
            b.append(", gather open (digits so far=\"").append(gather.digits).append("\", numDigits=")
                    .append(gather.numDigits).append(", action=").append(gather.action)
                    .append(gather.acknowledged ? ", answered" : "").append(')');
        } else {
            b.append(", no gather open");
        }
        b.append(", droppedKeys=").append(droppedKeys).append(", heard=").append(heard);
        return b.toString();
    }

    // ---------------------------------------------------------------- locking helpers

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

    // ---------------------------------------------------------------- parsing helpers

    static String normaliseMethod(String method) {
        return method != null && "GET".equalsIgnoreCase(method.strip()) ? "GET" : "POST";
    }

    /** Resolves a TwiML URL against the document URL; null when it cannot be resolved. */
    static String resolve(String base, String ref) {
        if (ref == null || ref.isBlank()) {
            return null;
        }
        try {
            URI r = new URI(ref.strip());
            if (r.isAbsolute()) {
                return r.toString();
            }
            if (base == null) {
                return null;
            }
            return new URI(base).resolve(r).toString();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }

    private static int parseInt(String s, int fallback) {
        if (s == null || s.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static double parseDouble(String s, double fallback) {
        if (s == null || s.isBlank()) {
            return fallback;
        }
        try {
            return Double.parseDouble(s.strip());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
