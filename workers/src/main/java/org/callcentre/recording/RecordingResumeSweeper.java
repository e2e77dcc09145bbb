package org.callcentre.recording;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;

/**
 * Resumes the recordings left paused after their card capture: a resume that failed when the donor came back, a
 * capture that ended without its return step (deleted in Cockpit, say), a start that rolled back after the pause.
 * Runs every {@code app.recording.resume-sweep-interval} on one node of the cluster at a time; a resume twice would
 * be harmless.
 */
public class RecordingResumeSweeper {

    private static final Logger log = LoggerFactory.getLogger(RecordingResumeSweeper.class);

    private final RecordingPauses pauses;

    public RecordingResumeSweeper(RecordingPauses pauses) {
        this.pauses = pauses;
    }

    /**
     * A query and a Twilio request per recording left paused, seconds: ten minutes covers any run, and is as long as
     * a node that dies holding the lock holds up the sweep. Held at least half the default interval, so the nodes do
     * not sweep one right after another.
     */
    @Scheduled(fixedDelayString = "${app.recording.resume-sweep-interval:PT5S}",
            initialDelayString = "${app.recording.resume-sweep-interval:PT5S}")
    @SchedulerLock(name = "recording-resume-sweep", lockAtMostFor = "PT10M", lockAtLeastFor = "PT2S")
    public void scheduledSweep() {
        sweep();
    }

    public int sweep() {
        int resumed = pauses.resumeOverdue();
        if (resumed > 0) {
            log.info("Resumed {} call recordings left paused after card capture", resumed);
        }
        return resumed;
    }
}
