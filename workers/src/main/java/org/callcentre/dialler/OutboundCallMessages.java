package org.callcentre.dialler;

import org.callcentre.processes.dialler.OutboundCallProcess.Messages;
import org.camunda.bpm.engine.MismatchingMessageCorrelationException;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.RuntimeService;

/**
 * The one adapter that tells outbound-call instances about their call. The call's row (or its outcome) has been
 * written and committed first, so a message that finds no instance waiting loses nothing: the create job's catch-up
 * step or the reconcile timer reads the row, and a Talk task that has not started yet will not start once the outcome
 * is in. A message that races another job on the instance is tried again.
 */
public class OutboundCallMessages {

    private static final int ATTEMPTS = 3;

    private final RuntimeService runtime;

    public OutboundCallMessages(RuntimeService runtime) {
        this.runtime = runtime;
    }

    public void progressed(long callId) {
        correlate(Messages.CALL_PROGRESS, callId);
    }

    public void ended(long callId) {
        correlate(Messages.CALL_ENDED, callId);
    }

    /** The call's outcome was recorded through the API: its Talk task, if open, is closed. */
    public void outcomeRecorded(long callId) {
        correlate(Messages.OUTCOME_RECORDED, callId);
    }

    private void correlate(String message, long callId) {
        for (int attempt = 1; ; attempt++) {
            try {
                runtime.createMessageCorrelation(message).processInstanceBusinessKey(Long.toString(callId))
                        .correlateWithResult();
                return;
            } catch (MismatchingMessageCorrelationException notWaiting) {
                return;
            } catch (OptimisticLockingException raced) {
                if (attempt == ATTEMPTS) {
                    throw raced;
                }
            }
        }
    }
}
