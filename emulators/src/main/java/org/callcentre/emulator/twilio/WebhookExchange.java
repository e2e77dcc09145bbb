package org.callcentre.emulator.twilio;

import java.time.Instant;
import java.util.Map;

/**
 * One HTTP request the emulator made to the application, and how it went.
 *
 * @param callSid      the call the request belongs to (for an incoming message's webhook: the message's sid)
 * @param url          the requested URL (for GET, without the Twilio parameters appended to it)
 * @param method       GET or POST
 * @param params       the Twilio parameters sent (form body for POST, query string for GET)
 * @param status       the HTTP status answered, or 0 when no answer came (connection failure, timeout)
 * @param latencyNanos the HTTP round trip: from sending the request to having the whole answer
 * @param sentAt       when the request was sent
 * @param kind         {@value #KIND_TWIML}, {@value #KIND_GATHER}, {@value #KIND_STATUS}, {@value #KIND_RECORDING},
 *                     {@value #KIND_WAIT}, {@value #KIND_ENQUEUE_ACTION}, {@value #KIND_DEQUEUE},
 *                     {@value #KIND_DIAL_ACTION}, {@value #KIND_RECORD_ACTION}, {@value #KIND_TRANSCRIPTION} or
 *                     {@value #KIND_MESSAGE}
 */
public record WebhookExchange(String callSid, String url, String method, Map<String, String> params,
        int status, long latencyNanos, Instant sentAt, String kind) {

    /** A request for a TwiML document (call answered, REST update with Url, {@code <Redirect>}). */
    public static final String KIND_TWIML = "twiml";
    /** A {@code <Gather>} action request carrying Digits. */
    public static final String KIND_GATHER = "gather";
    /** A status callback. */
    public static final String KIND_STATUS = "status";
    /** A recording status callback. */
    public static final String KIND_RECORDING = "recording";
    /** A request for a queued caller's waitUrl document, with QueuePosition, QueueSid, QueueTime and the sizes. */
    public static final String KIND_WAIT = "wait";
    /** An {@code <Enqueue action>} request, with QueueResult (and QueueSid and QueueTime once enqueued). */
    public static final String KIND_ENQUEUE_ACTION = "enqueue-action";
    /** A {@code <Queue url>} request: the document a dequeued caller hears before the bridge. */
    public static final String KIND_DEQUEUE = "dequeue";
    /** A {@code <Dial action>} request once a {@code <Dial><Queue>} is over. */
    public static final String KIND_DIAL_ACTION = "dial-action";
    /** A {@code <Record>} action request carrying RecordingUrl, RecordingSid, RecordingDuration and Digits. */
    public static final String KIND_RECORD_ACTION = "record-action";
    /** A {@code <Record transcribeCallback>} request carrying the transcription. */
    public static final String KIND_TRANSCRIPTION = "transcription";
    /** An incoming message (SMS or MMS) posted to its number's messaging URL. */
    public static final String KIND_MESSAGE = "message";

    public WebhookExchange {
        params = params == null ? Map.of() : Map.copyOf(params);
    }

    /** True for a 2xx answer. */
    public boolean succeeded() {
        return status >= 200 && status < 300;
    }
}
