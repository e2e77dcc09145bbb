package org.callcentre.recording;

import java.util.ArrayList;
import java.util.List;

import org.callcentre.problem.RefusedException;
import org.callcentre.recording.CallRecordings.Paused;
import org.callcentre.telephony.TwilioCalls;
import org.callcentre.telephony.TwilioCalls.RecordingNotActiveException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Card details never land in a call recording. Before a card capture starts on a recorded call, every recording of
 * the call is paused at Twilio ({@code PauseBehavior=skip}: what is said meanwhile is left out of the file), in the
 * request that starts the capture, so nothing of the IVR is recorded; if Twilio cannot pause it, the capture does not
 * start. Once the donor is on the way back to the agent the recording runs again; a resume that fails is tried again
 * by {@link RecordingResumeSweeper} and never holds up the donor's return.
 *
 * <p>A call placed without recording needs no pause. A call placed with recording whose recording Twilio has not
 * reported yet (it starts when the donor answers, and its first callback follows at once) is refused: it might be
 * recording, and there is no sid to pause.
 */
public class RecordingPauses {

    private static final Logger log = LoggerFactory.getLogger(RecordingPauses.class);

    private final CallRecordings recordings;
    private final TwilioCalls twilio;
    private final TransactionTemplate ownTransaction;

    public RecordingPauses(CallRecordings recordings, TwilioCalls twilio, PlatformTransactionManager transactions) {
        this.recordings = recordings;
        this.twilio = twilio;
        this.ownTransaction = new TransactionTemplate(transactions);
        ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /**
     * Pauses the call's recordings for the capture, in the caller's transaction (the capture's start). If that
     * transaction rolls back, the recordings are resumed, or left to the sweeper.
     *
     * @throws RefusedException (conflict) when the call records but its recording is not known yet; (unavailable)
     *                          when Twilio could not pause it. Nothing was changed: a recording paused before the
     *                          failure is resumed again.
     */
    public void pauseForCardCapture(String callSid, String captureId) {
        if (!recordings.callRecorded(callSid)) {
            return;
        }
        List<String> running = recordings.runningOf(callSid);
        if (running.isEmpty() && !recordings.anyOf(callSid)) {
            throw new RefusedException(RefusedException.Reason.CONFLICT, "call " + callSid + " is recorded and Twilio "
                    + "has not reported its recording yet, so it cannot be paused for the card details; try again in "
                    + "a moment");
        }
        List<String> paused = new ArrayList<>();
        for (String recordingSid : running) {
            try {
                twilio.pauseRecording(callSid, recordingSid);
            } catch (RecordingNotActiveException ended) {
                continue;
            } catch (RuntimeException failed) {
                log.warn("Recording {} of call {} could not be paused for card capture {} ({}); the capture does not "
                        + "start", recordingSid, callSid, captureId, failed.getMessage());
                paused.forEach(sid -> resumeQuietly(new Paused(sid, callSid, captureId)));
                throw new RefusedException(RefusedException.Reason.UNAVAILABLE, "the call's recording could not be "
                        + "paused, so card capture did not start (card details are never recorded); try again in a "
                        + "moment");
            }
            paused.add(recordingSid);
            recordings.pausedFor(recordingSid, captureId);
        }
        if (!paused.isEmpty() && TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    if (status != STATUS_COMMITTED) {
                        resumeAfterRollback(callSid, captureId, paused);
                    }
                }
            });
        }
    }

    /**
     * The donor is on the way back to the agent (or gone): every recording paused for the capture records again. A
     * failure is logged and left to the sweeper; this never throws.
     */
    public void resumeAfterCardCapture(String captureId) {
        List<Paused> paused;
        try {
            paused = recordings.pausedFor(captureId);
        } catch (RuntimeException e) {
            log.warn("The recordings paused for card capture {} could not be read ({}); the sweeper resumes them",
                    captureId, e.getClass().getSimpleName());
            return;
        }
        paused.forEach(this::resumeQuietly);
    }

    /**
     * Resumes every recording still paused for a capture whose donor can no longer hear a card prompt (resumes that
     * failed, captures that ended without returning the donor, starts that rolled back); answers how many now run
     * again or turned out to have ended.
     */
    public int resumeOverdue() {
        int resumed = 0;
        for (Paused paused : recordings.pausedPastTheirCapture()) {
            if (resumeQuietly(paused)) {
                resumed++;
            }
        }
        return resumed;
    }

    private boolean resumeQuietly(Paused paused) {
        try {
            twilio.resumeRecording(paused.callSid(), paused.recordingSid());
        } catch (RecordingNotActiveException ended) {
            log.info("Recording {} of call {} has ended; nothing to resume after card capture {}",
                    paused.recordingSid(), paused.callSid(), paused.captureId());
        } catch (RuntimeException failed) {
            log.warn("Recording {} of call {} could not be resumed after card capture {} ({}); trying again later",
                    paused.recordingSid(), paused.callSid(), paused.captureId(), failed.getMessage());
            return false;
        }
        try {
            recordings.resumed(paused.recordingSid(), paused.captureId());
            return true;
        } catch (RuntimeException e) {
            log.warn("Recording {} runs again, but that could not be recorded ({}); the sweeper resumes it again",
                    paused.recordingSid(), e.getClass().getSimpleName());
            return false;
        }
    }

    /**
     * The capture's start rolled back after its recordings were paused: they are marked paused for a capture that
     * does not exist, in a transaction of their own, so that the sweeper resumes them whatever happens here, then
     * resumed at once.
     */
    private void resumeAfterRollback(String callSid, String captureId, List<String> paused) {
        for (String recordingSid : paused) {
            try {
                ownTransaction.executeWithoutResult(tx -> recordings.pausedFor(recordingSid, captureId));
            } catch (RuntimeException e) {
                log.error("Recording {} of call {} stays paused: card capture {} did not start and the pause could "
                        + "not be recorded ({})", recordingSid, callSid, captureId, e.getClass().getSimpleName());
            }
            ownTransaction.executeWithoutResult(tx -> resumeQuietly(new Paused(recordingSid, callSid, captureId)));
        }
    }
}
