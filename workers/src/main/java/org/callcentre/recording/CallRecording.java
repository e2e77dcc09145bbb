package org.callcentre.recording;

import java.time.Instant;

/**
 * One recording of a dialler call, as our tables keep it.
 *
 * @param recordingSid     Twilio's sid (RE...)
 * @param callId           the dialler's call ({@code outbound_call.id})
 * @param leadId           the lead called
 * @param userId           the agent whose call it was
 * @param status           Twilio's: in-progress or paused while the call runs, completed (the file is ready), absent
 *                         (no file: too short or silent), failed
 * @param durationSeconds  the recorded length, once completed
 * @param mediaUrl         Twilio's RecordingUrl as reported
 * @param archived         archived by the daily run: it plays only once restored
 * @param restoreRequested a restore has been asked for and is not done yet
 * @param restoredMediaUrl where the audio was put back after archiving, or null
 */
public record CallRecording(long id, String recordingSid, String callSid, long callId, long leadId, String userId,
        Instant startedAt, Integer durationSeconds, String status, String mediaUrl, boolean archived,
        boolean restoreRequested, String restoredMediaUrl) {

    public static final String COMPLETED = "completed";

    /** The audio can be fetched from Twilio (it is processed and not archived) or from where it was restored. */
    public boolean playable() {
        return archived ? restoredMediaUrl != null : COMPLETED.equals(status);
    }
}
