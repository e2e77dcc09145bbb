package org.callcentre.processes.dialler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.complete;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.execute;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.formService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.init;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.job;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.managementService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.task;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.taskService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.withVariables;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verifyNoInteractions;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;

import org.callcentre.processes.ProcessVariable;
import org.callcentre.processes.dialler.OutboundCallProcess.Beans;
import org.callcentre.processes.dialler.OutboundCallProcess.Elements;
import org.callcentre.processes.dialler.OutboundCallProcess.Errors;
import org.callcentre.processes.dialler.OutboundCallProcess.Failure;
import org.callcentre.processes.dialler.OutboundCallProcess.Forms;
import org.callcentre.processes.dialler.OutboundCallProcess.Messages;
import org.callcentre.processes.dialler.OutboundCallProcess.Variables;
import org.camunda.bpm.engine.MismatchingMessageCorrelationException;
import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.bpm.engine.test.mock.Mocks;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.BaseElement;
import org.camunda.community.process_test_coverage.junit5.platform7.ProcessEngineCoverageExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs {@code outbound-call.bpmn} on an in-memory engine with every delegate mocked: the create job and the catch-up
 * job executed one by one, Twilio's statuses as the listener correlates them (after writing the call's row, which the
 * {@link CallRow} stands in for), the reconcile timer fired by moving the clock. Once the donor is on the line the
 * agent's Talk task is completed as Tasklist does, or closed by the outcome recorded on the console, in either order
 * with the call's end. The coverage extension fails the build when these tests leave part of the model unexercised.
 */
@Deployment(resources = {"bpmn/outbound-call.bpmn", Forms.TALK_TO_DONOR_RESOURCE})
class OutboundCallProcessTest {

    private static final double MINIMUM_COVERAGE = 1.0;

    @RegisterExtension
    static final ProcessEngineCoverageExtension ENGINE = ProcessEngineCoverageExtension.builder()
            .assertClassCoverageAtLeast(MINIMUM_COVERAGE)
            .build();

    private static final long CALL_ID = 31L;
    private static final long LEAD_ID = 7L;
    private static final String AGENT_ID = "agent.amy";
    private static final String DONOR = "Jane Donor";

    private final JavaDelegate chooseCallerId = mock(JavaDelegate.class);
    private final JavaDelegate createCall = mock(JavaDelegate.class);
    private final JavaDelegate recordCallFailed = mock(JavaDelegate.class);
    private final JavaDelegate catchUp = mock(JavaDelegate.class);
    private final JavaDelegate reconcile = mock(JavaDelegate.class);
    private final JavaDelegate recordTalkOutcome = mock(JavaDelegate.class);
    private final CallRow row = new CallRow();
    private final List<Failure> recordedFailures = new ArrayList<>();
    /** What the record step was given: who completed the Talk task, and the form's values. */
    private final List<Map<String, Object>> talkOutcomes = new ArrayList<>();

    /**
     * The call's row and its outcome as the model's gateways and the Talk task read them: whether the call has ended,
     * whether the donor answered, and whether an outcome is recorded for the call.
     */
    public static final class CallRow {
        volatile boolean ended;
        volatile boolean connected;
        volatile boolean outcomeRecorded;

        public boolean ended(Long callId) {
            assertThat(callId).isEqualTo(CALL_ID);
            return ended;
        }

        public boolean talkNeeded(Long callId) {
            assertThat(callId).isEqualTo(CALL_ID);
            return connected && !outcomeRecorded;
        }

        public String agentOf(Long callId) {
            assertThat(callId).isEqualTo(CALL_ID);
            return AGENT_ID;
        }

        public String donorName(Long callId) {
            assertThat(callId).isEqualTo(CALL_ID);
            return DONOR;
        }
    }

    /** As the app's listener: the Talk task's assignee, handed to the record step as a transient variable. */
    private static final TaskListener TALK_COMPLETED = task -> task.getExecution().setVariable(
            Variables.TALKED_BY.name(), org.camunda.bpm.engine.variable.Variables.stringValue(task.getAssignee(), true));

