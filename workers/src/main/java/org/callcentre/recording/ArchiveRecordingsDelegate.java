package org.callcentre.recording;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Archives the recordings older than {@code app.recording.archive-after}: they play again only once restored. */
public class ArchiveRecordingsDelegate implements JavaDelegate {

    private static final Logger log = LoggerFactory.getLogger(ArchiveRecordingsDelegate.class);

    private final CallRecordings recordings;
    private final RecordingProperties properties;
    private final Clock clock;

    public ArchiveRecordingsDelegate(CallRecordings recordings, RecordingProperties properties, Clock clock) {
        this.recordings = recordings;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public void execute(DelegateExecution execution) {
        Instant cutoff = clock.instant().atOffset(ZoneOffset.UTC).minus(properties.archiveAfter()).toInstant();
        int archived = recordings.archiveStartedBefore(cutoff);
        log.info("Archived {} call recordings that started before {}", archived, cutoff);
    }
}
