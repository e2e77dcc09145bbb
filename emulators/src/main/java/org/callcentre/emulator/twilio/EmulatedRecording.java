package org.callcentre.emulator.twilio;

import java.time.Instant;
import java.util.List;

/**
 * A recording of a call as the emulator made it: Twilio's view (sid, status, duration, start) and what a real
 * recording's audio would hold, so a test can check what was and was not recorded. Every prompt the called party
 * heard and every key it pressed while the recording ran falls either in a recorded part or in a paused one.
 *
 * @param sid             RE followed by 32 hex digits
 * @param callSid         the recorded call
 * @param status          in-progress, paused, stopped, completed or absent
 * @param startTime       when recording began (the call was answered)
 * @param durationSeconds the recorded length in whole seconds once completed (paused parts left out when paused with
 *                        {@code skip}, kept as silence with {@code silence}); null before
 * @param parts           the recorded and paused stretches, in order; the open one last, without an end
 * @param recordedPrompts the Say and Play texts heard while recording ran, in order
 * @param pausedPrompts   the texts heard while it was paused
 * @param recordedKeys    the keys pressed while recording ran (their tones are in the audio)
 * @param pausedKeys      the keys pressed while it was paused
 * @param mediaUrl        where the audio is served once completed (HTTP Basic with the account's credentials)
 * @param source          Twilio's source: {@code OutboundAPI} (the REST create asked with {@code Record=true}) or
 *                        {@code RecordVerb} (a message left at a {@code <Record>} verb)
 * @param spokenText      for a {@code RecordVerb} message, what the caller said; null otherwise
 * @param transcription   for a {@code RecordVerb} message whose {@code <Record>} asked {@code transcribe="true"}, its
 *                        transcription; null otherwise
 */
public record EmulatedRecording(String sid, String callSid, String status, Instant startTime, Integer durationSeconds,
        List<Part> parts, List<String> recordedPrompts, List<String> pausedPrompts, String recordedKeys,
        String pausedKeys, String mediaUrl, String source, String spokenText, EmulatedTranscription transcription) {

    /**
     * One stretch of the recording.
     *
     * @param recorded      audio was recorded; false while paused
     * @param pauseBehavior for a paused part: {@code skip} (left out of the file) or {@code silence}; null otherwise
     * @param from          when the part began
     * @param to            when it ended; null for the part still going on
     */
    public record Part(boolean recorded, String pauseBehavior, Instant from, Instant to) {
    }

    public EmulatedRecording {
        parts = List.copyOf(parts);
        recordedPrompts = List.copyOf(recordedPrompts);
        pausedPrompts = List.copyOf(pausedPrompts);
    }

    /** Whether the recording was paused at least once. */
    public boolean wasPaused() {
        return parts.stream().anyMatch(part -> !part.recorded());
    }

    /** Whether recording ran again after a pause. */
    public boolean resumedAfterPause() {
        boolean paused = false;
        for (Part part : parts) {
            if (!part.recorded()) {
                paused = true;
            } else if (paused) {
                return true;
            }
        }
        return false;
    }
}
