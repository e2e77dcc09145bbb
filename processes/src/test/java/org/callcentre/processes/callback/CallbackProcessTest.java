package org.callcentre.processes.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.execute;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.formService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.historyService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.init;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.job;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.managementService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.taskService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.withVariables;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import org.callcentre.processes.ProcessVariable;
import org.callcentre.processes.callback.CallbackProcess.Beans;
import org.callcentre.processes.callback.CallbackProcess.Elements;
import org.callcentre.processes.callback.CallbackProcess.Forms;
import org.callcentre.processes.callback.CallbackProcess.Messages;
import org.callcentre.processes.callback.CallbackProcess.Result;
import org.callcentre.processes.callback.CallbackProcess.Variables;
import org.callcentre.processes.callback.CallbackTimes.UnschedulableTime;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.form.CamundaFormRef;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.bpm.engine.test.mock.Mocks;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.BaseElement;
import org.camunda.bpm.model.bpmn.instance.FlowNode;
import org.camunda.bpm.model.bpmn.instance.Message;
import org.camunda.bpm.model.bpmn.instance.MessageEventDefinition;
import org.camunda.bpm.model.bpmn.instance.UserTask;
import org.camunda.community.process_test_coverage.junit5.platform7.ProcessEngineCoverageExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Runs {@code callback.bpmn} on an in-memory engine with its delegates mocked and the callback's row stood in for by
 * {@link CallbackRow}: the application changes the row first and then correlates its message, as here. The due timer
 * and the open-to-team timer fire by moving the clock and executing their jobs; the "Call back" task is completed as
 * Tasklist does. The coverage extension fails the build when these tests leave part of the model unexercised.
 */
@Deployment(resources = {"bpmn/callback.bpmn", Forms.CALL_BACK_RESOURCE})
class CallbackProcessTest {

    private static final double MINIMUM_COVERAGE = 1.0;

    @RegisterExtension
    static final ProcessEngineCoverageExtension ENGINE = ProcessEngineCoverageExtension.builder()
            .assertClassCoverageAtLeast(MINIMUM_COVERAGE)
            .build();

    private static final long CALLBACK_ID = 41L;
    private static final String OWNER = "agent.amy";
    private static final String TEAM_GROUP = "team-north";
    private static final String PERSON = "Jane Donor";
    private static final ZoneId LONDON = ZoneId.of("Europe/London");
    private static final Instant SCHEDULED_AT = Instant.parse("2027-05-10T10:00:00Z");
    private static final Instant DUE = Instant.parse("2027-05-11T14:00:00Z");
    private static final Duration OPEN_TO_TEAM_AFTER = Duration.ofHours(2);
    /** The end of the open-to-team branch inside the due subprocess (code never refers to it, so not a constant). */
    private static final String OPENED_TO_TEAM_END = "EndEvent_OpenedToTeam";
    /** The first call and three tries more: the fourth unanswered call leaves none. */
    private static final int MAX_CALLS = 4;

    private final JavaDelegate makeDue = mock(JavaDelegate.class);
    private final JavaDelegate openToTeam = mock(JavaDelegate.class);
    private final JavaDelegate recordGivenUp = mock(JavaDelegate.class);
    private final JavaDelegate recordNeglected = mock(JavaDelegate.class);
    private final CallbackRow row = new CallbackRow();
    /** What the record step read from the form, and whether the value was still on the instance after it. */
    private final List<String> givenUpReasons = new ArrayList<>();

    /**
     * The callback's row as the model reads it through {@code callbackFacts}: the due time, the mode, the owner and
     * their team's group, the delay before an owner's callback is opened to the team, and what follows a call.
     */
    public static final class CallbackRow {
        Instant dueAt = DUE;
        String mode = "AGENT";
        Result result;
        int dueAtReads;

        public Date dueAt(DelegateExecution execution) {
            checkCallback(execution);
            dueAtReads++;
            return Date.from(dueAt);
        }

        public String mode(DelegateExecution execution) {
            checkCallback(execution);
            return mode;
        }

        public String owner(DelegateExecution execution) {
            checkCallback(execution);
            return OWNER;
        }

        public String teamGroup(DelegateExecution execution) {
            checkCallback(execution);
            return TEAM_GROUP;
        }

