/**
 * A Twilio Programmable Voice emulator for tests, benchmarks and the demo run.
 *
 * <p>{@link org.callcentre.emulator.twilio.TwilioEmulator#start(TwilioEmulator.Settings)} starts a JDK HTTP
 * server that answers the 2010-04-01 Calls REST API (HTTP Basic auth with the account sid and auth token),
 * rings the called party of a created call, who answers, is busy, does not answer or cannot be reached
 * ({@link org.callcentre.emulator.twilio.CallOutcome}), fetches TwiML from the application with signed
 * ({@code X-Twilio-Signature}) webhooks, runs Say, Play, Pause, Gather, Redirect, Dial (Conference or number)
 * and Hangup, and posts the status callbacks the create asked for, numbered by {@code SequenceNumber}. A call created
 * with {@code Record=true} is recorded from the moment it is answered ({@link org.callcentre.emulator.twilio.EmulatedRecording}):
 * signed recording status callbacks, pause (skip or silence), resume and stop over the Recording resource, which
 * prompts and keys fell in recorded and paused parts, and a small WAV file at the recording's URL. Tests
 * play the called party through {@link org.callcentre.emulator.twilio.EmulatedCall}; a person plays it through
 * the page at {@code GET /} (control endpoints under {@code /emulator/}, no auth).
 */
package org.callcentre.emulator.twilio;
