package org.callcentre.processes.recording;

/**
 * Everything code and tests need to know about {@code bpmn/recording-archive.bpmn}: once a day a timer starts an
 * instance, whose one task archives the call recordings older than the configured age. Each run is an instance an
 * administrator sees in Cockpit (its history says when the archive last ran, an incident when it failed). The
 * instance carries no variables: what is archived is decided from the recordings' table and the clock.
 */
public final class RecordingArchiveProcess {

    private RecordingArchiveProcess() {
    }

    public static final String PROCESS_KEY = "recording-archive";

    /** Element ids. */
    public static final class Elements {
        private Elements() {
        }

        public static final String START = "Timer_Daily";
        public static final String ARCHIVE = "Task_ArchiveRecordings";
        public static final String END = "EndEvent_RecordingsArchived";
    }

    /** Delegate bean names the model refers to with {@code camunda:delegateExpression}. */
    public static final class Beans {
        private Beans() {
        }

        public static final String ARCHIVE = "archiveRecordingsDelegate";
    }
}
