package org.callcentre.emulator.twilio;

import static org.callcentre.emulator.twilio.TwimlAttributes.normaliseMethod;
import static org.callcentre.emulator.twilio.TwimlAttributes.parseDouble;
import static org.callcentre.emulator.twilio.TwimlAttributes.parseInt;
import static org.callcentre.emulator.twilio.TwimlAttributes.resolve;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.callcentre.emulator.twilio.Twiml.TwimlException;
import org.callcentre.emulator.twilio.Twiml.Verb;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a call's TwiML documents verb by verb: fetches each document with a signed webhook, speaks Say and Play,
 * waits out Pause on the emulator's timer, opens Gather ({@link GatherInput}) and Record ({@link RecordInput}),
 * follows Redirect, joins Dial, puts the call in a queue on Enqueue ({@link CallQueueing}), and ends the call on
 * Hangup, on an unsupported verb or when the document runs out. While the call waits in a queue its documents run in
 * the waiting {@link Context}, which allows fewer verbs and loops instead of hanging up. Every method runs under the
 * call's lock; HTTP requests are queued as side effects that the call runs after releasing it.
 */
final class TwimlInterpreter {

    private static final Logger log = LoggerFactory.getLogger(TwimlInterpreter.class);
    private static final int MAX_LOOP = 1000;

    /** The document being run and the next verb in it. */
    private static final class Program {
        final String url; // null for inline TwiML
        final List<Verb> verbs;
        int pc;

        Program(String url, List<Verb> verbs) {
            this.url = url;
            this.verbs = verbs;
        }
    }

    /**
     * Where the documents run: the call's own flow; the {@code waitUrl} documents while it waits in a queue (Twilio
     * allows Play, Say, Pause, Hangup, Redirect, Leave and Gather there, and requests the waitUrl again when one
     * runs out); or the {@code <Queue url>} document a queued caller hears before it is bridged (Play, Say, Pause
     * and Redirect).
     */
    enum Context {
        MAIN(null),
        WAIT(Set.of("Play", "Say", "Pause", "Hangup", "Redirect", "Leave", "Gather")),
        DEQUEUE(Set.of("Play", "Say", "Pause", "Redirect"));

        private final Set<String> allowed;

        Context(Set<String> allowed) {
            this.allowed = allowed;
        }

        boolean allows(String verb) {
            return allowed == null || allowed.contains(verb);
        }
    }

    private final EmulatedCall call;
    private final TwilioEmulator emulator;
    private Program program;
    private int documentHeardStart;
    private Context context = Context.MAIN;
    /** While the call is in a queue: its own document, at the verb after {@code <Enqueue>}. */
    private Program afterEnqueue;

    TwimlInterpreter(EmulatedCall call, TwilioEmulator emulator) {
        this.call = call;
        this.emulator = emulator;
    }

    /** The URL of the document being run; null for inline TwiML. */
    String documentUrl() {
        return program == null ? null : program.url;
    }

    /** Abandons the document and any queue context (a REST redirect, or the call ended). */
    void stop() {
        program = null;
        context = Context.MAIN;
        afterEnqueue = null;
    }

    Context context() {
        return context;
    }

    /** From now on documents run in this context; the current one is abandoned. */
    void enter(Context next) {
        program = null;
        context = next;
    }

    /** Runs verbs made by the emulator (Twilio's default hold music) in the current context. */
    void startVerbs(List<Verb> verbs, List<Runnable> fx) {
        program = new Program(null, verbs);
        documentHeardStart = call.heardLocked().size();
        run(fx);
    }

    /** The call left its queue without an action: its own document goes on after {@code <Enqueue>}. */
    void resumeAfterEnqueue(List<Runnable> fx) {
        Program resumed = afterEnqueue;
        stop();
        if (resumed == null) {
            call.endLocked("completed", fx);
            return;
        }
        program = resumed;
        run(fx);
    }

    /** What the caller has heard since the current document began: the prompt of an open Gather. */
    String prompt() {
        List<String> heard = call.heardLocked();
        return String.join(" ", heard.subList(Math.min(documentHeardStart, heard.size()), heard.size()));
    }

    void startInline(String twiml, List<Runnable> fx) {
        Verb root;
        try {
            root = Twiml.parse(twiml);
        } catch (TwimlException e) {
            applicationError("inline TwiML: " + e.getMessage(), fx);
            return;
        }
        startDocument(null, root, fx);
    }

    private void startDocument(String url, Verb root, List<Runnable> fx) {
        program = new Program(url, root.children());
        documentHeardStart = call.heardLocked().size();
        run(fx);
    }

    /** Requests a TwiML document from the application and runs it once it arrives. */
    void fetch(String url, String method, Map<String, String> extra, String kind, List<Runnable> fx) {
        long gen = call.generationLocked();
        String m = normaliseMethod(method);
        Map<String, String> params = call.standardParamsLocked("in-progress");
        params.putAll(extra);
        call.activityLocked("waiting for " + m + " " + url);
        String sid = call.sid();
        fx.add(() -> emulator.sendWebhook(sid, url, m, params, kind)
                .whenComplete((result, err) -> emulator.execute(() -> call.whileCurrent(gen,
                        effects -> onDocument(url, result, effects)))));
    }

