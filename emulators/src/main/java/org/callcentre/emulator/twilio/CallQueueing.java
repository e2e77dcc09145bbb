package org.callcentre.emulator.twilio;

import static org.callcentre.emulator.twilio.TwimlAttributes.normaliseMethod;
import static org.callcentre.emulator.twilio.TwimlAttributes.parseInt;
import static org.callcentre.emulator.twilio.TwimlAttributes.resolve;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.callcentre.emulator.twilio.CallQueues.CallQueue;
import org.callcentre.emulator.twilio.Twiml.Verb;
import org.callcentre.emulator.twilio.TwimlInterpreter.Context;

/**
 * A call's part in the call queues, as Twilio documents {@code <Enqueue>}, {@code <Leave>} and
 * {@code <Dial><Queue>}. As the caller: it waits in a queue running the waitUrl documents in a loop, and leaves it by
 * {@code <Leave>}, by hanging up, by a REST redirect (of the call or of its queue Member) or by being dequeued,
 * hearing the {@code <Queue url>} document and then being bridged to the dequeuing call; each way out requests the
 * Enqueue's {@code action} with its {@code QueueResult}. As the dequeuing call: it takes the head of the queue (or
 * waits for someone to join, up to the Dial's timeout), is bridged to it, and requests the Dial's {@code action}
 * once the bridge ends.
 * <p>
 * Every method runs under the call's lock. What the other call of a bridge must do is queued as a side effect that
 * runs that call's own entry point on a worker, so no thread ever holds two calls' locks.
 */
final class CallQueueing {

    /** What Twilio plays to a caller whose Enqueue has no waitUrl (the emulator does not fetch it). */
    static final String DEFAULT_HOLD_MUSIC = "https://s3.amazonaws.com/com.twilio.sounds.music/index.xml";
    /** The waitUrl is requested again no sooner than this after the previous request, whatever the scales. */
    static final long MIN_WAIT_LOOP_NANOS = 100_000_000L;
    /** Twilio's default {@code <Dial timeout>}, in seconds. */
    private static final int DEFAULT_DIAL_TIMEOUT_SECONDS = 30;

    /** Waiting in (or for) the queue, being connected to the other call, or bridged with it. */
    enum Phase { WAITING, CONNECTING, BRIDGED }

    /** The call waits in a queue (Enqueue) or is leaving it for a bridge. */
    private static final class Stay {
        CallQueue queue;
        String name;
        Instant enqueuedAt;
        Instant dequeuedAt;
        String action;
        String method;
        /** null: Twilio's default hold music; "": silence. */
        String waitUrl;
        String waitMethod;
        Phase phase = Phase.WAITING;
        EmulatedCall peer;
        long lastWaitStart;
    }

    /** The call dials a queue ({@code <Dial><Queue>}). */
    private static final class QueueDial {
        String name;
        CallQueue queue;
        String url;
        String method;
        String action;
        String actionMethod;
        long deadline;
        Phase phase = Phase.WAITING;
        EmulatedCall peer;
        Instant peerEnqueuedAt;
        Instant peerDequeuedAt;
        Instant bridgedAt;
    }

    private final EmulatedCall call;
    private final TwimlInterpreter interpreter;
    private final TwilioEmulator emulator;
    private Stay stay;
    private QueueDial dial;
    /** The call ends on an application error: a queued caller's action hears {@code error}. */
    private boolean failed;

    CallQueueing(EmulatedCall call, TwimlInterpreter interpreter, TwilioEmulator emulator) {
        this.call = call;
        this.interpreter = interpreter;
        this.emulator = emulator;
    }

    /** The queue the call waits in now, or null. */
    String queueName() {
        return stay != null && stay.phase == Phase.WAITING ? stay.name : null;
    }

    /** The call this one is bridged with through a queue, or null. */
    String bridgedWith() {
        if (stay != null && stay.phase == Phase.BRIDGED) {
            return stay.peer.sid();
        }
        return dial != null && dial.phase == Phase.BRIDGED ? dial.peer.sid() : null;
    }

    void applicationError() {
        failed = true;
    }

    // ---------------------------------------------------------------- the caller: Enqueue, wait, Leave

