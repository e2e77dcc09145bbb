package org.callcentre.bench.cardcapture;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.callcentre.bench.Scenario.Step;
import org.callcentre.bench.Think;
import org.callcentre.emulator.twilio.EmulatedCall;
import org.callcentre.emulator.twilio.TwilioEmulator;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One donor's card capture, as a person does it: called by the agent (the emulator answers), on the phone with the
 * agent, moved into the IVR, keying card number, expiry and security code (thinking between entries when paced),
 * then back with the agent, and hanging up.
 */
final class Donor {

    static final Duration WAIT = Duration.ofSeconds(60);

    /** The step from the security code's last key to the donor back in the conference with the outcome spoken. */
    static final String OUTCOME = "6 security code to back with the agent";

    private final List<Step> steps = new ArrayList<>();

    private Donor() {
    }

    /**
     * One call. Paced, the agent talks with the donor for a think time before starting the capture and again after
     * the donor is back, before the call ends; at saturation nobody waits.
     */
    static List<Step> capture(TwilioEmulator twilio, CardCaptureScenario.Line line, long campaignId, int n,
            Think think, boolean awaitAnswered) {
        return new Donor().call(twilio, line, campaignId, n, think, awaitAnswered);
    }

    private List<Step> call(TwilioEmulator twilio, CardCaptureScenario.Line line, long campaignId, int n,
            Think think, boolean awaitAnswered) {
        AgentClient agent = line.agent();
        String conference = "agent-" + agent.user();
        long t = System.nanoTime();
        agent.lock(line.leadId());
        long callId = agent.placeCall(line.leadId());
        String[] sid = new String[1];
        CardCaptureScenario.awaitTrue(() -> {
            JsonNode placed = agent.call(callId);
            sid[0] = placed.path("callSid").asText(null);
            return sid[0] != null;
        }, "call " + callId + " created at Twilio");
        EmulatedCall call = twilio.call(sid[0]);
        call.awaitConference(conference, WAIT);
        if (awaitAnswered) {
            // As the agent's console shows it: the call's status callback recorded.
            CardCaptureScenario.awaitTrue(() -> agent.call(callId).path("status").asText("").equals("in-progress"),
                    "call " + callId + " answered in the app");
        }
        mark("1 call placed, donor in conference", t);
        think.pause();
        t = System.nanoTime();
        long pledgeId = agent.createPledge(campaignId, line.leadId(), line.number(), n);
        agent.startCapture(pledgeId, sid[0]);
        t = mark("2 agent's pledge and start (API)", t);
        call.awaitGather(WAIT);
        mark("3 moved into the IVR, first prompt", t);
        enter(call, "4242424242424242#", "4 card number to next prompt", think);
        enter(call, "1230#", "5 expiry to next prompt", think);
        think.pause();
        t = System.nanoTime();
        call.press("737#");
        call.awaitConference(conference, WAIT);
        mark(OUTCOME, t);
        think.pause();
        t = System.nanoTime();
        call.hangUp();
        // The agent places the next call once this one has ended.
        CardCaptureScenario.awaitTrue(() -> agent.call(callId).path("final").asBoolean(),
                "call " + callId + " ended");
        mark("7 hang-up to the call recorded as ended", t);
        return steps;
    }

    /** Thinks, keys an entry and waits for the next prompt; the time from the keys to the prompt is {@code step}. */
    private void enter(EmulatedCall call, String keys, String step, Think think) {
        think.pause();
        long t = System.nanoTime();
        call.press(keys);
        call.awaitGather(WAIT);
        mark(step, t);
    }

    private long mark(String step, long since) {
        long now = System.nanoTime();
        steps.add(new Step(step, now - since, since));
        return now;
    }
}
