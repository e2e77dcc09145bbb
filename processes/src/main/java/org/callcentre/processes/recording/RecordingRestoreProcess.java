package org.callcentre.processes.recording;

import java.util.List;

import org.callcentre.processes.ProcessVariable;

/**
 * Everything code and tests need to know about {@code bpmn/recording-restore.bpmn}: someone asked for an archived call
 * recording back, and Admin Operations get a Tasklist task to put its audio back and say where. The business key is
 * the restore request's id (its row in {@code call_recording_restore}); the delegates find the request by the
 * process instance id, never by a variable, since a user with the task can write variables. Only
 * {@code restoredLocation} is the form's to set, and it is checked against the configured base in the transaction that
 * completes the task.
 */
public final class RecordingRestoreProcess {

    private RecordingRestoreProcess() {
    }

    public static final String PROCESS_KEY = "recording-restore";
    /** The task's Camunda Form ({@code forms/recording-restore/recording-restore.form}). */
    public static final String FORM = "recording-restore";

    /** Element ids. */
    public static final class Elements {
        private Elements() {
        }

        public static final String START = "StartEvent_RestoreRequested";
        public static final String RESTORE = "UserTask_RestoreRecording";
        public static final String RECORD_LOCATION = "Task_RecordRestoredLocation";
        public static final String END = "EndEvent_RecordingRestored";
    }

    /** Process variables: what the task shows, and the one field its form sets. */
    public static final class Variables {
        private Variables() {
        }

        /** The restore request's id (also the business key). */
        public static final ProcessVariable<Long> RESTORE_ID = ProcessVariable.longValue("restoreId");
        public static final ProcessVariable<Long> RECORDING_ID = ProcessVariable.longValue("recordingId");
        /** Twilio's sid of the recording: what operations look it up by in the archive. */
        public static final ProcessVariable<String> RECORDING_SID = ProcessVariable.string("recordingSid");
        /** The donor's name, for the task's name. */
        public static final ProcessVariable<String> LEAD_NAME = ProcessVariable.string("leadName");
        /** The day the recording was made (yyyy-MM-dd, UTC), for the task's name. */
        public static final ProcessVariable<String> RECORDING_DATE = ProcessVariable.string("recordingDate");
        /** Who asked for it. */
        public static final ProcessVariable<String> REQUESTED_BY = ProcessVariable.string("requestedBy");
        /** Set by the task's form: the URL the audio was put back at. */
        public static final ProcessVariable<String> RESTORED_LOCATION = ProcessVariable.string("restoredLocation");

        public static final List<ProcessVariable<?>> ALL = List.of(RESTORE_ID, RECORDING_ID, RECORDING_SID, LEAD_NAME,
                RECORDING_DATE, REQUESTED_BY, RESTORED_LOCATION);
    }

    /** Delegate bean names the model refers to with {@code camunda:delegateExpression}. */
    public static final class Beans {
        private Beans() {
        }

        /**
         * Checks the submitted location and records it, synchronously after the task: a location it refuses makes the
         * task's completion fail (the REST API answers 400), so the task stays open.
         */
        public static final String RECORD_LOCATION = "recordRestoredLocationDelegate";
    }
}
