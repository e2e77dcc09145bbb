package org.callcentre.emulator.twilio;

/**
 * The transcription of a message left at a {@code <Record transcribe="true">}, as Twilio's Transcription resource
 * has it.
 *
 * @param sid          TR followed by 32 hex digits
 * @param recordingSid the transcribed recording
 * @param callSid      the call the message was left on
 * @param status       {@code completed} or {@code failed}
 * @param text         what the caller said; null when the transcription failed
 * @param url          the Transcription resource (Twilio's {@code TranscriptionUrl}; HTTP Basic with the account's
 *                     credentials)
 */
public record EmulatedTranscription(String sid, String recordingSid, String callSid, String status, String text,
        String url) {

    public boolean completed() {
        return "completed".equals(status);
    }
}
