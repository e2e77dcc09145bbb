package org.callcentre.app.security;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.exception.NotFoundException;
import org.camunda.bpm.engine.exception.NullValueException;
import org.camunda.bpm.engine.form.CamundaFormRef;
import org.camunda.bpm.engine.form.TaskFormData;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cmd.GetCamundaFormDefinitionCmd;
import org.camunda.bpm.engine.repository.CamundaFormDefinition;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What the engine knows that {@link ProcessVariableGuard} needs: a task's form and whether a user is an
 * administrator. Asked as the system, whatever user the request thread carries: the guard decides before the engine
 * checks that user's permissions. A deployed form never changes, so each is read and parsed once per deployment.
 */
public class TaskForms {

    private static final String CAMUNDA_FORMS = "camunda-forms:";
    private static final String DEPLOYMENT = "deployment:";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Supplier<ProcessEngine> engine;
    /** Parsed forms by deployment id and resource name. */
    private final Map<String, TaskForm> byDeployedResource = new ConcurrentHashMap<>();

    /** @param engine the engine, asked for at the first request (the web server's filters are made before it) */
    public TaskForms(Supplier<ProcessEngine> engine) {
        this.engine = engine;
    }

    /** The form of the task, or empty if there is no such task (the engine then answers for itself). */
    public Optional<TaskForm> ofTask(String taskId) {
        try {
            return asSystem(() -> {
                if (engine.get().getTaskService().createTaskQuery().taskId(taskId).count() == 0) {
                    return Optional.empty();
                }
                // A task outside a process has no form data.
                TaskFormData data = engine.get().getFormService().getTaskFormData(taskId);
                return Optional.of(data == null ? TaskForm.NONE : formOf(data));
            });
        } catch (NullValueException | NotFoundException ended) {
            // Completed or closed by its process between the two looks: there is no such task now.
            return Optional.empty();
        } catch (RuntimeException failed) {
            // The engine reads the task, then its execution: a process ended between the two (a ticket closed while
            // its Tasklist form is submitted) fails inside the engine. A task that is gone now is no such task.
            if (asSystem(() -> engine.get().getTaskService().createTaskQuery().taskId(taskId).count()) == 0) {
                return Optional.empty();
            }
            throw failed;
        }
    }

    /** Whether the user is one of the engine's administrators (its admin users, or in one of its admin groups). */
    public boolean isAdministrator(String userId) {
        ProcessEngineConfigurationImpl configuration = configuration();
        if (configuration.getAdminUsers() != null && configuration.getAdminUsers().contains(userId)) {
            return true;
        }
        Collection<String> adminGroups = configuration.getAdminGroups() == null ? List.of()
                : configuration.getAdminGroups();
        return asSystem(() -> engine.get().getIdentityService().createGroupQuery().groupMember(userId).list()
                .stream().map(Group::getId).anyMatch(adminGroups::contains));
    }

    private TaskForm formOf(TaskFormData data) {
        CamundaFormRef ref = data.getCamundaFormRef();
        String formKey = data.getFormKey();
        if (ref != null && ref.getKey() != null) {
            CamundaFormDefinition definition = configuration().getCommandExecutorTxRequired()
                    .execute(new GetCamundaFormDefinitionCmd(ref, data.getDeploymentId()));
            return definition == null ? TaskForm.NONE
                    : camundaForm(definition.getDeploymentId(), definition.getResourceName());
        }
        if (formKey != null && formKey.startsWith(CAMUNDA_FORMS + DEPLOYMENT)) {
            return camundaForm(data.getDeploymentId(), formKey.substring((CAMUNDA_FORMS + DEPLOYMENT).length()));
        }
        if (formKey == null && data.getFormFields() != null && !data.getFormFields().isEmpty()) {
            return TaskForm.ofFormFields(data.getFormFields());
        }
        // No form, or one whose fields cannot be read here (an embedded or external form): no variables.
        return TaskForm.NONE;
    }

    private TaskForm camundaForm(String deploymentId, String resourceName) {
        return byDeployedResource.computeIfAbsent(deploymentId + "/" + resourceName, key -> {
            try (InputStream schema = engine.get().getRepositoryService().getResourceAsStream(deploymentId, resourceName)) {
                return TaskForm.ofCamundaForm(JSON.readTree(schema));
            } catch (IOException e) {
                throw new UncheckedIOException("form " + resourceName + " of deployment " + deploymentId, e);
            }
        });
    }

    private ProcessEngineConfigurationImpl configuration() {
        return (ProcessEngineConfigurationImpl) engine.get().getProcessEngineConfiguration();
    }

    private <T> T asSystem(Callable<T> lookup) {
        return configuration().getCommandExecutorTxRequired()
                .execute(commandContext -> commandContext.runWithoutAuthorization(lookup));
    }
}
