package org.callcentre.callback;

import org.callcentre.processes.callback.CallbackProcess.Messages;
import org.callcentre.processes.engine.AsSystem;
import org.camunda.bpm.engine.MismatchingMessageCorrelationException;
import org.camunda.bpm.engine.ProcessEngine;

/**
 * Tells a callback's instance what its row now says, in the caller's transaction, as the system: the callback's
 * rules were checked by the application, and the user whose request this is (an agent completing a Tasklist task of
 * another process, say) holds no permission on the callback's instance.
 */
public class CallbackMessages {

    private final ProcessEngine engine;

    public CallbackMessages(ProcessEngine engine) {
        this.engine = engine;
    }

    public void rescheduled(String processInstanceId) {
        correlate(Messages.RESCHEDULED, processInstanceId);
    }

    public void cancelled(String processInstanceId) {
        correlate(Messages.CANCELLED, processInstanceId);
    }

    public void callEnded(String processInstanceId) {
        correlate(Messages.CALL_ENDED, processInstanceId);
    }

    public void callerServed(String processInstanceId) {
        correlate(Messages.CALLER_SERVED, processInstanceId);
    }

    /**
     * Correlates to the one instance; the row was changed first, in this transaction, so an instance not waiting for
     * the message is a contradiction and the whole change is undone.
     */
    private void correlate(String message, String processInstanceId) {
        AsSystem.correlate(engine, message, processInstanceId);
    }

    /** Whether the instance waits for nothing this message could reach (for callers that may meet that). */
    static boolean notWaiting(RuntimeException e) {
        return e instanceof MismatchingMessageCorrelationException;
    }
}