    /** {@code <Enqueue>}: the interpreter has set the call's document aside, at the verb after it. */
    void enqueue(Verb v, String documentUrl, List<Runnable> fx) {
        String name = v.text();
        if (name.isEmpty() || name.length() > CallQueues.MAX_NAME_LENGTH) {
            interpreter.applicationError("<Enqueue> needs a queue name of 1 to " + CallQueues.MAX_NAME_LENGTH
                    + " characters: \"" + name + "\"", fx);
            return;
        }
        Stay s = new Stay();
        s.name = name;
        s.method = normaliseMethod(v.attr("method"));
        if (v.has("action")) {
            s.action = resolve(documentUrl, v.attr("action"));
            if (s.action == null) {
                interpreter.applicationError("cannot resolve <Enqueue action=\"" + v.attr("action") + "\">", fx);
                return;
            }
        }
        if (v.has("waitUrl")) {
            s.waitUrl = v.attr("waitUrl").isBlank() ? "" : resolve(documentUrl, v.attr("waitUrl"));
            if (s.waitUrl == null) {
                interpreter.applicationError("cannot resolve <Enqueue waitUrl=\"" + v.attr("waitUrl") + "\">", fx);
                return;
            }
        }
        s.waitMethod = normaliseMethod(v.attr("waitUrlMethod"));
        CallQueues.Enqueued enqueued = emulator.callQueues().enqueue(name, call);
        if (enqueued.full()) {
            // not enqueued: no QueueSid or QueueTime ("only available if the call was actually enqueued")
            Map<String, String> extra = new LinkedHashMap<>();
            extra.put("QueueResult", "queue-full");
            continueAfterQueue(s, extra, fx);
            return;
        }
        s.queue = enqueued.queue();
        s.enqueuedAt = Instant.now();
        stay = s;
        EmulatedCall dialler = enqueued.waitingDialler();
        if (dialler != null) {
            CallQueue queue = s.queue;
            fx.add(() -> emulator.execute(() -> dialler.queueMemberArrived(queue)));
        }
        interpreter.enter(Context.WAIT);
        startWaiting(fx);
    }

    /** Runs the wait document once more (or for the first time). */
    private void startWaiting(List<Runnable> fx) {
        Stay s = stay;
        if (s == null || s.phase != Phase.WAITING) {
            return;
        }
        s.lastWaitStart = System.nanoTime();
        call.activityLocked("waiting in queue " + s.name);
        if (s.waitUrl == null) {
            interpreter.startVerbs(List.of(new Verb("Play", Map.of(), DEFAULT_HOLD_MUSIC, List.of())), fx);
        } else if (!s.waitUrl.isEmpty()) {
            interpreter.fetch(s.waitUrl, s.waitMethod, waitParams(s), WebhookExchange.KIND_WAIT, fx);
        }
    }

    /** The wait document ran out: Twilio requests the waitUrl again. */
    void waitDocumentEnded(List<Runnable> fx) {
        if (stay == null || stay.phase != Phase.WAITING) {
            return;
        }
        long due = stay.lastWaitStart + MIN_WAIT_LOOP_NANOS - System.nanoTime();
        if (due > 0) {
            call.scheduleLocked(due, this::startWaiting);
        } else {
            startWaiting(fx);
        }
    }

    /** {@code <Leave>} in a wait document. */
    void leave(List<Runnable> fx) {
        Stay s = stay;
        if (s == null || s.phase != Phase.WAITING) {
            return;
        }
        if (!emulator.callQueues().remove(s.queue, call)) {
            // a dialler has just taken the call: it is about to be dequeued, which wins over the Leave
            call.activityLocked("being dequeued");
            return;
        }
        stay = null;
        s.dequeuedAt = Instant.now();
        continueAfterQueue(s, resultParams(s, "leave"), fx);
    }

    /**
     * The call left the queue and goes on: the Enqueue's action is requested and its answer runs, or without an
     * action the call's document goes on after {@code <Enqueue>}.
     */
    private void continueAfterQueue(Stay s, Map<String, String> extra, List<Runnable> fx) {
        call.abandonLocked();
        if (s.action != null) {
            interpreter.stop();
            call.activityLocked("running");
            interpreter.fetch(s.action, s.method, extra, WebhookExchange.KIND_ENQUEUE_ACTION, fx);
        } else {
            call.activityLocked("running");
            interpreter.resumeAfterEnqueue(fx);
        }
    }

