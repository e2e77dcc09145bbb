package org.callcentre.bench.cardcapture;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.callcentre.bench.Scenario.Step;
import org.callcentre.bench.Think;
import org.callcentre.emulator.twilio.EmulatedCall;
import org.callcentre.emulator.twilio.TwilioEmulator;

/**
 * One donor's card capture, as a person does it: on the phone with the agent, moved into the IVR, keying card
 * number, expiry and security code (thinking between entries when paced), then back with the agent.
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
    static List<Step> capture(TwilioEmulator twilio, AgentClient agent, long pledgeId, Think think) {
        return new Donor().call(twilio, agent, pledgeId, think);
    }

    private List<Step> call(TwilioEmulator twilio, AgentClient agent, long pledgeId, Think think) {
        String conference = "bench-" + pledgeId;
        long t = System.nanoTime();
        String sid = twilio.createCall("+447700900001", "+441130000000",
                "<Response><Dial><Conference>" + conference + "</Conference></Dial></Response>");
        EmulatedCall call = twilio.call(sid);
        call.awaitConference(conference, WAIT);
        mark("1 call placed, in conference", t);
        think.pause();
        t = System.nanoTime();
        agent.startCapture(pledgeId, sid, conference);
        t = mark("2 agent's start (API)", t);
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
        call.hangUp();
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
