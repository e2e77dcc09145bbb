package org.callcentre.dialler;

import java.util.Arrays;
import java.util.Optional;

import org.callcentre.dialler.TalkFollowUp.CallbackRequest;
import org.callcentre.problem.RefusedException;
import org.callcentre.processes.ProcessVariable;
import org.callcentre.processes.dialler.OutboundCallProcess.Variables;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

/**
 * Records the outcome the agent gave in the Talk task's form ({@link CallOutcomes#recordFromTalk}), with the task's
 * assignee as the user; with the outcome Call back and the form's callback fields, then schedules that callback
 * ({@link TalkFollowUp}), after the outcome so that a callback the call itself was serving is closed first. Then
 * removes the form's values from the instance: the outcome and the callback live in the application's tables. It
 * runs inside the task's completion, so a refusal (an outcome already recorded for the call, a lock the agent no
 * longer holds, a form that says two things, a callback the rules refuse) fails the completion with its problem
 * detail and nothing is recorded, the form's values included.
 */
public class RecordTalkOutcomeDelegate implements JavaDelegate {

    private final CallOutcomes outcomes;
    private final TalkFollowUp followUp;

    public RecordTalkOutcomeDelegate(CallOutcomes outcomes, TalkFollowUp followUp) {
        this.outcomes = outcomes;
        this.followUp = followUp;
    }

    @Override
    public void execute(DelegateExecution execution) {
        long callId = Variables.CALL_ID.get(execution);
        String user = Variables.TALKED_BY.get(execution);
        if (user == null || user.isBlank()) {
            throw RefusedException.conflict("the Talk task of call " + callId + " has no assignee: assign it to "
                    + "whoever talked to the donor, then complete it");
        }
        CallStatus status = outcome(text(execution, Variables.CALL_STATUS),
                Boolean.TRUE.equals(execution.getVariable(Variables.PLEDGE_TAKEN.name())));
        String note = text(execution, Variables.NOTE);
        outcomes.recordFromTalk(callId, status, note == null || note.isBlank() ? null : note, user);
        if (status == CallStatus.CALL_BACK) {
            callback(execution).ifPresent(request -> followUp.callBack(callId, request, user));
        }
        execution.removeVariables(Variables.TALK_FORM.stream().map(ProcessVariable::name).toList());
    }

    /** The form's outcome: the chosen call status, or Pledge when a pledge was taken; both must agree. */
    static CallStatus outcome(String callStatus, boolean pledgeTaken) {
        if (callStatus == null || callStatus.isBlank()) {
            if (pledgeTaken) {
                return CallStatus.PLEDGE;
            }
            throw RefusedException.invalid("say how the call went: choose a call status, or tick 'A pledge was "
                    + "taken'");
        }
        CallStatus status = Arrays.stream(CallStatus.values()).filter(s -> s.name().equals(callStatus)).findFirst()
                .orElseThrow(() -> RefusedException.invalid("callStatus must be one of "
                        + Arrays.toString(CallStatus.values())));
        if (pledgeTaken && status != CallStatus.PLEDGE) {
            throw RefusedException.unprocessable("a pledge was taken, so the call's outcome is Pledge, not "
                    + CallOutcomes.words(status) + ": untick 'A pledge was taken' or choose Pledge");
        }
        return status;
    }

    /**
     * The callback the form asks for, if it gives any of its fields. The form shows them only with Call back; with
     * another outcome they are not read. Without any (a client that sends the status alone) the outcome is recorded
     * without a callback, as the API's is.
     */
    static Optional<CallbackRequest> callback(DelegateExecution execution) {
        if (Variables.CALLBACK_FORM.stream().allMatch(field -> execution.getVariable(field.name()) == null)) {
            return Optional.empty();
        }
        Object override = execution.getVariable(Variables.CALLBACK_OVERRIDE_CALLING_HOURS.name());
        if (override != null && !(override instanceof Boolean)) {
            throw RefusedException.invalid(Variables.CALLBACK_OVERRIDE_CALLING_HOURS.name() + " must be true or false");
        }
        return Optional.of(new CallbackRequest(text(execution, Variables.CALLBACK_DUE_AT),
                text(execution, Variables.CALLBACK_TIME_ZONE), text(execution, Variables.CALLBACK_REASON),
                text(execution, Variables.CALLBACK_MODE), Boolean.TRUE.equals(override)));
    }

    /** A form value that must be text; anything else sent for it is refused, not cast. */
    private static String text(DelegateExecution execution, ProcessVariable<String> variable) {
        Object value = execution.getVariable(variable.name());
        if (value != null && !(value instanceof String)) {
            throw RefusedException.invalid(variable.name() + " must be text");
        }
        return (String) value;
    }
}
