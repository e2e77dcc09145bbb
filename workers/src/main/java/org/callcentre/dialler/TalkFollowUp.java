package org.callcentre.dialler;

/**
 * What follows the Talk task's outcome beyond the dialler: the callback the agent asked for in the form with the
 * outcome Call back. Callbacks are built on the dialler, so the dialler knows them only through this interface, which
 * the callbacks implement.
 */
public interface TalkFollowUp {

    /**
     * The form's callback fields as submitted, not yet checked: a local date-time, a zone (null or blank: the lead's),
     * why, and {@code AGENT} (Call Back Agent) or {@code QUEUE} (Call Back Queue).
     */
    record CallbackRequest(String dueAt, String timeZone, String reason, String mode, boolean overrideCallingHours) {
    }

    /**
     * Schedules the callback, promised on the call, to the number the call went to, by {@code userId} (who
     * completed the task). Runs in the task's completion, after the outcome was recorded: a refusal (a
     * {@code RefusedException}) refuses the completion, and nothing is recorded.
     */
    void callBack(long callId, CallbackRequest request, String userId);
}
