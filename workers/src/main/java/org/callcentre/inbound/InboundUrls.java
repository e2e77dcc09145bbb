package org.callcentre.inbound;

import org.callcentre.telephony.PublicUrls;

/** The inbound calls' TwiML URLs, as Twilio is given them. */
public class InboundUrls {

    public static final String BASE = "/twilio/inbound/";
    /** Each inbound number's Voice URL in Twilio (the number called is in {@code To}). */
    public static final String VOICE = BASE + "voice";

    private final PublicUrls urls;

    public InboundUrls(PublicUrls urls) {
        this.urls = urls;
    }

    public String voice() {
        return urls.of(VOICE);
    }

    /** The menu's answer: the key pressed, or none. */
    public String menu(long callId) {
        return urls.of(BASE + "calls/" + callId + "/menu");
    }

    /** What a queued caller hears, fetched again and again while they wait. */
    public String waiting(long callId) {
        return urls.of(BASE + "calls/" + callId + "/wait");
    }

    /** The key pressed at the callback offer while waiting. */
    public String callbackRequest(long callId) {
        return urls.of(BASE + "calls/" + callId + "/callback-request");
    }

    /** Twilio's report of how the caller left the queue ({@code QueueResult}). */
    public String queueResult(long callId) {
        return urls.of(BASE + "calls/" + callId + "/queue-result");
    }

    /** The voicemail's {@code <Record>} action: the message left (RecordingSid, RecordingUrl), or a hang-up. */
    public String voicemail(long callId) {
        return urls.of(BASE + "calls/" + callId + "/voicemail");
    }

    /** The voicemail's recording status callback. */
    public String voicemailRecording(long callId) {
        return urls.of(BASE + "calls/" + callId + "/voicemail/recording");
    }

    /** The voicemail's transcription callback. */
    public String voicemailTranscription(long callId) {
        return urls.of(BASE + "calls/" + callId + "/voicemail/transcription");
    }

    /** Where a caller is moved when an agent takes them: into the agent's conference. */
    public String bridge(long callId) {
        return urls.of(BASE + "calls/" + callId + "/bridge");
    }
}