    private void onDocument(String url, WebhookDelivery.Result result, List<Runnable> fx) {
        if (result == null || !result.ok()) {
            applicationError(url + " answered " + (result == null ? "nothing" : result.describe()), fx);
            return;
        }
        Verb root;
        try {
            root = Twiml.parse(result.body());
        } catch (TwimlException e) {
            applicationError(url + ": " + e.getMessage(), fx);
            return;
        }
        call.documentArrivedLocked(fx);
        startDocument(url, root, fx);
    }

    /** Executes verbs until one has to wait (or the call ends). */
    void run(List<Runnable> fx) {
        while (!call.endedLocked() && program != null) {
            if (program.pc >= program.verbs.size()) {
                program = null;
                switch (context) {
                    case WAIT -> call.queueingLocked().waitDocumentEnded(fx); // Twilio requests the waitUrl again
                    case DEQUEUE -> call.queueingLocked().dequeueDocumentEnded(fx); // now the two are bridged
                    default -> call.endLocked("completed", fx); // Twilio hangs up when the TwiML runs out
                }
                return;
            }
            Verb v = program.verbs.get(program.pc++);
            if (!context.allows(v.name())) {
                applicationError("<" + v.name() + "> is not allowed in a "
                        + (context == Context.WAIT ? "queue's waitUrl" : "<Queue url>") + " document", fx);
                return;
            }
            switch (v.name()) {
                case "Say" -> speak(v);
                case "Play" -> {
                    speak(v);
                    long nanos = context == Context.WAIT ? playNanos(v) : 0;
                    if (nanos > 0) {
                        // hold music takes its time, so that a waiting caller's loop is not a storm of webhooks
                        call.activityLocked("on hold: playing " + v.text());
                        call.scheduleLocked(nanos, this::run);
                        return;
                    }
                }
                case "Enqueue" -> {
                    afterEnqueue = program;
                    String documentUrl = program.url;
                    program = null;
                    call.queueingLocked().enqueue(v, documentUrl, fx);
                    return;
                }
                case "Leave" -> {
                    if (context == Context.WAIT) {
                        call.queueingLocked().leave(fx);
                        return;
                    }
                    // outside a queue there is nothing to leave: the document goes on
                }
                case "Pause" -> {
                    long nanos = pauseNanos(v);
                    if (nanos > 0) {
                        call.activityLocked("pausing");
                        call.scheduleLocked(nanos, this::run);
                        return;
                    }
                }
                case "Gather" -> {
                    call.gatherInputLocked().open(v, fx);
                    return;
                }
                case "Record" -> {
                    call.recordInputLocked().open(v, fx);
                    return;
                }
                case "Redirect" -> {
                    String target = resolve(program.url, v.text());
                    if (target == null) {
                        applicationError("cannot resolve <Redirect> URL \"" + v.text() + "\"", fx);
                    } else {
                        fetch(target, v.attr("method", "POST"), Map.of(), WebhookExchange.KIND_TWIML, fx);
                    }
                    return;
                }
                case "Dial" -> {
                    dial(v, fx);
                    return;
                }
                case "Hangup", "Reject" -> {
                    call.endLocked("completed", fx);
                    return;
                }
                default -> {
                    applicationError("unsupported TwiML verb <" + v.name() + ">", fx);
                    return;
                }
            }
        }
    }

    void speak(Verb v) {
        String text = "Play".equals(v.name()) ? "[play " + v.text() + "]" : v.text();
        int loop = parseInt(v.attr("loop"), 1);
        if (loop <= 0) {
            loop = 1;
        }
        for (int i = 0; i < Math.min(loop, MAX_LOOP); i++) {
            call.hearLocked(text);
        }
    }

    /** How long a Play lasts while the call waits in a queue: the settings' playSeconds per loop, scaled. */
    private long playNanos(Verb v) {
        int loop = parseInt(v.attr("loop"), 1);
        int times = loop <= 0 ? MAX_LOOP : Math.min(loop, MAX_LOOP);
        TwilioEmulator.Settings settings = emulator.settings();
        return (long) (times * settings.playSeconds() * settings.pauseScale() * 1_000_000_000L);
    }

    long pauseNanos(Verb v) {
        double seconds = parseDouble(v.attr("length"), 1.0);
        if (seconds <= 0) {
            return 0;
        }
        return (long) (seconds * emulator.settings().pauseScale() * 1_000_000_000L);
    }

    private void dial(Verb v, List<Runnable> fx) {
        for (Verb child : v.children()) {
            if ("Queue".equals(child.name())) {
                call.queueingLocked().dialQueue(v, child, program.url, fx);
                return;
            }
        }
        for (Verb child : v.children()) {
            if ("Conference".equals(child.name())) {
                if (child.text().isEmpty()) {
                    applicationError("<Conference> without a name", fx);
                    return;
                }
                call.joinConferenceLocked(child.text());
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
            applicationError("<Dial> with nothing to dial", fx);
            return;
        }
        call.connectLocked(target);
    }

    /** The caller hears Twilio's application error and the call ends. */
    void applicationError(String reason, List<Runnable> fx) {
        log.warn("Call {}: application error: {}", call.sid(), reason);
        call.queueingLocked().applicationError();
        call.hearLocked(EmulatedCall.APPLICATION_ERROR);
        call.endLocked("completed", fx);
    }
}
