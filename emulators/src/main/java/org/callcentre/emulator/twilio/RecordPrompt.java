package org.callcentre.emulator.twilio;

/**
 * An open {@code <Record>} as the caller experiences it: the prompt before the beep, and how the message will end.
 *
 * @param prompt             the texts heard from the start of the current TwiML document up to the beep, joined
 *                           with a space
 * @param action             the absolute URL the recording will be sent to, or null when there is none (inline
 *                           TwiML without an action)
 * @param method             GET or POST
 * @param timeoutSeconds     the seconds of silence that end the message (unscaled)
 * @param finishOnKey        the keys that end the message ("" when none does)
 * @param maxLengthSeconds   the longest message
 * @param playBeep           whether a beep was played before recording began
 * @param transcribe         whether the message will be transcribed
 * @param transcribeCallback the absolute URL the transcription will be posted to, or null
 */
public record RecordPrompt(String prompt, String action, String method, int timeoutSeconds, String finishOnKey,
        int maxLengthSeconds, boolean playBeep, boolean transcribe, String transcribeCallback) {
}