        public String openToTeamAfter(DelegateExecution execution) {
            checkCallback(execution);
            return OPEN_TO_TEAM_AFTER.toString();
        }

        public String result(DelegateExecution execution) {
            checkCallback(execution);
            return result.name();
        }

        private static void checkCallback(DelegateExecution execution) {
            assertThat(Variables.CALLBACK_ID.get(execution)).isEqualTo(CALLBACK_ID);
            assertThat(execution.getProcessBusinessKey()).isEqualTo(Long.toString(CALLBACK_ID));
        }
    }

    /** As the app's listener: names the task after the person and sets its due date from the row. */
    private final TaskListener taskCreated = new TaskListener() {
        @Override
        public void notify(DelegateTask task) {
            assertThat(task.getEventName()).isEqualTo(TaskListener.EVENTNAME_CREATE);
            task.setName(task.getName() + " " + PERSON);
            task.setDueDate(Date.from(row.dueAt));
        }
    };

    @BeforeEach
    void registerBeans() throws Exception {
        init(ENGINE.getProcessEngine());
        ClockUtil.setCurrentTime(Date.from(SCHEDULED_AT));
        Mocks.register(Beans.FACTS, row);
        Mocks.register(Beans.MAKE_DUE, makeDue);
        Mocks.register(Beans.OPEN_TO_TEAM, openToTeam);
        Mocks.register(Beans.RECORD_GIVEN_UP, recordGivenUp);
        Mocks.register(Beans.RECORD_NEGLECTED, recordNeglected);
        Mocks.register(Beans.TASK_CREATED, taskCreated);
        doAnswer(call -> {
            DelegateExecution execution = call.getArgument(0);
            givenUpReasons.add(Variables.GIVEN_UP_REASON.get(execution));
            execution.removeVariable(Variables.GIVEN_UP_REASON.name());
            return null;
        }).when(recordGivenUp).execute(any());
    }

    @AfterEach
    void reset() {
        Mocks.reset();
        ClockUtil.reset();
    }

    /** Scheduled: dormant until the row's due time, then the owner's "Call back" task with its form. */
    @Test
    void anAgentCallbackWaitsUntilItIsDueThenGoesToItsOwner() throws Exception {
        ProcessInstance pi = start();
        assertThat(dueTimer(pi).getDuedate()).isEqualTo(Date.from(DUE));
        verifyNoInteractions(makeDue);

        ClockUtil.setCurrentTime(Date.from(DUE.minusSeconds(1)));
        assertThat(executableJobs(pi)).as("not due a second early").isZero();

        Task task = becomeDue(pi);

        assertThat(pi).hasPassed(Elements.DUE_TIMER, Elements.MAKE_DUE, Elements.MODE)
                .isWaitingAtExactly(Elements.DUE, Elements.CALL_BACK_AGENT);
        assertThat(task.getName()).isEqualTo("Call back " + PERSON);
        assertThat(task).isAssignedTo(OWNER);
        assertThat(taskService().getIdentityLinksForTask(task.getId())).noneMatch(link -> link.getGroupId() != null);
        CamundaFormRef form = formService().getTaskFormData(task.getId()).getCamundaFormRef();
        assertThat(form.getKey()).isEqualTo(Forms.CALL_BACK);
        assertThat(form.getBinding()).isEqualTo("deployment");
        assertThat(formService().getDeployedTaskForm(task.getId())).isNotNull();
        assertThat(job(Elements.OPEN_TO_TEAM_TIMER, pi).getDuedate())
                .isEqualTo(Date.from(DUE.plus(OPEN_TO_TEAM_AFTER)));
        verify(makeDue).execute(any());
    }

    /** A Call Back Queue callback: the team's task, nobody's in particular, and nothing to escalate. */
    @Test
    void aQueueCallbackGoesToItsTeam() {
        row.mode = "QUEUE";
        ProcessInstance pi = start();

        Task task = becomeDue(pi);

        assertThat(pi).isWaitingAtExactly(Elements.DUE, Elements.CALL_BACK_QUEUE);
        assertThat(task.getName()).isEqualTo("Call back " + PERSON);
        assertThat(task).isNotAssigned().hasCandidateGroup(TEAM_GROUP);
        assertThat(formService().getTaskFormData(task.getId()).getCamundaFormRef().getKey()).isEqualTo(Forms.CALL_BACK);
        assertThat(managementService().createJobQuery().processInstanceId(pi.getId()).count())
                .as("a queue task has no open-to-team timer").isZero();
    }

