package org.callcentre.dialler;

import org.callcentre.problem.RefusedException;
import org.callcentre.processes.dialler.OutboundCallProcess.Variables;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * When the Talk task completes: first takes the call's row lock, which the console's outcome takes too, both to
 * record it and to close this task, and looks again whether the task still exists. After the lock it either finds the
 * task gone (a 409: the console was first) or holds the call until it commits (the console then meets the one-outcome
 * rule). A completion through the engine's HTTP doors has taken the same lock before the engine loaded anything
 * ({@code TaskCompletionLocks}); this covers a completion through the engine's Java API. Then tells the record step
 * who completed it: the task's assignee, as a transient variable (never stored), set after the form's values so
 * that a form cannot name someone else.
 */
public class TalkCompletedListener implements TaskListener {

    private final JdbcTemplate jdbc;
    private final OutboundCalls calls;

    public TalkCompletedListener(JdbcTemplate jdbc, OutboundCalls calls) {
        this.jdbc = jdbc;
        this.calls = calls;
    }

    @Override
    public void notify(DelegateTask task) {
        // The call from our table, not from a variable.
        if (calls.lockOfProcess(task.getProcessInstanceId()).isPresent() && jdbc.queryForObject("select count(*) from act_ru_task where id_ = ?", Integer.class,
                task.getId()) == 0) {
            throw RefusedException.conflict("this call's outcome was already recorded on the console, which closed "
                    + "the task");
        }
        task.getExecution().setVariable(Variables.TALKED_BY.name(),
                org.camunda.bpm.engine.variable.Variables.stringValue(task.getAssignee(), true));
    }
}