    @BeforeEach
    void registerDelegates() throws Exception {
        init(ENGINE.getProcessEngine());
        ClockUtil.reset();
        Mocks.register(Beans.CHOOSE_CALLER_ID, chooseCallerId);
        Mocks.register(Beans.CREATE_CALL, createCall);
        Mocks.register(Beans.RECORD_CALL_FAILED, recordCallFailed);
        Mocks.register(Beans.CATCH_UP, catchUp);
        Mocks.register(Beans.RECONCILE, reconcile);
        Mocks.register(Beans.CALL_FACTS, row);
        Mocks.register(Beans.RECORD_TALK_OUTCOME, recordTalkOutcome);
        Mocks.register(Beans.TALK_COMPLETED, TALK_COMPLETED);
        doAnswer(call -> {
            DelegateExecution execution = call.getArgument(0);
            recordedFailures.add(Variables.FAILURE.getLocal(execution));
            return null;
        }).when(recordCallFailed).execute(any());
        doAnswer(call -> {
            DelegateExecution execution = call.getArgument(0);
            Map<String, Object> given = new java.util.HashMap<>();
            given.put(Variables.TALKED_BY.name(), Variables.TALKED_BY.get(execution));
            for (ProcessVariable<?> field : Variables.TALK_FORM) {
                if (execution.hasVariable(field.name())) {
                    given.put(field.name(), execution.getVariable(field.name()));
                }
            }
            talkOutcomes.add(given);
            row.outcomeRecorded = true;
            return null;
        }).when(recordTalkOutcome).execute(any());
    }

    @AfterEach
    void reset() {
        Mocks.reset();
        ClockUtil.reset();
    }

    /** Busy, no answer, a failed line: the donor never came to the phone, so there is nothing to talk about. */
    @Test
    void aCallThatNeverConnectsEndsWithoutATalkTask() throws Exception {
        ProcessInstance pi = placeCall();

        for (String status : List.of("queued", "initiated", "ringing")) {
            correlate(Messages.CALL_PROGRESS);
            assertThat(pi).as(status).isWaitingAt(Elements.AWAIT_STATUS);
        }
        row.ended = true;
        correlate(Messages.CALL_ENDED);

        assertThat(pi).isEnded().hasPassed(Elements.CALL_ENDED, Elements.END_CALL_ENDED)
                .hasNotPassed(Elements.TALK, Elements.RECONCILE, Elements.RECORD_CALL_REFUSED,
                        Elements.RECORD_NO_CALLER_ID);
        verify(chooseCallerId).execute(any());
        verify(createCall).execute(any());
        verify(catchUp).execute(any());
        verifyNoInteractions(recordCallFailed, reconcile, recordTalkOutcome);
    }