    /**
     * The owner has not called back within the row's delay: the callback is opened to the team, and the owner's task
     * stays as it was.
     */
    @Test
    void anOwnersCallbackNotCalledBackInTimeIsOpenedToTheTeam() throws Exception {
        ProcessInstance pi = start();
        Task task = becomeDue(pi);

        ClockUtil.setCurrentTime(Date.from(DUE.plus(OPEN_TO_TEAM_AFTER).minusSeconds(1)));
        assertThat(executableJobs(pi)).isZero();
        ClockUtil.setCurrentTime(Date.from(DUE.plus(OPEN_TO_TEAM_AFTER)));
        execute(job(Elements.OPEN_TO_TEAM_TIMER, pi));

        verify(openToTeam).execute(any());
        assertThat(pi).hasPassed(Elements.OPEN_TO_TEAM_TIMER, Elements.OPEN_TO_TEAM, OPENED_TO_TEAM_END)
                .isWaitingAtExactly(Elements.DUE, Elements.CALL_BACK_AGENT);
        Task still = taskService().createTaskQuery().processInstanceId(pi.getId()).singleResult();
        assertThat(still.getId()).isEqualTo(task.getId());
        assertThat(still).isAssignedTo(OWNER);
        assertThat(managementService().createJobQuery().processInstanceId(pi.getId()).count())
                .as("opened once").isZero();

        row.result = Result.DONE;
        correlate(Messages.CALL_ENDED);
        assertThat(pi).isEnded().hasPassed(Elements.END_DONE);
    }

    /** The person was reached: the task is withdrawn and the callback is done. */
    @ParameterizedTest
    @EnumSource(names = {"AGENT", "QUEUE"}, value = Mode.class)
    void aCallThatReachedThePersonEndsItDone(Mode mode) {
        row.mode = mode.name();
        ProcessInstance pi = start();
        becomeDue(pi);

        row.result = Result.DONE;
        correlate(Messages.CALL_ENDED);

        assertThat(pi).isEnded().hasPassed(Elements.CALL_ENDED, Elements.RESULT, Elements.END_DONE)
                .hasNotPassed(Elements.RECORD_GIVEN_UP, Elements.END_FAILED);
        assertThat(taskService().createTaskQuery().processInstanceId(pi.getId()).count()).isZero();
        verifyNoInteractions(recordGivenUp, recordNeglected, openToTeam);
    }

    /** Not reached: dormant again, until the next due time the row now holds, then due again. */
    @Test
    void aCallThatDidNotReachThePersonMakesItDormantUntilTheNextDueTime() throws Exception {
        ProcessInstance pi = start();
        becomeDue(pi);
        Instant nextDue = DUE.plus(Duration.ofDays(1));

        row.result = Result.RETRY;
        row.dueAt = nextDue;
        correlate(Messages.CALL_ENDED);

        assertThat(pi).isWaitingAtExactly(Elements.AWAIT_DUE).hasPassed(Elements.CALL_ENDED, Elements.RESULT);
        assertThat(taskService().createTaskQuery().processInstanceId(pi.getId()).count()).isZero();
        assertThat(dueTimer(pi).getDuedate()).as("read again from the row").isEqualTo(Date.from(nextDue));
        assertThat(managementService().createJobQuery().processInstanceId(pi.getId()).count())
                .as("the due timer only").isEqualTo(1);

        Task again = becomeDue(pi);
        assertThat(again).isAssignedTo(OWNER);
        verify(makeDue, times(2)).execute(any());
    }

    /** Not reached, and no tries left: the callback failed. */
    @Test
    void aCallWithNoTriesLeftEndsItFailed() {
        ProcessInstance pi = start();
        becomeDue(pi);

        row.result = Result.FAILED;
        correlate(Messages.CALL_ENDED);

        assertThat(pi).isEnded().hasPassed(Elements.RESULT, Elements.END_FAILED).hasNotPassed(Elements.END_DONE);
        assertThat(taskService().createTaskQuery().processInstanceId(pi.getId()).count()).isZero();
    }

