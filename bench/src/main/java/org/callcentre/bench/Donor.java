package org.callcentre.bench;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import org.callcentre.emulator.twilio.EmulatedCall;
import org.callcentre.emulator.twilio.TwilioEmulator;

/**
 * One donor's card capture, as a person does it: on the phone with the agent, moved into the IVR, keying card
 * number, expiry and security code (thinking between entries when paced), then back with the agent.
 */
final class Donor {

    static final Duration WAIT = Duration.ofSeconds(60);

    /** Nanoseconds from the last key press (the security code's #) to being back with the agent. */
    record Result(long outcomeLagNanos) {
    }

    private Donor() {
    }

    static Result capture(TwilioEmulator twilio, AgentClient agent, long pledgeId, Duration minThink, Duration maxThink) {
        // Paced: agents do not all reach the payment at the same second; spread the starts over one think time.
        think(Duration.ZERO, maxThink);
        String conference = "bench-" + pledgeId;
        String sid = twilio.createCall("+447700900001", "+441130000000",
                "<Response><Dial><Conference>" + conference + "</Conference></Dial></Response>");
        EmulatedCall call = twilio.call(sid);
        call.awaitConference(conference, WAIT);
        agent.startCapture(pledgeId, sid, conference);
        enter(call, "4242424242424242#", minThink, maxThink);
        enter(call, "1230#", minThink, maxThink);
        call.awaitGather(WAIT);
        think(minThink, maxThink);
        long lastKey = System.nanoTime();
        call.press("737#");
        call.awaitConference(conference, WAIT);
        long lag = System.nanoTime() - lastKey;
        call.hangUp();
        return new Result(lag);
    }

    private static void enter(EmulatedCall call, String keys, Duration minThink, Duration maxThink) {
        call.awaitGather(WAIT);
        think(minThink, maxThink);
        call.press(keys);
    }

    private static void think(Duration min, Duration max) {
        if (max.isZero()) {
            return;
        }
        long millis = ThreadLocalRandom.current().nextLong(min.toMillis(), max.toMillis() + 1);
        AppProcess.pause(Duration.ofMillis(millis));
    }
}
