package org.callcentre.callback;

import org.callcentre.processes.Groups;
import org.callcentre.processes.callback.CallbackProcess.Elements;
import org.callcentre.processes.callback.CallbackProcess.Variables;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.camunda.bpm.engine.task.Task;

/** The callback model's steps: each writes the callback's row through {@link Callbacks}. */
public final class CallbackSteps {

    private CallbackSteps() {
    }

    /** The due timer fired. */
    public static class MakeDue implements JavaDelegate {
        private final Callbacks callbacks;

        public MakeDue(Callbacks callbacks) {
            this.callbacks = callbacks;
        }

        @Override
        public void execute(DelegateExecution execution) {
            callbacks.makeDue(Variables.CALLBACK_ID.get(execution));
        }
    }

    /**
     * The owner did not take the Call Back Agent callback in time: the team may, and its task leaves the owner's list
     * for the team's (unassigned, offered to the team's group). Nothing changes if the owner took it meanwhile.
     */
    public static class OpenToTeam implements JavaDelegate {
        private final Callbacks callbacks;

        public OpenToTeam(Callbacks callbacks) {
            this.callbacks = callbacks;
        }

        @Override
        public void execute(DelegateExecution execution) {
            long id = Variables.CALLBACK_ID.get(execution);
            if (!callbacks.openToTeam(id)) {
                return;
            }
            Callback callback = callbacks.callback(id).orElseThrow();
            var tasks = execution.getProcessEngineServices().getTaskService();
            for (Task task : tasks.createTaskQuery().processInstanceId(execution.getProcessInstanceId())
                    .taskDefinitionKey(Elements.CALL_BACK_AGENT).list()) {
                tasks.addCandidateGroup(task.getId(), Groups.team(callback.teamId()));
                tasks.setAssignee(task.getId(), null);
            }
        }
    }

    /** The task was completed with a reason: the callback cannot be kept. The reason leaves the instance. */
    public static class RecordGivenUp implements JavaDelegate {
        private final Callbacks callbacks;

        public RecordGivenUp(Callbacks callbacks) {
            this.callbacks = callbacks;
        }

        @Override
        public void execute(DelegateExecution execution) {
            Object reason = execution.getVariable(Variables.GIVEN_UP_REASON.name());
            Authentication user = execution.getProcessEngineServices().getIdentityService().getCurrentAuthentication();
            callbacks.givenUp(Variables.CALLBACK_ID.get(execution), reason instanceof String text ? text : null,
                    user == null ? null : user.getUserId());
            execution.removeVariable(Variables.GIVEN_UP_REASON.name());
        }
    }

    /** Another call served the number. */
    public static class RecordNeglected implements JavaDelegate {
        private final Callbacks callbacks;

        public RecordNeglected(Callbacks callbacks) {
            this.callbacks = callbacks;
        }

        @Override
        public void execute(DelegateExecution execution) {
            callbacks.neglected(Variables.CALLBACK_ID.get(execution));
        }
    }

    /** Names the task after the person ("Call back Jane Donor"), says when, where and why, and sets its due date. */
    public static class TaskCreated implements TaskListener {
        private final Callbacks callbacks;
        private final CallbackWords words;

        public TaskCreated(Callbacks callbacks, CallbackWords words) {
            this.callbacks = callbacks;
            this.words = words;
        }

        @Override
        public void notify(DelegateTask task) {
            Callback callback = callbacks.callback(Variables.CALLBACK_ID.get(task.getExecution())).orElseThrow();
            task.setName(words.taskName(callback));
            task.setDescription(words.taskDescription(callback));
            task.setDueDate(java.util.Date.from(callback.dueAt()));
        }
    }
}