    /**
     * How many tries a callback has is the row's rule (here: four calls); the model only loops. Three unanswered
     * calls make it dormant again, each until the next due time; the fourth ends it failed.
     */
    @Test
    void unansweredCallsRetryUntilTheRowSaysNoTriesAreLeft() throws Exception {
        ProcessInstance pi = start();
        int calls = 0;
        while (true) {
            becomeDue(pi);
            calls++;
            // As the application records an unanswered call: the row decides what follows and when.
            row.result = calls < MAX_CALLS ? Result.RETRY : Result.FAILED;
            row.dueAt = row.dueAt.plus(Duration.ofHours(3));
            correlate(Messages.CALL_ENDED);
            if (row.result == Result.FAILED) {
                break;
            }
            assertThat(pi).as("after call %d", calls).isWaitingAtExactly(Elements.AWAIT_DUE);
            assertThat(dueTimer(pi).getDuedate()).isEqualTo(Date.from(row.dueAt));
        }

        assertThat(calls).isEqualTo(MAX_CALLS);
        assertThat(pi).isEnded().hasPassed(Elements.END_FAILED).hasNotPassed(Elements.END_DONE);
        verify(makeDue, times(MAX_CALLS)).execute(any());
        assertThat(row.dueAtReads).isEqualTo(MAX_CALLS);
    }

    /**
     * The callback cannot be kept: an agent says why in the task's form and completes it, as in Tasklist. The record
     * step reads the reason, and the callback ends given up.
     */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void anAgentGivesTheCallbackUpThroughTheForm(Mode mode) {
        row.mode = mode.name();
        ProcessInstance pi = start();
        Task task = becomeDue(pi);

        formService().submitTaskForm(task.getId(), withVariables(Variables.GIVEN_UP_REASON.name(),
                "Moved abroad; asked not to be called again"));

        assertThat(givenUpReasons).containsExactly("Moved abroad; asked not to be called again");
        assertThat(pi).isEnded().hasPassed(Elements.RECORD_GIVEN_UP, Elements.END_GIVEN_UP)
                .hasNotPassed(Elements.CALL_ENDED, Elements.END_DONE, Elements.END_FAILED);
        assertThat(historicVariable(pi, Variables.GIVEN_UP_REASON)).as("removed by the record step").isNull();
    }

    /** A refused give-up fails the completion: nothing recorded, the task still there. */
    @Test
    void aGiveUpTheRowRefusesLeavesTheTaskOpen() throws Exception {
        ProcessInstance pi = start();
        Task task = becomeDue(pi);
        doThrow(new IllegalStateException("callback 41 is already closed")).when(recordGivenUp).execute(any());

        assertThatThrownBy(() -> formService().submitTaskForm(task.getId(),
                withVariables(Variables.GIVEN_UP_REASON.name(), "wrong number")))
                .hasMessageContaining("already closed");

        assertThat(pi).isWaitingAtExactly(Elements.DUE, Elements.CALL_BACK_AGENT);
        assertThat(taskService().createTaskQuery().taskId(task.getId()).count()).isEqualTo(1);
        assertThat(runtimeService().getVariable(pi.getId(), Variables.GIVEN_UP_REASON.name())).isNull();
    }

    /** Where a callback can be when the caller's number is served by another call. */
    enum State {
        DORMANT, DUE_FOR_THE_OWNER, DUE_FOR_THE_TEAM, OPENED_TO_THE_TEAM
    }

    /** The caller was served by another call: whatever the callback's state, it ends as neglected. */
    @ParameterizedTest
    @EnumSource(State.class)
    void aCallerServedElsewhereNeglectsTheCallbackFromEveryState(State state) throws Exception {
        ProcessInstance pi = reach(state);

        correlate(Messages.CALLER_SERVED);

        assertThat(pi).isEnded().hasPassed(Elements.CALLER_SERVED, Elements.RECORD_NEGLECTED, Elements.END_NEGLECTED)
                .hasNotPassed(Elements.END_DONE, Elements.END_FAILED, Elements.END_GIVEN_UP, Elements.END_CANCELLED);
        verify(recordNeglected).execute(any());
        assertThat(taskService().createTaskQuery().processInstanceId(pi.getId()).count()).isZero();
        assertThat(managementService().createJobQuery().processInstanceId(pi.getId()).count()).isZero();
    }

