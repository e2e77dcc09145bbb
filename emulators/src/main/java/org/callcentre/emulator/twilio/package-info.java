/**
 * A Twilio Programmable Voice and Messaging emulator for tests, benchmarks and the demo run.
 *
 * <p>{@link org.callcentre.emulator.twilio.TwilioEmulator#start(TwilioEmulator.Settings)} starts a JDK HTTP
 * server that answers the 2010-04-01 Calls REST API (HTTP Basic auth with the account sid and auth token),
 * rings the called party of a created call, who answers, is busy, does not answer or cannot be reached
 * ({@link org.callcentre.emulator.twilio.CallOutcome}), fetches TwiML from the application with signed
 * ({@code X-Twilio-Signature}) webhooks, runs Say, Play, Pause, Gather, Record, Redirect, Dial (Conference, Queue or
 * number), Enqueue, Leave and Hangup, and posts the status callbacks the create asked for, numbered by
 * {@code SequenceNumber}. A call created with {@code Record=true} is recorded from the moment it is answered
 * ({@link org.callcentre.emulator.twilio.EmulatedRecording}): signed recording status callbacks, pause (skip or
 * silence), resume and stop over the Recording resource, which prompts and keys fell in recorded and paused parts,
 * and a small WAV file at the recording's URL. At a {@code <Record>} the caller leaves a message (or stays quiet, or
 * hangs up): it becomes a Recording ({@code RecordVerb}) posted to the action with RecordingUrl, RecordingSid,
 * RecordingDuration and Digits, is transcribed to the {@code transcribeCallback} (completed with the caller's words,
 * or failed) and reported to the {@code recordingStatusCallback}. Messages sent to the account's numbers are posted to
 * each number's messaging URL with Twilio's incoming-message parameters; their media are served at their
 * {@code MediaUrl}s and deleted over the Media resource, and the {@code <Message>} replies the application answers
 * with are kept ({@link org.callcentre.emulator.twilio.EmulatedMessage}). Tests play the caller through
 * {@link org.callcentre.emulator.twilio.EmulatedCall} and
 * {@link org.callcentre.emulator.twilio.TwilioEmulator#sendMessage}; a person plays them through the page at
 * {@code GET /} (control endpoints under {@code /emulator/}, no auth).
 */
package org.callcentre.emulator.twilio;