    /**
     * The donor answers: the agent gets "Talk to Jane Donor" with the outcome form, completes it as Tasklist does,
     * and the instance ends once the call has ended too.
     */
    @Test
    void theAgentTalksAndRecordsTheOutcomeInTasklist() throws Exception {
        ProcessInstance pi = donorOnTheLine();

        Task talk = task(Elements.TALK, pi);
        assertThat(talk.getName()).isEqualTo("Talk to " + DONOR);
        assertThat(talk).isAssignedTo(AGENT_ID);
        assertThat(formService().getTaskFormData(talk.getId()).getCamundaFormRef().getKey())
                .isEqualTo(Forms.TALK_TO_DONOR);
        assertThat(formService().getDeployedTaskForm(talk.getId())).isNotNull();
        assertThat(pi).isWaitingAt(Elements.TALK, Elements.AWAIT_END);

        formService().submitTaskForm(talk.getId(), withVariables(Variables.CALL_STATUS.name(), "NOT_INTERESTED",
                Variables.NOTE.name(), "gives elsewhere", Variables.PLEDGE_TAKEN.name(), false));

        assertThat(talkOutcomes).containsExactly(Map.of(Variables.TALKED_BY.name(), AGENT_ID,
                Variables.CALL_STATUS.name(), "NOT_INTERESTED", Variables.NOTE.name(), "gives elsewhere",
                Variables.PLEDGE_TAKEN.name(), false));
        assertThat(pi).hasPassed(Elements.RECORD_TALK_OUTCOME).isWaitingAt(Elements.RECORD_TALK_OUTCOME,
                Elements.AWAIT_END);
        execute(job(Elements.RECORD_TALK_OUTCOME, pi));
        assertThat(pi).isWaitingAt(Elements.AWAIT_END);
        assertThat(runtimeService().getVariable(pi.getId(), Variables.TALKED_BY.name())).as("never stored").isNull();

        row.ended = true;
        correlate(Messages.CALL_ENDED);

        assertThat(pi).isEnded().hasPassed(Elements.CONNECTED_CALL_ENDED, Elements.END_TALKED)
                .hasNotPassed(Elements.OUTCOME_RECORDED, Elements.END_CALL_ENDED);
    }

    /** The outcome recorded on the console first: the Talk task closes, and the form records nothing. */
    @Test
    void anOutcomeRecordedOnTheConsoleClosesTheTalkTask() throws Exception {
        ProcessInstance pi = donorOnTheLine();

        row.outcomeRecorded = true;
        correlate(Messages.OUTCOME_RECORDED);

        assertThat(taskService().createTaskQuery().processInstanceId(pi.getId()).count()).isZero();
        assertThat(pi).hasPassed(Elements.OUTCOME_RECORDED).isWaitingAt(Elements.AWAIT_END);
        row.ended = true;
        correlate(Messages.CALL_ENDED);

        assertThat(pi).isEnded().hasPassed(Elements.END_TALKED).hasNotPassed(Elements.RECORD_TALK_OUTCOME);
        verifyNoInteractions(recordTalkOutcome);
    }

    /**
     * The console recorded the outcome while the agent was submitting the form: the record step refuses (the
     * database allows one outcome per call), the completion fails and records nothing, and the console's message
     * closes the task.
     */
    @Test
    void aTalkTaskCompletedAfterTheConsoleRecordedFailsAndIsClosed() throws Exception {
        ProcessInstance pi = donorOnTheLine();
        row.outcomeRecorded = true;
        doThrow(new IllegalStateException("call 31 already has its outcome")).when(recordTalkOutcome).execute(any());

        String talk = task(Elements.TALK, pi).getId();
        assertThatThrownBy(() -> formService().submitTaskForm(talk, withVariables(Variables.CALL_STATUS.name(),
                "BUSY"))).hasMessageContaining("already has its outcome");
        assertThat(pi).isWaitingAt(Elements.TALK);
        assertThat(runtimeService().getVariable(pi.getId(), Variables.CALL_STATUS.name()))
                .as("the failed completion left nothing behind").isNull();

        correlate(Messages.OUTCOME_RECORDED);

        assertThat(taskService().createTaskQuery().taskId(talk).count()).isZero();
        assertThat(pi).hasPassed(Elements.OUTCOME_RECORDED).hasNotPassed(Elements.RECORD_TALK_OUTCOME);
    }

    /**
     * The outcome was recorded (on the console, say, while the phone still rang) before the donor was on the line:
     * no Talk task is created, and the call ends as any other.
     */
    @Test
    void anOutcomeRecordedBeforeTheDonorIsOnTheLineMeansNoTalkTask() {
        ProcessInstance pi = placeCall();
        row.outcomeRecorded = true;
        row.connected = true;

        correlate(Messages.CALL_PROGRESS);

        assertThat(pi).isWaitingAt(Elements.AWAIT_STATUS);
        assertThat(taskService().createTaskQuery().processInstanceId(pi.getId()).count()).isZero();
        row.ended = true;
        correlate(Messages.CALL_ENDED);
        assertThat(pi).isEnded().hasPassed(Elements.END_CALL_ENDED).hasNotPassed(Elements.TALK);
    }