    /**
     * The neglect is recorded in the transaction of the call that served the number: a record that fails fails that
     * correlation, and the callback stays as it was.
     */
    @Test
    void aNeglectThatCannotBeRecordedChangesNothing() throws Exception {
        ProcessInstance pi = reach(State.DUE_FOR_THE_OWNER);
        doThrow(new IllegalStateException("database unavailable")).when(recordNeglected).execute(any());

        assertThatThrownBy(() -> correlate(Messages.CALLER_SERVED)).hasMessageContaining("database unavailable");

        assertThat(pi).isWaitingAtExactly(Elements.DUE, Elements.CALL_BACK_AGENT)
                .hasNotPassed(Elements.CALLER_SERVED);
        assertThat(managementService().createJobQuery().processInstanceId(pi.getId()).count())
                .as("the open-to-team timer is still there").isEqualTo(1);
    }

    /** Cancelled through the API: the instance ends, withdrawing its timer or its task. */
    @ParameterizedTest
    @EnumSource(names = {"DORMANT", "DUE_FOR_THE_OWNER", "DUE_FOR_THE_TEAM"}, value = State.class)
    void aCancelEndsTheCallback(State state) {
        ProcessInstance pi = reach(state);

        correlate(Messages.CANCELLED);

        assertThat(pi).isEnded().hasPassed(Elements.CANCELLED, Elements.END_CANCELLED)
                .hasNotPassed(Elements.RECORD_NEGLECTED, Elements.RECORD_GIVEN_UP);
        assertThat(taskService().createTaskQuery().processInstanceId(pi.getId()).count()).isZero();
        verifyNoInteractions(recordNeglected, recordGivenUp);
    }

    /** Rescheduled while dormant: the timer is set again from the row, and the old due time passes quietly. */
    @Test
    void aRescheduleWhileDormantMovesTheDueTimer() {
        ProcessInstance pi = start();
        String oldTimer = dueTimer(pi).getId();
        Instant newDue = DUE.plus(Duration.ofHours(3));

        row.dueAt = newDue;
        correlate(Messages.RESCHEDULED);

        assertThat(pi).isWaitingAtExactly(Elements.AWAIT_DUE).hasPassed(Elements.RESCHEDULED_WHILE_DORMANT);
        Job timer = dueTimer(pi);
        assertThat(timer.getId()).isNotEqualTo(oldTimer);
        assertThat(timer.getDuedate()).isEqualTo(Date.from(newDue));
        assertThat(managementService().createJobQuery().processInstanceId(pi.getId()).count()).isEqualTo(1);

        ClockUtil.setCurrentTime(Date.from(DUE));
        assertThat(executableJobs(pi)).as("the old due time").isZero();
        ClockUtil.setCurrentTime(Date.from(newDue));
        execute(job(Elements.DUE_TIMER, pi));
        assertThat(pi).isWaitingAtExactly(Elements.DUE, Elements.CALL_BACK_AGENT);
    }

    /**
     * Rescheduled while due (a new time, and now for the team): the owner's task and its open-to-team timer are
     * withdrawn, and the callback is dormant until the new time, when the team gets it.
     */
    @Test
    void aRescheduleWhileDueMakesItDormantAgain() throws Exception {
        ProcessInstance pi = start();
        becomeDue(pi);
        Instant newDue = DUE.plus(Duration.ofDays(2));

        row.dueAt = newDue;
        row.mode = "QUEUE";
        correlate(Messages.RESCHEDULED);

        assertThat(pi).isWaitingAtExactly(Elements.AWAIT_DUE).hasPassed(Elements.RESCHEDULED_WHILE_DUE);
        assertThat(taskService().createTaskQuery().processInstanceId(pi.getId()).count()).isZero();
        assertThat(managementService().createJobQuery().processInstanceId(pi.getId()).list())
                .singleElement().satisfies(timer -> assertThat(timer.getDuedate()).isEqualTo(Date.from(newDue)));

        Task task = becomeDue(pi);
        assertThat(task).isNotAssigned().hasCandidateGroup(TEAM_GROUP);
        verify(makeDue, times(2)).execute(any());
        verifyNoInteractions(openToTeam);
    }

