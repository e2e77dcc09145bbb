package org.callcentre.callback;

import java.time.Duration;
import java.util.Date;

import org.callcentre.callback.Callback.Status;
import org.callcentre.processes.Groups;
import org.callcentre.processes.callback.CallbackProcess;
import org.callcentre.processes.callback.CallbackProcess.Result;
import org.camunda.bpm.engine.delegate.DelegateExecution;

/**
 * What {@code bpmn/callback.bpmn} reads, all from the callback's row (found by the instance's business key, the
 * callback's id), never from a variable.
 */
public class CallbackFacts {

    private final Callbacks callbacks;

    public CallbackFacts(Callbacks callbacks) {
        this.callbacks = callbacks;
    }

    /** The due timer's date. */
    public Date dueAt(DelegateExecution execution) {
        return Date.from(callback(execution).dueAt());
    }

    /** {@code AGENT} or {@code QUEUE}. */
    public String mode(DelegateExecution execution) {
        return callback(execution).mode().name();
    }

    /** The Call Back Agent task's assignee. */
    public String owner(DelegateExecution execution) {
        return callback(execution).ownerUserId();
    }

    /** The engine group of the callback's team: its Call Back Queue task's candidates. */
    public String teamGroup(DelegateExecution execution) {
        return Groups.team(callback(execution).teamId());
    }

    /** How long an untouched Call Back Agent callback waits for its owner before the team may take it. */
    public String openToTeamAfter(DelegateExecution execution) {
        return Duration.ofMinutes(callbacks.properties().openToTeamAfterMinutes()).toString();
    }

    /** What follows the call that served it: the row's status after the call's outcome. */
    public String result(DelegateExecution execution) {
        Status status = callback(execution).status();
        return switch (status) {
            case DONE -> Result.DONE.name();
            case SCHEDULED -> Result.RETRY.name();
            case FAILED -> Result.FAILED.name();
            default -> throw new IllegalStateException("callback " + execution.getProcessBusinessKey() + " is "
                    + status + " after a call");
        };
    }

    private Callback callback(DelegateExecution execution) {
        long id = CallbackProcess.Variables.CALLBACK_ID.get(execution);
        return callbacks.callback(id).orElseThrow(() -> new IllegalStateException("there is no callback " + id));
    }
}