    /** The call ends first: the task stays until the agent says how it went, and only then does the instance end. */
    @Test
    void aCallThatEndedKeepsItsTalkTaskUntilTheOutcomeIsIn() throws Exception {
        ProcessInstance pi = donorOnTheLine();

        row.ended = true;
        correlate(Messages.CALL_ENDED);
        ClockUtil.setCurrentTime(new Date(ClockUtil.getCurrentTime().getTime() + 24 * 3_600_000L));
        assertThat(managementService().createJobQuery().processInstanceId(pi.getId()).count())
                .as("nothing closes the task but an outcome").isZero();
        assertThat(pi).isWaitingAt(Elements.TALK);

        complete(task(Elements.TALK, pi), withVariables(Variables.CALL_STATUS.name(), "CALL_BACK"));
        execute(job(Elements.RECORD_TALK_OUTCOME, pi));

        assertThat(pi).isEnded().hasPassed(Elements.RECORD_TALK_OUTCOME, Elements.END_TALKED);
        assertThat(talkOutcomes).hasSize(1);
    }

    /**
     * Twilio's in-progress and completed both arrived while the create job was committing: the catch-up finds a call
     * the donor answered and that is over, with no outcome. The agent still says how it went.
     */
    @Test
    void aCallAnsweredAndOverBeforeTheInstanceHeardOfItStillHasItsTalkTask() throws Exception {
        ProcessInstance pi = start();
        execute(job(Elements.CREATE_CALL, pi));
        doAnswer(call -> {
            row.connected = true;
            row.ended = true;
            return null;
        }).when(catchUp).execute(any());
        execute(job(Elements.CATCH_UP, pi));

        assertThat(pi).hasPassed(Elements.DONOR_ON_THE_LINE, Elements.CONNECTED_CALL_OVER)
                .isWaitingAt(Elements.TALK, Elements.TALK_OVER);
        complete(task(Elements.TALK, pi), withVariables(Variables.PLEDGE_TAKEN.name(), true));
        execute(job(Elements.RECORD_TALK_OUTCOME, pi));

        assertThat(pi).isEnded().hasPassed(Elements.END_TALKED).hasNotPassed(Elements.AWAIT_END);
    }

    /** While the agent talks, a minute without news still reconciles the call, and finds its lost end. */
    @Test
    void theReconcileTimerFollowsAConnectedCallToItsEnd() throws Exception {
        ProcessInstance pi = donorOnTheLine();

        fireReconcileTimer();
        assertThat(pi).hasPassed(Elements.CONNECTED_RECONCILE).isWaitingAt(Elements.TALK, Elements.AWAIT_END);

        doAnswer(call -> {
            row.ended = true;
            return null;
        }).when(reconcile).execute(any());
        fireReconcileTimer();
        assertThat(pi).isWaitingAt(Elements.TALK, Elements.TALK_OVER).hasNotPassed(Elements.CONNECTED_CALL_ENDED);

        complete(task(Elements.TALK, pi), withVariables(Variables.CALL_STATUS.name(), "PLEDGE",
                Variables.PLEDGE_TAKEN.name(), true));
        execute(job(Elements.RECORD_TALK_OUTCOME, pi));
        assertThat(pi).isEnded().hasPassed(Elements.END_TALKED);
        verify(reconcile, times(2)).execute(any());
        verify(recordTalkOutcome).execute(any());
        verify(recordCallFailed, never()).execute(any());
    }

    /** The listener ignores a repeated or older callback; a repeated progress message only waits again. */
    @Test
    void aRepeatedProgressMessageOnlyWaitsAgain() {
        ProcessInstance pi = placeCall();

        correlate(Messages.CALL_PROGRESS);
        correlate(Messages.CALL_PROGRESS);

        assertThat(pi).isWaitingAt(Elements.AWAIT_STATUS);
        row.ended = true;
        correlate(Messages.CALL_ENDED);
        assertThat(pi).isEnded().hasPassed(Elements.END_CALL_ENDED);
    }