    /**
     * London's clocks go forward at 01:00 UTC on 28 March 2027. 01:30 that morning does not exist and is refused;
     * 09:00, scheduled the day before on winter time, is 08:00 UTC and fires once, then.
     */
    @Test
    void aCallbackDueJustAfterTheClocksGoForwardFiresOnceAtItsInstant() throws Exception {
        assertThatThrownBy(() -> CallbackTimes.resolve("2027-03-28T01:30", LONDON))
                .isInstanceOf(UnschedulableTime.class).hasMessageContaining("does not exist in Europe/London");
        ClockUtil.setCurrentTime(Date.from(Instant.parse("2027-03-27T09:00:00Z")));
        row.dueAt = CallbackTimes.resolve("2027-03-28T09:00", LONDON);
        assertThat(row.dueAt).isEqualTo(Instant.parse("2027-03-28T08:00:00Z"));

        assertFiresOnceAt(row.dueAt);
    }

    /**
     * London's clocks go back at 01:00 UTC on 31 October 2027, so 01:30 happens twice: the plain local time is the
     * first, an offset picks the second. Either fires once, at its instant.
     */
    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({"2027-10-31T01:30, 2027-10-31T00:30:00Z", "2027-10-31T01:30+00:00, 2027-10-31T01:30:00Z"})
    void aCallbackDueInTheRepeatedHourFiresOnceAtItsInstant(String local, String instant) throws Exception {
        ClockUtil.setCurrentTime(Date.from(Instant.parse("2027-10-30T12:00:00Z")));
        row.dueAt = CallbackTimes.resolve(local, LONDON);
        assertThat(row.dueAt).isEqualTo(Instant.parse(instant));

        assertFiresOnceAt(row.dueAt);
    }

    @Test
    void theModelNamesWhatTheConstantsSay() throws IOException {
        BpmnModelInstance model = Bpmn.readModelFromStream(resource("bpmn/callback.bpmn"));
        for (var field : Elements.class.getFields()) {
            try {
                String id = (String) field.get(null);
                assertThat(model.<BaseElement>getModelElementById(id)).as(field.getName() + " " + id).isNotNull();
            } catch (IllegalAccessException e) {
                throw new AssertionError(e);
            }
        }
        assertThat(model.<BaseElement>getModelElementById(CallbackProcess.PROCESS_KEY)).isNotNull();

        List<String> messageNames = model.getModelElementsByType(Message.class).stream().map(Message::getName).toList();
        assertThat(messageNames).containsExactlyInAnyOrder(Messages.CALLER_SERVED, Messages.CANCELLED,
                Messages.RESCHEDULED, Messages.CALL_ENDED);
        assertThat(model.getModelElementsByType(Message.class))
                .allSatisfy(message -> assertThat(message.getId()).isEqualTo("Message_" + message.getName()));
        // Both reschedule catches wait for one message: the same correlation fits a dormant and a due callback.
        assertThat(List.of(Elements.RESCHEDULED_WHILE_DORMANT, Elements.RESCHEDULED_WHILE_DUE))
                .allSatisfy(id -> assertThat(model.<FlowNode>getModelElementById(id)
                        .getChildElementsByType(MessageEventDefinition.class))
                        .singleElement().satisfies(definition -> assertThat(definition.getMessage().getName())
                                .isEqualTo(Messages.RESCHEDULED)));

        for (String id : List.of(Elements.CALL_BACK_AGENT, Elements.CALL_BACK_QUEUE)) {
            UserTask task = model.getModelElementById(id);
            assertThat(task.getCamundaFormRef()).as(id).isEqualTo(Forms.CALL_BACK);
            assertThat(task.getCamundaFormRefBinding()).as(id).isEqualTo("deployment");
        }

        String xml = new String(resource("bpmn/callback.bpmn").readAllBytes(), StandardCharsets.UTF_8);
        for (String bean : List.of(Beans.FACTS, Beans.MAKE_DUE, Beans.OPEN_TO_TEAM, Beans.RECORD_GIVEN_UP,
                Beans.RECORD_NEGLECTED, Beans.TASK_CREATED)) {
            assertThat(xml).as(bean).contains("${" + bean);
        }
        assertThat(xml).as("no async boundary: each step runs in the transaction that reached it")
                .doesNotContain("camunda:async");

        String form = new String(resource(Forms.CALL_BACK_RESOURCE).readAllBytes(), StandardCharsets.UTF_8);
        assertThat(form).contains("\"id\": \"" + Forms.CALL_BACK + "\"")
                .contains("\"key\": \"" + Variables.GIVEN_UP_REASON.name() + "\"");
    }

