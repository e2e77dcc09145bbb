package org.callcentre.app.dialler;

import org.callcentre.app.telephony.Twiml;
import org.callcentre.dialler.AgentPhone;
import org.callcentre.dialler.DiallerUrls;
import org.callcentre.dialler.OutboundCall;
import org.callcentre.dialler.OutboundCalls;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import com.twilio.twiml.VoiceResponse;
import com.twilio.twiml.voice.Conference;
import com.twilio.twiml.voice.Dial;
import com.twilio.twiml.voice.Hangup;

/**
 * The TwiML of the dialler's calls, signed like every /twilio endpoint. The agent's phone holds the conference open
 * (it ends when the agent hangs up); a lead joins it and leaves it open when the lead hangs up.
 */
@RestController
public class DiallerTwimlController {

    private final OutboundCalls calls;

    public DiallerTwimlController(OutboundCalls calls) {
        this.calls = calls;
    }

    /** The lead answered: into the agent's conference. A call we do not know is hung up. */
    @PostMapping(DiallerUrls.BASE + "calls/{callId}/answered")
    @Transactional(readOnly = true)
    public ResponseEntity<String> leadAnswered(@PathVariable long callId) {
        return Twiml.ok(calls.call(callId).map(OutboundCall::conferenceName)
                .map(conference -> conference(conference, false)).orElseGet(DiallerTwimlController::hangUp));
    }

    /**
     * The agent answered the shift's phone: into the agent's own conference. The URL is ours and signed, and Twilio
     * may fetch it before the phone's row is committed, so the conference comes from the user in the URL.
     */
    @PostMapping(DiallerUrls.BASE + "agents/{userId}/phone")
    public ResponseEntity<String> agentAnswered(@PathVariable String userId) {
        return Twiml.ok(conference(AgentPhone.conferenceOf(userId), true));
    }

    private static String conference(String name, boolean endConferenceOnExit) {
        return new VoiceResponse.Builder().dial(new Dial.Builder().conference(new Conference.Builder(name)
                .endConferenceOnExit(endConferenceOnExit).build()).build()).build().toXml();
    }

    private static String hangUp() {
        return new VoiceResponse.Builder().hangup(new Hangup.Builder().build()).build().toXml();
    }
}