    /** After the end, a late or repeated callback finds no instance; the adapter answers it from the row. */
    @ParameterizedTest
    @ValueSource(strings = {Messages.CALL_PROGRESS, Messages.CALL_ENDED, Messages.OUTCOME_RECORDED})
    void aCallbackAfterTheEndFindsNoInstance(String message) {
        ProcessInstance pi = placeCall();
        row.ended = true;
        correlate(Messages.CALL_ENDED);
        assertThat(pi).isEnded();

        assertThatThrownBy(() -> correlate(message)).isInstanceOf(MismatchingMessageCorrelationException.class);
    }

    /**
     * Twilio calls back while the create job's transaction is still open: the end is written to the row (by sid, after
     * the catch-up applies it) but its message finds the instance in the create job. The catch-up step ends it.
     */
    @Test
    void anEndHeardBeforeTheCreateCommittedIsCaughtUp() throws Exception {
        ProcessInstance pi = start();
        assertThat(pi).isWaitingAt(Elements.CREATE_CALL);
        assertThatThrownBy(() -> correlate(Messages.CALL_ENDED))
                .isInstanceOf(MismatchingMessageCorrelationException.class);

        execute(job(Elements.CREATE_CALL, pi));
        doAnswer(call -> {
            row.ended = true;
            return null;
        }).when(catchUp).execute(any());
        execute(job(Elements.CATCH_UP, pi));

        assertThat(pi).isEnded().hasPassed(Elements.CATCH_UP, Elements.END_CALL_ENDED)
                .hasNotPassed(Elements.CALL_ENDED, Elements.AWAIT_STATUS);
    }

    @Test
    void noCallerIdEndsFailedWithoutCallingTwilio() throws Exception {
        doThrow(new BpmnError(Errors.NO_CALLER_ID)).when(chooseCallerId).execute(any());

        ProcessInstance pi = start();

        assertThat(pi).isEnded().hasPassed(Elements.NO_CALLER_ID, Elements.RECORD_NO_CALLER_ID,
                Elements.END_NO_CALLER_ID).hasNotPassed(Elements.CREATE_CALL);
        assertThat(recordedFailures).containsExactly(Failure.NO_CALLER_ID);
        verifyNoInteractions(createCall, catchUp);
    }

    /** An invalid number, an unverified caller ID: the record task marks the number from the call's row. */
    @Test
    void aCallTwilioRefusesEndsFailed() throws Exception {
        doThrow(new BpmnError(Errors.CALL_REFUSED, "21211 Invalid 'To' Phone Number")).when(createCall).execute(any());
        ProcessInstance pi = start();

        execute(job(Elements.CREATE_CALL, pi));

        assertThat(pi).isEnded().hasPassed(Elements.CALL_REFUSED, Elements.RECORD_CALL_REFUSED,
                Elements.END_CALL_REFUSED).hasNotPassed(Elements.CATCH_UP);
        assertThat(recordedFailures).containsExactly(Failure.REFUSED_BY_TWILIO);
        verifyNoInteractions(catchUp);
    }

    /** Twilio unreachable: the job is retried three times, then an incident waits for an operator. */
    @Test
    void aTechnicalFailureIsRetriedThenBecomesAnIncident() throws Exception {
        doThrow(new IllegalStateException("Twilio could not be reached")).when(createCall).execute(any());
        ProcessInstance pi = start();

        for (int attempt = 0; attempt < 3; attempt++) {
            Job job = job(Elements.CREATE_CALL, pi);
            assertThatThrownBy(() -> execute(job)).isInstanceOf(IllegalStateException.class);
        }

        assertThat(job(Elements.CREATE_CALL, pi).getRetries()).isZero();
        assertThat(runtimeService().createIncidentQuery().processInstanceId(pi.getId()).count()).isEqualTo(1);
        verify(createCall, times(3)).execute(any());
        verifyNoInteractions(recordCallFailed);
    }

