package org.callcentre.recording;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Resumes the recordings left paused after their card capture: a resume that failed when the donor came back, a
 * capture that ended without its return step (deleted in Cockpit, say), a start that rolled back after the pause.
 * Runs on every node every {@code app.recording.resume-sweep-interval}; a resume twice is harmless.
 */
public class RecordingResumeSweeper {

    private static final Logger log = LoggerFactory.getLogger(RecordingResumeSweeper.class);

    private final RecordingPauses pauses;

    public RecordingResumeSweeper(RecordingPauses pauses) {
        this.pauses = pauses;
    }

    @Scheduled(fixedDelayString = "${app.recording.resume-sweep-interval:PT5S}",
            initialDelayString = "${app.recording.resume-sweep-interval:PT5S}")
    public int sweep() {
        int resumed = pauses.resumeOverdue();
        if (resumed > 0) {
            log.info("Resumed {} call recordings left paused after card capture", resumed);
        }
        return resumed;
    }
}
