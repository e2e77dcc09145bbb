package org.callcentre.recording;

import static org.callcentre.problem.RefusedException.conflict;
import static org.callcentre.problem.RefusedException.notFound;

import java.time.ZoneOffset;

import org.callcentre.processes.ProcessVariable;
import org.callcentre.processes.recording.RecordingRestoreProcess;
import org.callcentre.processes.recording.RecordingRestoreProcess.Variables;
import org.callcentre.recording.CallRecordings.RestoreRequest;
import org.camunda.bpm.engine.RuntimeService;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Asks for an archived recording back: a restore request and its Tasklist task for Admin Operations
 * ("Call recording restore: lead's name, date"), in one transaction.
 */
public class RecordingRestores {

    private final CallRecordings recordings;
    private final RuntimeService runtime;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;

    public RecordingRestores(CallRecordings recordings, RuntimeService runtime, JdbcTemplate jdbc,
            PlatformTransactionManager transactions) {
        this.recordings = recordings;
        this.runtime = runtime;
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(transactions);
    }

    /**
     * A new restore request for the recording, by {@code userId}. Refused when the recording does not exist, is not
     * archived, was restored already, or has a request not done yet.
     */
    public RestoreRequest request(long recordingId, String userId) {
        return transaction.execute(tx -> {
            // The recording's row, locked: two requests at once make one task, not two.
            jdbc.queryForList("select id from call_recording where id = ? for update", Long.class, recordingId);
            CallRecording recording = recordings.recording(recordingId)
                    .orElseThrow(() -> notFound("there is no recording " + recordingId));
            if (!recording.archived()) {
                throw conflict("recording " + recordingId + " is not archived: it plays as it is");
            }
            if (recording.restoredMediaUrl() != null) {
                throw conflict("recording " + recordingId + " has been restored already: it plays again");
            }
            recordings.openRestore(recordingId).ifPresent(open -> {
                throw conflict("a restore of recording " + recordingId + " was asked for by " + open.requestedBy()
                        + " at " + open.requestedAt() + " and is not done yet");
            });
            long restoreId = recordings.requestRestore(recordingId, userId);
            String instance = runtime.startProcessInstanceByKey(RecordingRestoreProcess.PROCESS_KEY,
                    Long.toString(restoreId), ProcessVariable.values()
                            .with(Variables.RESTORE_ID, restoreId)
                            .with(Variables.RECORDING_ID, recordingId)
                            .with(Variables.RECORDING_SID, recording.recordingSid())
                            .with(Variables.LEAD_NAME, leadName(recording.leadId()))
                            .with(Variables.RECORDING_DATE, recording.startedAt().atOffset(ZoneOffset.UTC)
                                    .toLocalDate().toString())
                            .with(Variables.REQUESTED_BY, userId)
                            .asMap()).getId();
            recordings.restoreStarted(restoreId, instance);
            return recordings.openRestore(recordingId).orElseThrow();
        });
    }

    private String leadName(long leadId) {
        return jdbc.query("select first_name, last_name from lead where id = ?", (rs, n) -> {
            String name = ((rs.getString("first_name") == null ? "" : rs.getString("first_name")) + " "
                    + (rs.getString("last_name") == null ? "" : rs.getString("last_name"))).strip();
            return name.isEmpty() ? "lead " + leadId : name;
        }, leadId).stream().findFirst().orElse("lead " + leadId);
    }
}
