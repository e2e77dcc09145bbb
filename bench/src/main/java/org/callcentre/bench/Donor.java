package org.callcentre.bench;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;

import org.callcentre.emulator.twilio.EmulatedCall;
import org.callcentre.emulator.twilio.TwilioEmulator;

/**
 * One donor's card capture, as a person does it: on the phone with the agent, moved into the IVR, keying card
 * number, expiry and security code (thinking between entries when paced), then back with the agent.
 */
final class Donor {

    static final Duration WAIT = Duration.ofSeconds(60);

    /**
     * Nanoseconds from the last key press (the security code's #) to being back with the agent, and when (on
     * {@link System#nanoTime()}) that key was pressed.
     */
    record Result(long outcomeLagNanos, long lastKeyNanos) {
    }

    private Donor() {
    }

    /** Where a conversation's time goes, from the donor's side: phase name to durations in nanoseconds. */
    static final Map<String, ConcurrentLinkedQueue<Long>> PHASES = new ConcurrentHashMap<>();

    private static long mark(String phase, long since) {
        long now = System.nanoTime();
        PHASES.computeIfAbsent(phase, p -> new ConcurrentLinkedQueue<>()).add(now - since);
        return now;
    }

    /**
     * One call. Paced, the agent talks with the donor for a think time before starting the capture and again after
     * the donor is back, before the call ends; unpaced (think times zero) nobody waits.
     */
    static Result capture(TwilioEmulator twilio, AgentClient agent, long pledgeId, Duration minThink, Duration maxThink) {
        String conference = "bench-" + pledgeId;
        long t = System.nanoTime();
        String sid = twilio.createCall("+447700900001", "+441130000000",
                "<Response><Dial><Conference>" + conference + "</Conference></Dial></Response>");
        EmulatedCall call = twilio.call(sid);
        call.awaitConference(conference, WAIT);
        t = mark("1 call placed, in conference", t);
        think(minThink, maxThink);
        t = System.nanoTime();
        agent.startCapture(pledgeId, sid, conference);
        t = mark("2 agent's start (API)", t);
        call.awaitGather(WAIT);
        mark("3 moved into the IVR, first prompt", t);
        enter(call, "4242424242424242#", "4 card number to next prompt", minThink, maxThink);
        enter(call, "1230#", "5 expiry to next prompt", minThink, maxThink);
        think(minThink, maxThink);
        long lastKey = System.nanoTime();
        call.press("737#");
        call.awaitConference(conference, WAIT);
        long lag = mark("6 security code to back with the agent", lastKey) - lastKey;
        think(minThink, maxThink);
        call.hangUp();
        return new Result(lag, lastKey);
    }

    /** Thinks, keys an entry and waits for the next prompt; the time from the keys to the prompt is {@code phase}. */
    private static void enter(EmulatedCall call, String keys, String phase, Duration minThink, Duration maxThink) {
        think(minThink, maxThink);
        long t = System.nanoTime();
        call.press(keys);
        call.awaitGather(WAIT);
        mark(phase, t);
    }

    private static void think(Duration min, Duration max) {
        if (max.isZero()) {
            return;
        }
        long millis = ThreadLocalRandom.current().nextLong(min.toMillis(), max.toMillis() + 1);
        AppProcess.pause(Duration.ofMillis(millis));
    }
}
