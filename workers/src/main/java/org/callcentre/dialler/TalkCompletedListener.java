package org.callcentre.dialler;

import org.callcentre.processes.dialler.OutboundCallProcess.Variables;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;

/**
 * When the Talk task completes, tells the record step who completed it: the task's assignee, as a transient variable
 * (never stored), set after the form's values so that a form cannot name someone else.
 */
public class TalkCompletedListener implements TaskListener {

    @Override
    public void notify(DelegateTask task) {
        task.getExecution().setVariable(Variables.TALKED_BY.name(),
                org.camunda.bpm.engine.variable.Variables.stringValue(task.getAssignee(), true));
    }
}
