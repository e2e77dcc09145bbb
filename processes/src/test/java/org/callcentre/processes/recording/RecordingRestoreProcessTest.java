package org.callcentre.processes.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.init;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.task;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.taskService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.formService;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.callcentre.processes.Groups;
import org.callcentre.processes.ProcessVariable;
import org.callcentre.processes.recording.RecordingRestoreProcess.Beans;
import org.callcentre.processes.recording.RecordingRestoreProcess.Elements;
import org.callcentre.processes.recording.RecordingRestoreProcess.Variables;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.form.validator.FormFieldValidationException;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.bpm.engine.test.mock.Mocks;
import org.camunda.community.process_test_coverage.junit5.platform7.ProcessEngineCoverageExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Runs {@code recording-restore.bpmn} with its delegate mocked: Admin Operations get a task named after the donor and
 * the day, with its Camunda Form; completing it with a location records it; a location the delegate refuses leaves
 * the task open.
 */
@Deployment(resources = {"bpmn/recording-restore.bpmn", "forms/recording-restore/recording-restore.form"})
class RecordingRestoreProcessTest {

    @RegisterExtension
    static final ProcessEngineCoverageExtension ENGINE = ProcessEngineCoverageExtension.builder()
            .assertClassCoverageAtLeast(1.0)
            .build();

    private static final String GOOD = "https://restores.example.org/call-centre/RE0123.wav";

    private final JavaDelegate recordLocation = mock(JavaDelegate.class);
    private final List<String> recorded = new ArrayList<>();

    @BeforeEach
    void registerDelegates() throws Exception {
        init(ENGINE.getProcessEngine());
        Mocks.register(Groups.BEAN, new Groups());
        Mocks.register(Beans.RECORD_LOCATION, recordLocation);
        doAnswer(call -> {
            DelegateExecution execution = call.getArgument(0);
            String location = Variables.RESTORED_LOCATION.get(execution);
            if (!location.startsWith("https://restores.example.org/")) {
                throw new FormFieldValidationException(Variables.RESTORED_LOCATION.name(), "not under the restore store");
            }
            recorded.add(location);
            return null;
        }).when(recordLocation).execute(any());
    }

    @AfterEach
    void reset() {
        Mocks.reset();
    }

    @Test
    void adminOperationsGetATaskNamedAfterTheDonorAndTheDay() {
        ProcessInstance pi = requested();

        assertThat(pi).isWaitingAt(Elements.RESTORE);
        Task restore = taskService().createTaskQuery().processInstanceId(pi.getId()).singleResult();
        assertThat(restore.getName()).isEqualTo("Call recording restore: Jane Donor, 2026-03-02");
        assertThat(restore).hasCandidateGroup(Groups.ADMIN_OPS).isNotAssigned();
        assertThat(formService().getTaskFormData(restore.getId()).getCamundaFormRef().getKey())
                .isEqualTo(RecordingRestoreProcess.FORM);
        verifyNoInteractions(recordLocation);

        taskService().complete(restore.getId(), Map.of(Variables.RESTORED_LOCATION.name(), GOOD));

        assertThat(recorded).containsExactly(GOOD);
        assertThat(pi).hasPassed(Elements.START, Elements.RESTORE, Elements.RECORD_LOCATION).isEnded()
                .hasPassed(Elements.END);
    }

    @Test
    void aLocationTheDelegateRefusesLeavesTheTaskOpen() {
        ProcessInstance pi = requested();
        String taskId = task(pi).getId();

        assertThatThrownBy(() -> formService().submitTaskForm(taskId,
                Map.of(Variables.RESTORED_LOCATION.name(), "http://169.254.169.254/latest/meta-data")))
                .isInstanceOf(FormFieldValidationException.class).hasMessageContaining("restore store");

        assertThat(pi).isWaitingAt(Elements.RESTORE);
        assertThat(recorded).isEmpty();
        formService().submitTaskForm(taskId, Map.of(Variables.RESTORED_LOCATION.name(), GOOD));
        assertThat(pi).isEnded();
        assertThat(recorded).containsExactly(GOOD);
    }

    private static ProcessInstance requested() {
        return runtimeService().startProcessInstanceByKey(RecordingRestoreProcess.PROCESS_KEY, "41",
                ProcessVariable.values()
                        .with(Variables.RESTORE_ID, 41L)
                        .with(Variables.RECORDING_ID, 7L)
                        .with(Variables.RECORDING_SID, "RE0123")
                        .with(Variables.LEAD_NAME, "Jane Donor")
                        .with(Variables.RECORDING_DATE, "2026-03-02")
                        .with(Variables.REQUESTED_BY, "agentadmin")
                        .asMap());
    }
}