    /** A minute without news: the reconcile step looks at the row; the call goes on, and later it has ended. */
    @Test
    void theReconcileTimerEndsACallWhoseEndMessageWasLost() throws Exception {
        ProcessInstance pi = placeCall();

        fireReconcileTimer();
        assertThat(pi).hasPassed(Elements.RECONCILE).isWaitingAt(Elements.AWAIT_STATUS);

        doAnswer(call -> {
            row.ended = true;
            return null;
        }).when(reconcile).execute(any());
        fireReconcileTimer();

        assertThat(pi).isEnded().hasPassed(Elements.END_CALL_ENDED).hasNotPassed(Elements.CALL_ENDED);
        verify(reconcile, times(2)).execute(any());
    }

    @Test
    void theTimerIsNotDueBeforeAMinute() {
        ProcessInstance pi = placeCall();
        Job timer = managementService().createJobQuery().processInstanceId(pi.getId()).timers().singleResult();
        assertThat(timer.getDuedate()).isAfterOrEqualTo(new Date(ClockUtil.getCurrentTime().getTime() + 59_000));
    }

    @Test
    void theModelNamesWhatTheConstantsSay() {
        BpmnModelInstance model = Bpmn.readModelFromStream(getClass().getClassLoader()
                .getResourceAsStream("bpmn/outbound-call.bpmn"));
        for (var field : Elements.class.getFields()) {
            try {
                String id = (String) field.get(null);
                assertThat(model.<BaseElement>getModelElementById(id)).as(field.getName() + " " + id).isNotNull();
            } catch (IllegalAccessException e) {
                throw new AssertionError(e);
            }
        }
        assertThat(model.<BaseElement>getModelElementById(OutboundCallProcess.PROCESS_KEY)).isNotNull();
    }

    // ------------------------------------------------------------------------------------------ helpers

    private ProcessInstance start() {
        return runtimeService().startProcessInstanceByKey(OutboundCallProcess.PROCESS_KEY, Long.toString(CALL_ID),
                ProcessVariable.values().with(Variables.CALL_ID, CALL_ID).with(Variables.LEAD_ID, LEAD_ID)
                        .with(Variables.AGENT_ID, AGENT_ID).asMap());
    }

    /** The call is placed and Twilio reports it in progress: the agent has the Talk task. */
    private ProcessInstance donorOnTheLine() {
        ProcessInstance pi = placeCall();
        row.connected = true;
        correlate(Messages.CALL_PROGRESS);
        assertThat(pi).hasPassed(Elements.DONOR_ON_THE_LINE).isWaitingAt(Elements.TALK, Elements.AWAIT_END);
        return pi;
    }

    /** Starts the call and runs the create and catch-up jobs: the instance then waits for Twilio's statuses. */
    private ProcessInstance placeCall() {
        ProcessInstance pi = start();
        assertThat(pi).isWaitingAt(Elements.CREATE_CALL);
        execute(job(Elements.CREATE_CALL, pi));
        assertThat(pi).isWaitingAt(Elements.CATCH_UP);
        execute(job(Elements.CATCH_UP, pi));
        assertThat(pi).isWaitingAt(Elements.AWAIT_STATUS);
        return pi;
    }

    private void correlate(String message) {
        runtimeService().createMessageCorrelation(message).processInstanceBusinessKey(Long.toString(CALL_ID))
                .correlateWithResult();
    }

    private void fireReconcileTimer() {
        ClockUtil.setCurrentTime(new Date(ClockUtil.getCurrentTime().getTime() + 61_000));
        Job timer = managementService().createJobQuery().timers().executable().singleResult();
        assertThat(timer).isNotNull();
        execute(timer);
    }
}
