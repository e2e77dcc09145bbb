package org.callcentre.emulator.twilio;

/**
 * What the called party does when a call created over the REST API reaches it. A test chooses it per number
 * ({@link TwilioEmulator#setOutcome}), or the settings give the default ({@link TwilioEmulator.Settings#outboundOutcome}).
 */
public enum CallOutcome {
    /** Picks up after the ring time: the call goes in-progress and runs its TwiML. */
    ANSWER,
    /** Rejects as busy after the ring time. */
    BUSY,
    /** Lets it ring until the create's {@code Timeout} (scaled) runs out. */
    NO_ANSWER,
    /** The carrier cannot connect it: it fails once initiated, without ringing. */
    FAILED,
    /** Rings until the test acts ({@link EmulatedCall#pickUp()}, {@code busy()}, {@code noAnswer()}, {@code fail()}). */
    RING
}
