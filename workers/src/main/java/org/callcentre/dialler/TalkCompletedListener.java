package org.callcentre.dialler;

import java.util.List;
import org.callcentre.problem.RefusedException;
import org.callcentre.processes.dialler.OutboundCallProcess.Variables;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * When the Talk task completes: first takes the call's row lock, which the console's outcome takes too, both to
 * record it and to close this task, and looks again whether the task still exists. A completion that loaded the task
 * before the console's close committed would otherwise go on with an execution that is gone. After the lock it either
 * finds the task gone (a 409: the console was first) or holds the call until it commits (the console then meets the
 * one-outcome rule). Then tells the record step who completed it: the task's assignee, as a transient variable
 * (never stored), set after the form's values so that a form cannot name someone else.
 */
public class TalkCompletedListener implements TaskListener {

    private final JdbcTemplate jdbc;

    public TalkCompletedListener(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void notify(DelegateTask task) {
        // The call from our table, not from a variable.
        List<Long> calls = jdbc.queryForList("select id from outbound_call where process_instance_id = ? for update",
                Long.class, task.getProcessInstanceId());
        if (!calls.isEmpty() && jdbc.queryForObject("select count(*) from act_ru_task where id_ = ?", Integer.class,
                task.getId()) == 0) {
            throw RefusedException.conflict("this call's outcome was already recorded on the console, which closed "
                    + "the task");
        }
        task.getExecution().setVariable(Variables.TALKED_BY.name(),
                org.camunda.bpm.engine.variable.Variables.stringValue(task.getAssignee(), true));
    }
}