    // ------------------------------------------------------------------------------------------ helpers

    /** Whose callback it is ({@code callbackFacts.mode}). */
    enum Mode {
        AGENT, QUEUE
    }

    private ProcessInstance start() {
        ProcessInstance pi = runtimeService().startProcessInstanceByKey(CallbackProcess.PROCESS_KEY,
                Long.toString(CALLBACK_ID), ProcessVariable.values().with(Variables.CALLBACK_ID, CALLBACK_ID).asMap());
        assertThat(pi).isStarted().isWaitingAtExactly(Elements.AWAIT_DUE);
        return pi;
    }

    /** The clock reaches the row's due time and the due timer's job runs: the "Call back" task is there. */
    private Task becomeDue(ProcessInstance pi) {
        ClockUtil.setCurrentTime(Date.from(row.dueAt));
        execute(job(Elements.DUE_TIMER, pi));
        return taskService().createTaskQuery().processInstanceId(pi.getId()).singleResult();
    }

    private ProcessInstance reach(State state) {
        row.mode = state == State.DUE_FOR_THE_TEAM ? "QUEUE" : "AGENT";
        ProcessInstance pi = start();
        if (state == State.DORMANT) {
            return pi;
        }
        becomeDue(pi);
        if (state == State.OPENED_TO_THE_TEAM) {
            ClockUtil.setCurrentTime(Date.from(row.dueAt.plus(OPEN_TO_TEAM_AFTER)));
            execute(job(Elements.OPEN_TO_TEAM_TIMER, pi));
            assertThat(pi).hasPassed(Elements.OPEN_TO_TEAM)
                    .isWaitingAtExactly(Elements.DUE, Elements.CALL_BACK_AGENT);
        }
        return pi;
    }

    /**
     * Starts a team's callback (no other timer) due at {@code instant}: nothing a minute before, the due timer at the
     * instant, and nothing more an hour later.
     */
    private void assertFiresOnceAt(Instant instant) throws Exception {
        row.mode = "QUEUE";
        ProcessInstance pi = start();
        assertThat(dueTimer(pi).getDuedate()).isEqualTo(Date.from(instant));

        ClockUtil.setCurrentTime(Date.from(instant.minusSeconds(60)));
        assertThat(executableJobs(pi)).as("a minute early").isZero();

        ClockUtil.setCurrentTime(Date.from(instant));
        List<Job> due = managementService().createJobQuery().processInstanceId(pi.getId()).executable().list();
        assertThat(due).singleElement().satisfies(job -> assertThat(job.getDuedate()).isEqualTo(Date.from(instant)));
        execute(due.get(0));
        assertThat(pi).isWaitingAtExactly(Elements.DUE, Elements.CALL_BACK_QUEUE);

        ClockUtil.setCurrentTime(Date.from(instant.plus(Duration.ofHours(1))));
        assertThat(managementService().createJobQuery().processInstanceId(pi.getId()).count())
                .as("nothing more an hour later").isZero();
        assertThat(taskService().createTaskQuery().processInstanceId(pi.getId()).count()).isEqualTo(1);
        verify(makeDue).execute(any());
    }

    private Job dueTimer(ProcessInstance pi) {
        return job(Elements.DUE_TIMER, pi);
    }

    private long executableJobs(ProcessInstance pi) {
        return managementService().createJobQuery().processInstanceId(pi.getId()).executable().count();
    }

    private void correlate(String message) {
        runtimeService().createMessageCorrelation(message).processInstanceBusinessKey(Long.toString(CALLBACK_ID))
                .correlateWithResult();
    }

    private static Object historicVariable(ProcessInstance pi, ProcessVariable<?> variable) {
        var historic = historyService().createHistoricVariableInstanceQuery().processInstanceId(pi.getId())
                .variableName(variable.name()).singleResult();
        return historic == null ? null : historic.getValue();
    }

    private InputStream resource(String name) {
        InputStream stream = getClass().getClassLoader().getResourceAsStream(name);
        assertThat(stream).as(name).isNotNull();
        return stream;
    }
}
