package org.callcentre.app.security;

import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;

/**
 * The engine's permissions on tasks and variables, set before the engine is built:
 * <ul>
 * <li>a task's assignee and candidates get {@code TASK_WORK} (read, claim, complete) on it instead of
 * {@code UPDATE}, which would also let them set any of its variables, change its assignee or delete it;</li>
 * <li>specific variable permissions are enforced: reading variables needs {@code READ_VARIABLE} on the task or
 * {@code READ_INSTANCE_VARIABLE} / {@code READ_HISTORY_VARIABLE} on the process definition, which no role is
 * granted; reading a process instance or its history does not include its variables. The engine gives a task's
 * assignee and candidates {@code READ_VARIABLE} on that task, so Tasklist can still load a form
 * ({@link ProcessVariableGuard} limits that to what the form shows).</li>
 * </ul>
 */
public class EngineAuthorizationSettings extends AbstractProcessEnginePlugin {

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        configuration.setDefaultUserPermissionNameForTask(Permissions.TASK_WORK.getName());
        configuration.setEnforceSpecificVariablePermission(true);
    }
}