    /** The call left the queue and something else decides what it does: the action's answer is not used. */
    private void notifyAction(Stay s, String result, String callStatus, List<Runnable> fx) {
        if (s.action == null) {
            return;
        }
        Map<String, String> params = call.standardParamsLocked(callStatus);
        params.putAll(resultParams(s, result));
        String sid = call.sid();
        String url = s.action;
        String method = s.method;
        fx.add(() -> emulator.sendWebhook(sid, url, method, params, WebhookExchange.KIND_ENQUEUE_ACTION));
    }

    private Map<String, String> waitParams(Stay s) {
        CallQueues.View view = emulator.callQueues().view(s.queue);
        Map<String, String> p = new LinkedHashMap<>();
        p.put("QueuePosition", Integer.toString(view.positionOf(call.sid())));
        p.put("QueueSid", s.queue.sid());
        p.put("QueueTime", Long.toString(seconds(s.enqueuedAt, view.at())));
        p.put("AvgQueueTime", Long.toString(view.averageWaitSeconds()));
        p.put("CurrentQueueSize", Integer.toString(view.size()));
        p.put("MaxQueueSize", Integer.toString(view.maxSize()));
        return p;
    }

    private static Map<String, String> resultParams(Stay s, String result) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("QueueResult", result);
        p.put("QueueSid", s.queue.sid());
        p.put("QueueTime", Long.toString(seconds(s.enqueuedAt, s.dequeuedAt == null ? Instant.now() : s.dequeuedAt)));
        return p;
    }

    // ---------------------------------------------------------------- the caller: dequeued and bridged

    /** A {@code <Dial><Queue>} call took this call from the head of its queue. */
    void dequeuedBy(EmulatedCall dialler, CallQueue queue, String url, String method, List<Runnable> fx) {
        Stay s = stay;
        if (call.endedLocked() || s == null || s.queue != queue || s.phase != Phase.WAITING) {
            fx.add(() -> emulator.execute(() -> dialler.queuePeerLeft(call, false)));
            return;
        }
        s.phase = Phase.CONNECTING;
        s.peer = dialler;
        s.dequeuedAt = Instant.now();
        call.abandonLocked();
        interpreter.enter(Context.DEQUEUE);
        if (url == null) {
            bridge(fx);
            return;
        }
        call.activityLocked("hearing the queue's url before the bridge");
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("QueueSid", queue.sid());
        extra.put("QueueTime", Long.toString(seconds(s.enqueuedAt, s.dequeuedAt)));
        extra.put("DequeingCallSid", dialler.sid());
        interpreter.fetch(url, method, extra, WebhookExchange.KIND_DEQUEUE, fx);
    }

    /** The {@code <Queue url>} document ran out: the two calls are bridged. */
    void dequeueDocumentEnded(List<Runnable> fx) {
        if (stay != null && stay.phase == Phase.CONNECTING) {
            bridge(fx);
        }
    }

    private void bridge(List<Runnable> fx) {
        Stay s = stay;
        s.phase = Phase.BRIDGED;
        interpreter.enter(Context.MAIN);
        call.activityLocked("bridged with " + s.peer.sid());
        EmulatedCall dialler = s.peer;
        fx.add(() -> emulator.execute(() -> dialler.queueBridged(call)));
    }

    /** REST: the Member is dequeued to a URL. False when the call no longer waits in this queue. */
    boolean dequeueToUrl(CallQueue queue, String url, String method, List<Runnable> fx) {
        Stay s = stay;
        if (call.endedLocked() || s == null || s.queue != queue || s.phase != Phase.WAITING
                || !emulator.callQueues().remove(queue, call)) {
            return false;
        }
        stay = null;
        s.dequeuedAt = Instant.now();
        notifyAction(s, "redirected", "in-progress", fx);
        call.abandonLocked();
        interpreter.stop();
        interpreter.fetch(url, method, Map.of(), WebhookExchange.KIND_TWIML, fx);
        return true;
    }

    // ---------------------------------------------------------------- the dequeuing call: Dial Queue

    /** {@code <Dial><Queue>}: connect to the head of the queue, or wait for a caller until the Dial's timeout. */
    void dialQueue(Verb dialVerb, Verb queueVerb, String documentUrl, List<Runnable> fx) {
        QueueDial d = new QueueDial();
        d.name = queueVerb.text();
        if (d.name.isEmpty()) {
            interpreter.applicationError("<Queue> without a name", fx);
            return;
        }
        if (queueVerb.has("url")) {
            d.url = resolve(documentUrl, queueVerb.attr("url"));
            if (d.url == null) {
                interpreter.applicationError("cannot resolve <Queue url=\"" + queueVerb.attr("url") + "\">", fx);
                return;
            }
        }
        d.method = normaliseMethod(queueVerb.attr("method"));
        if (dialVerb.has("action")) {
            d.action = resolve(documentUrl, dialVerb.attr("action"));
            if (d.action == null) {
                interpreter.applicationError("cannot resolve <Dial action=\"" + dialVerb.attr("action") + "\">", fx);
                return;
            }
        }
        d.actionMethod = normaliseMethod(dialVerb.attr("method"));
        int timeout = parseInt(dialVerb.attr("timeout"), DEFAULT_DIAL_TIMEOUT_SECONDS);
        TwilioEmulator.Settings settings = emulator.settings();
        d.deadline = System.nanoTime()
                + settings.ringNanos(Duration.ofSeconds(timeout > 0 ? timeout : DEFAULT_DIAL_TIMEOUT_SECONDS));
        dial = d;
        take(fx);
    }

    private void take(List<Runnable> fx) {
        QueueDial d = dial;
        CallQueues.Taken taken = emulator.callQueues().takeHead(d.name, call);
        if (taken == null) {
            // Twilio: "If the queue does not exist, Dial will post an error status to its action URL."
            dial = null;
            dialEnded(d, "failed", fx);
            return;
        }
        d.queue = taken.queue();
        if (taken.member() == null) {
            d.phase = Phase.WAITING;
            call.activityLocked("waiting for a caller in queue " + d.name);
            call.scheduleLocked(Math.max(1, d.deadline - System.nanoTime()), this::dialTimedOut);
            return;
        }
        call.cancelTimerLocked();
        EmulatedCall member = taken.member().call();
        d.phase = Phase.CONNECTING;
        d.peer = member;
        d.peerEnqueuedAt = taken.member().enqueuedAt();
        d.peerDequeuedAt = Instant.now();
        call.activityLocked("dequeuing " + member.sid() + " from queue " + d.name);
        CallQueue queue = d.queue;
        String url = d.url;
        String method = d.method;
        fx.add(() -> emulator.execute(() -> member.dequeueFrom(call, queue, url, method)));
    }

    /** Someone joined the queue this call waits on. */
    void memberArrived(CallQueue queue, List<Runnable> fx) {
        if (dial != null && dial.phase == Phase.WAITING && dial.queue == queue) {
            take(fx);
        }
    }

    private void dialTimedOut(List<Runnable> fx) {
        QueueDial d = dial;
        if (d == null || d.phase != Phase.WAITING) {
            return;
        }
        emulator.callQueues().stopWaiting(d.queue, call);
        dial = null;
        dialEnded(d, "no-answer", fx);
    }

    /** The dequeued caller has heard the queue's url: the bridge is up. */
    void bridged(EmulatedCall member, List<Runnable> fx) {
        QueueDial d = dial;
        if (call.endedLocked() || d == null || d.phase != Phase.CONNECTING || d.peer != member) {
            fx.add(() -> emulator.execute(() -> member.queuePeerLeft(call, false)));
            return;
        }
        d.phase = Phase.BRIDGED;
        d.bridgedAt = Instant.now();
        call.activityLocked("bridged with " + member.sid());
    }

    /** The Dial is over: its action is requested and its answer runs, or the document goes on after the Dial. */
    private void dialEnded(QueueDial d, String dialCallStatus, List<Runnable> fx) {
        if (d.action == null) {
            call.activityLocked("running");
            interpreter.run(fx);
            return;
        }
        Instant now = Instant.now();
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("DialCallStatus", dialCallStatus);
        if (d.queue != null) {
            extra.put("QueueSid", d.queue.sid());
        }
        if (d.peer != null) {
            long duration = d.bridgedAt == null ? 0 : seconds(d.bridgedAt, now);
            extra.put("DialCallSid", d.peer.sid());
            extra.put("DialCallDuration", Long.toString(duration));
            extra.put("DequeuedCallSid", d.peer.sid());
            extra.put("DequeuedCallQueueTime", Long.toString(seconds(d.peerEnqueuedAt, d.peerDequeuedAt)));
            extra.put("DequeuedCallDuration", Long.toString(duration));
        }
        call.abandonLocked();
        call.activityLocked("running");
        interpreter.fetch(d.action, d.actionMethod, extra, WebhookExchange.KIND_DIAL_ACTION, fx);
    }

    // ---------------------------------------------------------------- either side

    /**
     * The other call of a bridge (made or in the making) hung up, was redirected, or could not be dequeued.
     * {@code wasBridged}: the caller had been bridged, even if this dialler has not heard so yet.
     */
    void peerLeft(EmulatedCall peer, boolean wasBridged, List<Runnable> fx) {
        Stay s = stay;
        if (s != null && s.peer == peer && s.phase != Phase.WAITING) {
            // Twilio requests the action "once the bridged parties disconnect"; a dialler gone before the bridge
            // was up leaves the caller with "bridging-in-process"
            stay = null;
            continueAfterQueue(s, resultParams(s, s.phase == Phase.BRIDGED ? "bridged" : "bridging-in-process"), fx);
            return;
        }
        QueueDial d = dial;
        if (d != null && d.peer == peer) {
            if (d.phase == Phase.CONNECTING && !wasBridged) {
                d.peer = null; // the caller was gone before the bridge: the next one in the queue, if any
                take(fx);
            } else if (d.phase != Phase.WAITING) {
                dial = null;
                dialEnded(d, "completed", fx);
            }
        }
    }

    /**
     * The call ends (it hung up, was completed over REST, hit Hangup or an application error) while queued,
     * dequeuing or bridged: the action hears hangup, bridged or error, and the other call of a bridge is told.
     */
    void callEnded(String finalStatus, List<Runnable> fx) {
        Stay s = stay;
        if (s != null) {
            stay = null;
            String result;
            if (s.phase == Phase.WAITING) {
                emulator.callQueues().remove(s.queue, call);
                result = failed ? "error" : "hangup";
            } else {
                tellPeer(s.peer, s.phase == Phase.BRIDGED, fx);
                result = s.phase == Phase.BRIDGED ? "bridged" : failed ? "error" : "hangup";
            }
            if (s.dequeuedAt == null) {
                s.dequeuedAt = Instant.now();
            }
            notifyAction(s, result, finalStatus, fx);
        }
        leaveDial(fx);
    }

    /** A REST redirect of the call takes it out of its queue (or bridge); the new document decides what follows. */
    void redirected(List<Runnable> fx) {
        Stay s = stay;
        if (s != null) {
            stay = null;
            String result = "redirected";
            if (s.phase == Phase.WAITING) {
                emulator.callQueues().remove(s.queue, call);
            } else {
                tellPeer(s.peer, s.phase == Phase.BRIDGED, fx);
                if (s.phase == Phase.BRIDGED) {
                    result = "redirected-from-bridged";
                }
            }
            if (s.dequeuedAt == null) {
                s.dequeuedAt = Instant.now();
            }
            notifyAction(s, result, "in-progress", fx);
        }
        leaveDial(fx);
    }

    private void leaveDial(List<Runnable> fx) {
        QueueDial d = dial;
        if (d == null) {
            return;
        }
        dial = null;
        if (d.phase == Phase.WAITING) {
            emulator.callQueues().stopWaiting(d.queue, call);
        } else if (d.peer != null) {
            tellPeer(d.peer, d.phase == Phase.BRIDGED, fx);
        }
    }

    private void tellPeer(EmulatedCall peer, boolean wasBridged, List<Runnable> fx) {
        fx.add(() -> emulator.execute(() -> peer.queuePeerLeft(call, wasBridged)));
    }

    private static long seconds(Instant from, Instant to) {
        return Math.max(0, Duration.between(from, to).toSeconds());
    }

    /** For the call's description in assertion messages. */
    String describe() {
        if (stay != null) {
            return "queue " + stay.name + " (" + stay.phase + (stay.peer == null ? "" : " with " + stay.peer.sid()) + ")";
        }
        if (dial != null) {
            return "dialling queue " + dial.name + " (" + dial.phase
                    + (dial.peer == null ? "" : " with " + dial.peer.sid()) + ")";
        }
        return null;
    }
}
