package org.callcentre.emulator.twilio;

import static org.callcentre.emulator.twilio.TwimlAttributes.normaliseMethod;
import static org.callcentre.emulator.twilio.TwimlAttributes.parseInt;
import static org.callcentre.emulator.twilio.TwimlAttributes.resolve;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.callcentre.emulator.twilio.Twiml.Verb;

/**
 * A call's {@code <Gather>}: plays its nested prompts (a key press interrupts them), collects keys until
 * {@code numDigits}, {@code finishOnKey} or the timeout, then posts {@code Digits} to the action or, with no input,
 * lets the document continue after the Gather. Every method runs under the call's lock.
 */
final class GatherInput {

    /** The open gather's settings and what it has collected. */
    private static final class Open {
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

    private final EmulatedCall call;
    private final TwimlInterpreter interpreter;
    private final TwilioEmulator emulator;
    private Open open;

    GatherInput(EmulatedCall call, TwimlInterpreter interpreter, TwilioEmulator emulator) {
        this.call = call;
        this.interpreter = interpreter;
        this.emulator = emulator;
    }

    boolean isOpen() {
        return open != null;
    }

    /** The open gather, if the caller has not answered it yet (by a key or its timeout); otherwise null. */
    GatherPrompt unanswered() {
        if (open == null || open.acknowledged) {
            return null;
        }
        return new GatherPrompt(interpreter.prompt(), open.numDigits, open.finishOnKey, open.timeoutSeconds,
                open.action);
    }

    /** Forgets the open gather without posting it (the call ended or was redirected). */
    void close() {
        open = null;
    }

    void open(Verb v, List<Runnable> fx) {
        Open g = new Open();
        if (v.has("action")) {
            g.action = resolve(interpreter.documentUrl(), v.attr("action"));
            if (g.action == null) {
                interpreter.applicationError("cannot resolve <Gather action=\"" + v.attr("action") + "\">", fx);
                return;
            }
        } else {
            g.action = interpreter.documentUrl(); // Twilio requests the current document's URL
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
                interpreter.applicationError("<" + p.name() + "> is not allowed inside <Gather>", fx);
                return;
            }
        }
        g.prompts = v.children();
        open = g;
        call.activityLocked("gathering");
        playPrompts(fx);
    }

    private void playPrompts(List<Runnable> fx) {
        Open g = open;
        if (g == null) {
            return;
        }
        while (!g.promptsDone && g.promptIndex < g.prompts.size()) {
            Verb p = g.prompts.get(g.promptIndex++);
            if ("Pause".equals(p.name())) {
                long nanos = interpreter.pauseNanos(p);
                if (nanos > 0) {
                    call.scheduleLocked(nanos, this::playPrompts);
                    return;
                }
            } else {
                interpreter.speak(p);
            }
        }
        g.promptsDone = true;
        armTimeout();
    }

    private void armTimeout() {
        call.cancelTimerLocked();
        Open g = open;
        double scale = emulator.settings().gatherTimeoutScale();
        if (g == null || scale <= 0) {
            return; // with scale 0 a gather only times out through expireGather()
        }
        long nanos = (long) (g.timeoutSeconds * scale * 1_000_000_000L);
        call.scheduleLocked(Math.max(nanos, 1), fx -> {
            if (open == g) {
                finish("", fx);
            }
        });
    }

    /** One key: collected by the open gather, or dropped when none is open. */
    boolean press(char key, List<Runnable> fx) {
        Open g = open;
        if (g == null) {
            return false;
        }
        g.acknowledged = true;
        if (!g.promptsDone) { // barge-in: the remaining nested prompts are not played
            call.cancelTimerLocked();
            g.promptsDone = true;
        }
        if (!g.finishOnKey.isEmpty() && g.finishOnKey.indexOf(key) >= 0) {
            finish(String.valueOf(key), fx);
            return true;
        }
        g.digits.append(key);
        if (g.numDigits != null && g.digits.length() >= g.numDigits) {
            finish("", fx);
            return true;
        }
        armTimeout();
        return true;
    }

    /** The open gather's timeout elapses now. */
    void expire(List<Runnable> fx) {
        open.acknowledged = true;
        finish("", fx);
    }

    private void finish(String finishedOnKey, List<Runnable> fx) {
        Open g = open;
        open = null;
        call.cancelTimerLocked();
        String digits = g.digits.toString();
        if ((!digits.isEmpty() || g.actionOnEmptyResult) && g.action != null) {
            Map<String, String> extra = new LinkedHashMap<>();
            extra.put("Digits", digits);
            extra.put("FinishedOnKey", finishedOnKey);
            interpreter.fetch(g.action, g.method, extra, WebhookExchange.KIND_GATHER, fx);
        } else {
            call.activityLocked("running");
            interpreter.run(fx); // no input: continue with the verb after </Gather>
        }
    }

    /** For the call's description in assertion messages. */
    String describe() {
        if (open == null) {
            return "no gather open";
        }
        return "gather open (digits so far=\"" + open.digits + "\", numDigits=" + open.numDigits + ", action="
                + open.action + (open.acknowledged ? ", answered" : "") + ")";
    }
}
