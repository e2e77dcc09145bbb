package org.callcentre.recording;

import static org.callcentre.problem.RefusedException.conflict;
import static org.callcentre.problem.RefusedException.gone;
import static org.callcentre.problem.RefusedException.notFound;
import static org.callcentre.problem.RefusedException.unavailable;

import org.callcentre.recording.RecordingAudio.Audio;
import org.callcentre.recording.RecordingAudio.AudioUnavailableException;

/**
 * Which audio a recording plays: Twilio's file once it is processed, the restored copy once an archived recording was
 * put back; an archived recording that was not is gone, with the way to ask for it back.
 */
public class RecordingMedia {

    private final RecordingAudio audio;
    private final RecordingProperties properties;

    public RecordingMedia(RecordingAudio audio, RecordingProperties properties) {
        this.audio = audio;
        this.properties = properties;
    }

    /** The recording's audio, being received; the caller closes it. */
    public Audio open(CallRecording recording) {
        if (recording.archived() && recording.restoredMediaUrl() == null) {
            throw gone("recording " + recording.id() + " is archived (recordings older than "
                    + properties.archiveAfter() + " are), so it no longer plays here"
                    + (recording.restoreRequested() ? "; a restore has been asked for and is not done yet"
                            : "; ask for it back with POST /api/recordings/" + recording.id() + "/restore-requests, "
                                    + "which gives Admin Operations a \"Call recording restore\" task"));
        }
        try {
            if (recording.archived()) {
                return audio.fromRestoreStore(recording.restoredMediaUrl());
            }
            if ("absent".equals(recording.status()) || "failed".equals(recording.status())) {
                throw notFound("recording " + recording.id() + " has no audio: Twilio reported it " + recording.status()
                        + " (too short, silent or not stored)");
            }
            if (!CallRecording.COMPLETED.equals(recording.status())) {
                throw conflict("recording " + recording.id() + " is " + recording.status() + ": its audio can be "
                        + "played once the call has ended and Twilio has processed it");
            }
            return audio.fromTwilio(recording.recordingSid());
        } catch (AudioUnavailableException e) {
            throw unavailable("the audio of recording " + recording.id() + " could not be fetched: " + e.getMessage()
                    + "; try again in a moment");
        }
    }
}
