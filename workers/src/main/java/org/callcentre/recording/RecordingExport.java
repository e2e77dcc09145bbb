package org.callcentre.recording;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Instant;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * The recordings that started in a period as CSV, newest first, one row at a time whatever the period holds. An
 * archived recording is a row like any other, marked archived (its audio column says how to get it back) instead of
 * failing the export.
 */
public class RecordingExport {

    static final String[] HEADER = {"id", "recording_sid", "call_id", "lead_id", "user_id", "started_at",
        "duration_seconds", "status", "archived", "restore_requested", "audio"};
    /** What the audio column says of an archived recording that was not restored. */
    static final String ARCHIVED = "archived: ask for it back with POST /api/recordings/{id}/restore-requests";

    private final CallRecordings recordings;

    public RecordingExport(CallRecordings recordings) {
        this.recordings = recordings;
    }

    /** Writes the recordings that started in [from, to), only {@code userId}'s when given; flushes, never closes. */
    public void write(Writer out, Instant from, Instant to, String userId) {
        try {
            CSVPrinter csv = CSVFormat.DEFAULT.builder().setHeader(HEADER).setRecordSeparator("\n").get().print(out);
            recordings.eachStartedBetween(from, to, userId, recording -> {
                try {
                    csv.printRecord(recording.id(), recording.recordingSid(), recording.callId(), recording.leadId(),
                            recording.userId(), recording.startedAt(), recording.durationSeconds(),
                            recording.status(), recording.archived(), recording.restoreRequested(), audio(recording));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            csv.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where the audio is for the app's users: the media endpoint, or why there is none. */
    static String audio(CallRecording recording) {
        if (recording.playable()) {
            return "/api/recordings/" + recording.id() + "/media";
        }
        if (recording.archived()) {
            return ARCHIVED.replace("{id}", Long.toString(recording.id()));
        }
        return "not available (" + recording.status() + ")";
    }
}
