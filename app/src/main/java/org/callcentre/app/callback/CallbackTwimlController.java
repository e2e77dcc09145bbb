package org.callcentre.app.callback;

import java.util.Locale;

import org.callcentre.app.telephony.IvrMessages;
import org.callcentre.app.telephony.Twiml;
import org.callcentre.callback.CallbackCalls;
import org.callcentre.callback.CallbackUrls;
import org.callcentre.dialler.AgentPhone;
import org.callcentre.problem.RefusedException;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import com.twilio.twiml.VoiceResponse;
import com.twilio.twiml.voice.Conference;
import com.twilio.twiml.voice.Dial;

/**
 * The agent's side of an agent-first callback call, signed like every /twilio endpoint: the agent hears that this
 * is the callback call and waits in their own conference while the person is dialled into it.
 */
@RestController
public class CallbackTwimlController {

    private final CallbackCalls calls;
    private final IvrMessages messages = new IvrMessages("i18n/callback");

    public CallbackTwimlController(CallbackCalls calls) {
        this.calls = calls;
    }

    @PostMapping(CallbackUrls.BASE + "{id}/agents/{userId}/answered")
    public ResponseEntity<String> agentAnswered(@PathVariable long id, @PathVariable String userId,
            @RequestParam(name = "CallSid", required = false) String callSid) {
        String announcement = "agentFirst.announcement";
        try {
            calls.agentAnswered(id, userId, callSid);
        } catch (RefusedException refused) {
            // The person cannot be dialled after all (a rule changed since the agent's phone rang): say so.
            announcement = "agentFirst.notDialled";
        }
        return Twiml.ok(new VoiceResponse.Builder().say(messages.in(Locale.UK).say(announcement))
                .dial(new Dial.Builder().conference(new Conference.Builder(AgentPhone.conferenceOf(userId))
                        .endConferenceOnExit(true).build()).build())
                .build().toXml());
    }
}
