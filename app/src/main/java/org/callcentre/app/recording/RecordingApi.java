package org.callcentre.app.recording;

import java.time.Instant;

import org.callcentre.recording.CallRecording;
import org.callcentre.recording.CallRecordings.RestoreRequest;

/** The JSON shapes of the recordings API. Twilio's media URL and credentials never appear in them. */
public final class RecordingApi {

    private RecordingApi() {
    }

    /** One recording, as the Call Recordings page and a lead's page list it. */
    public record RecordingView(long id, String recordingSid, long callId, long leadId, String userId,
            Instant startedAt, Integer durationSeconds, String status, boolean archived, boolean restoreRequested) {

        static RecordingView of(CallRecording recording) {
            return new RecordingView(recording.id(), recording.recordingSid(), recording.callId(), recording.leadId(),
                    recording.userId(), recording.startedAt(), recording.durationSeconds(), recording.status(),
                    recording.archived(), recording.restoreRequested());
        }
    }

    /** A restore request: its task is in Admin Operations' Tasklist. */
    public record RestoreRequestView(long id, long recordingId, String requestedBy, Instant requestedAt,
            String processInstanceId) {

        static RestoreRequestView of(RestoreRequest request) {
            return new RestoreRequestView(request.id(), request.recordingId(), request.requestedBy(),
                    request.requestedAt(), request.processInstanceId());
        }
    }
}
