package org.callcentre.processes.ticket;

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
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;

import org.callcentre.processes.ProcessVariable;
import org.callcentre.processes.ticket.TicketProcess.Beans;
import org.callcentre.processes.ticket.TicketProcess.Elements;
import org.callcentre.processes.ticket.TicketProcess.Forms;
import org.callcentre.processes.ticket.TicketProcess.Messages;
import org.callcentre.processes.ticket.TicketProcess.Need;
import org.callcentre.processes.ticket.TicketProcess.Variables;
import org.camunda.bpm.engine.MismatchingMessageCorrelationException;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.form.CamundaFormRef;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.IdentityLink;
import org.camunda.bpm.engine.task.IdentityLinkType;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.bpm.engine.test.mock.Mocks;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.BaseElement;
import org.camunda.bpm.model.bpmn.instance.BoundaryEvent;
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
import org.junit.jupiter.params.provider.EnumSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Runs {@code ticket.bpmn} on an in-memory engine with its delegates mocked and the ticket's row stood in for by
 * {@link TicketRow}: the application changes the row first and then correlates its message, as here, and the mocked
 * steps change the row as the real ones do ({@code TicketSteps}: a form's answer is read, then removed). The wait's
 * timer fires by moving the clock and executing its job; the tasks are completed as Tasklist does, through their
 * forms. The coverage extension fails the build when these tests leave part of the model unexercised.
 */
@Deployment(resources = {"bpmn/ticket.bpmn", Forms.TRIAGE_RESOURCE, Forms.WORK_RESOURCE})
class TicketProcessTest {

    private static final double MINIMUM_COVERAGE = 1.0;

    @RegisterExtension
    static final ProcessEngineCoverageExtension ENGINE = ProcessEngineCoverageExtension.builder()
            .assertClassCoverageAtLeast(MINIMUM_COVERAGE)
            .build();

    private static final long NUMBER = 1207L;
    private static final String TITLE = "Pick-up of a sofa";
    private static final String OWNER = "agent.amy";
    private static final Instant OPENED_AT = Instant.parse("2027-05-10T09:00:00Z");
    private static final Instant WAIT_UNTIL = Instant.parse("2027-05-14T08:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JavaDelegate applyTriage = mock(JavaDelegate.class);
    private final JavaDelegate applyWork = mock(JavaDelegate.class);
    private final JavaDelegate waitOver = mock(JavaDelegate.class);
    private final TicketRow row = new TicketRow();
    /** What the triage step read from the form, and the work step's status and next action. */
    private final List<String> triagedTo = new ArrayList<>();
    private final List<String> worked = new ArrayList<>();

    /**
     * The ticket's row as the model reads it through {@code ticketFacts}: what the ticket needs, its group (as the
     * engine group of its members), its owner and the end of its wait.
     */
    public static final class TicketRow {
        Need need = Need.TRIAGE;
        String group = "Info";
        String owner;
        Instant waitUntil;
        int waitUntilReads;

        public String need(DelegateExecution execution) {
            checkTicket(execution);
            return need.name();
        }

        public String candidateGroup(DelegateExecution execution) {
            checkTicket(execution);
            return "group" + group;
        }

        public String owner(DelegateExecution execution) {
            checkTicket(execution);
            return owner;
        }

        public Date waitUntil(DelegateExecution execution) {
            checkTicket(execution);
            waitUntilReads++;
            return Date.from(waitUntil);
        }

        private static void checkTicket(DelegateExecution execution) {
            assertThat(execution.getProcessBusinessKey()).isEqualTo(Long.toString(NUMBER));
            assertThat(Variables.TICKET_NUMBER.get(execution)).isEqualTo(NUMBER);
        }
    }

    /** As the app's listener: names the task after the ticket. */
    private final TaskListener taskCreated = new TaskListener() {
        @Override
        public void notify(DelegateTask task) {
            assertThat(task.getEventName()).isEqualTo(TaskListener.EVENTNAME_CREATE);
            task.setName(task.getName() + ": ticket " + NUMBER + ", " + TITLE);
        }
    };

    @BeforeEach
    void registerBeans() throws Exception {
        init(ENGINE.getProcessEngine());
        ClockUtil.setCurrentTime(Date.from(OPENED_AT));
        Mocks.register(Beans.FACTS, row);
        Mocks.register(Beans.APPLY_TRIAGE, applyTriage);
        Mocks.register(Beans.APPLY_WORK, applyWork);
        Mocks.register(Beans.WAIT_OVER, waitOver);
        Mocks.register(Beans.TASK_CREATED, taskCreated);
        // As TicketSteps.ApplyTriage: the form's group is read, removed, and the row moves (here: out of triage).
        doAnswer(call -> {
            DelegateExecution execution = call.getArgument(0);
            String target = Variables.TARGET_GROUP.get(execution);
            execution.removeVariable(Variables.TARGET_GROUP.name());
            triagedTo.add(target);
            row.group = target;
            row.need = Need.WORK;
            return null;
        }).when(applyTriage).execute(any());
        // As TicketSteps.ApplyWork: status and next action are read and removed, and written to the row.
        doAnswer(call -> {
            DelegateExecution execution = call.getArgument(0);
            worked.add(Variables.STATUS.get(execution) + "/" + Variables.NEXT_ACTION.get(execution));
            execution.removeVariable(Variables.STATUS.name());
            execution.removeVariable(Variables.NEXT_ACTION.name());
            return null;
        }).when(applyWork).execute(any());
        // As TicketSteps.WaitOver: the row needs contact again.
        doAnswer(call -> {
            row.need = Need.WORK;
            row.waitUntil = null;
            return null;
        }).when(waitOver).execute(any());
    }

    @AfterEach
    void reset() {
        Mocks.reset();
        ClockUtil.reset();
    }

    // ------------------------------------------------------------------------------------------ routes

    /** A new ticket of the triage group: "Assign to the right group" for the group's members, with its form. */
    @Test
    void aNewTicketOfTheTriageGroupWaitsForTriage() {
        ProcessInstance pi = start();

        assertThat(pi).isWaitingAtExactly(Elements.TRIAGE).hasPassed(Elements.START, Elements.READ_ROW,
                Elements.ROUTE);
        Task task = task(pi);
        assertThat(task.getName()).isEqualTo("Assign to the right group: ticket " + NUMBER + ", " + TITLE);
        assertThat(task).isNotAssigned().hasCandidateGroup("groupInfo");
        assertForm(task, Forms.TRIAGE);
        assertThat(managementService().createJobQuery().processInstanceId(pi.getId()).count()).isZero();
        verifyNoInteractions(applyTriage, applyWork, waitOver);
    }

    /** Any other open ticket is work for its group: offered to its members, and assigned to its owner if it has one. */
    @Test
    void anOpenTicketIsWorkForItsGroupAndItsOwner() {
        row.need = Need.WORK;
        row.group = "Donations";
        row.owner = OWNER;

        ProcessInstance pi = start();

        assertThat(pi).isWaitingAtExactly(Elements.WORK);
        Task task = task(pi);
        assertThat(task.getName()).isEqualTo("Work the ticket: ticket " + NUMBER + ", " + TITLE);
        assertThat(task).isAssignedTo(OWNER);
        assertThat(candidateGroups(task)).containsExactly("groupDonations");
        assertForm(task, Forms.WORK);
    }

    @Test
    void aTicketWithoutAnOwnerIsOfferedToTheGroupOnly() {
        row.need = Need.WORK;
        row.group = "Volunteers";

        ProcessInstance pi = start();

        assertThat(task(pi)).isNotAssigned().hasCandidateGroup("groupVolunteers");
        assertThat(candidateGroups(task(pi))).containsExactly("groupVolunteers");
    }

    /** Waiting for an event: no task, a timer at the row's date, and nothing a second early. */
    @Test
    void aTicketWaitingForAnEventWaitsForItsDateThenNeedsContactAgain() throws Exception {
        row.need = Need.WAIT;
        row.waitUntil = WAIT_UNTIL;
        row.group = "Donations";

        ProcessInstance pi = start();

        assertThat(pi).isWaitingAtExactly(Elements.AWAIT_EVENT);
        assertThat(taskService().createTaskQuery().processInstanceId(pi.getId()).count()).isZero();
        assertThat(timer(pi).getDuedate()).isEqualTo(Date.from(WAIT_UNTIL));
        ClockUtil.setCurrentTime(Date.from(WAIT_UNTIL.minusSeconds(1)));
        assertThat(executableJobs(pi)).as("not a second early").isZero();

        ClockUtil.setCurrentTime(Date.from(WAIT_UNTIL));
        execute(timer(pi));

        verify(waitOver).execute(any());
        assertThat(pi).hasPassed(Elements.WAIT_OVER, Elements.BACK_TO_NEED_TO_CONTACT)
                .isWaitingAtExactly(Elements.WORK);
        assertThat(task(pi)).hasCandidateGroup("groupDonations");
        assertThat(managementService().createJobQuery().processInstanceId(pi.getId()).count()).isZero();
    }

    /** The row says closed when the instance reads it (closed while the instance was on its way): it ends. */
    @Test
    void aTicketTheRowSaysIsClosedEndsAtOnce() {
        row.need = Need.CLOSED;

        ProcessInstance pi = runtimeService().startProcessInstanceByKey(TicketProcess.PROCESS_KEY,
                Long.toString(NUMBER), ProcessVariable.values().with(Variables.TICKET_NUMBER, NUMBER).asMap());

        assertThat(pi).isEnded().hasPassed(Elements.ROUTE, Elements.ALREADY_CLOSED)
                .hasNotPassed(Elements.END_CLOSED);
    }

    // ------------------------------------------------------------------------------------------ triage

    /** Triage in Tasklist: the form's group is read by the triage step, removed, and the new group gets the work. */
    @Test
    void triageMovesTheTicketToTheChosenGroupWhichGetsTheWork() {
        ProcessInstance pi = start();
        Task triage = task(pi);

        formService().submitTaskForm(triage.getId(), withVariables(Variables.TARGET_GROUP.name(), "Donations"));

        assertThat(triagedTo).containsExactly("Donations");
        assertThat(pi).hasPassed(Elements.TRIAGE, Elements.APPLY_TRIAGE).isWaitingAtExactly(Elements.WORK);
        Task work = task(pi);
        assertThat(work).isNotAssigned().hasCandidateGroup("groupDonations");
        assertThat(runtimeService().getVariable(pi.getId(), Variables.TARGET_GROUP.name()))
                .as("removed by the triage step").isNull();
        assertThat(historicVariable(pi, Variables.TARGET_GROUP)).as("removed by the triage step").isNull();
        assertThat(runtimeService().getVariables(pi.getId()).keySet())
                .containsExactly(Variables.TICKET_NUMBER.name());
    }

    /** A triage the row refuses (the end-user has an open ticket there, say) fails the completion: nothing moves. */
    @Test
    void aTriageTheRowRefusesLeavesTheTaskOpen() throws Exception {
        ProcessInstance pi = start();
        Task triage = task(pi);
        doThrow(new IllegalStateException("the end-user already has open ticket 9 in Donations"))
                .when(applyTriage).execute(any());

        assertThatThrownBy(() -> formService().submitTaskForm(triage.getId(),
                withVariables(Variables.TARGET_GROUP.name(), "Donations"))).hasMessageContaining("open ticket 9");

        assertThat(pi).isWaitingAtExactly(Elements.TRIAGE);
        assertThat(task(pi).getId()).isEqualTo(triage.getId());
        assertThat(runtimeService().getVariable(pi.getId(), Variables.TARGET_GROUP.name())).isNull();
    }

    // ------------------------------------------------------------------------------------------ work

    /**
     * The work form in Tasklist: the step reads status and next action and removes them; the row is read again and
     * the group has the ticket's work again (a completed ticket waits for "close completed tickets").
     */
    @Test
    void completingTheWorkRecordsTheStatusAndTheGroupKeepsTheTicket() {
        row.need = Need.WORK;
        row.group = "Donations";
        ProcessInstance pi = start();
        Task work = task(pi);

        formService().submitTaskForm(work.getId(), withVariables(Variables.STATUS.name(), "COMPLETED",
                Variables.NEXT_ACTION.name(), "Nothing: the sofa was picked up"));

        assertThat(worked).containsExactly("COMPLETED/Nothing: the sofa was picked up");
        assertThat(pi).hasPassed(Elements.APPLY_WORK).isWaitingAtExactly(Elements.WORK);
        Task again = task(pi);
        assertThat(again.getId()).isNotEqualTo(work.getId());
        assertThat(again).hasCandidateGroup("groupDonations");
        assertThat(runtimeService().getVariables(pi.getId()).keySet())
                .containsExactly(Variables.TICKET_NUMBER.name());
        assertThat(historicVariable(pi, Variables.STATUS)).isNull();
        assertThat(historicVariable(pi, Variables.NEXT_ACTION)).isNull();
    }

    /** The work step may send the ticket to wait for an event (the row then says so): the timer takes over. */
    @Test
    void workThatLeavesTheTicketWaitingForAnEventStartsTheTimer() throws Exception {
        row.need = Need.WORK;
        ProcessInstance pi = start();
        doAnswer(call -> {
            DelegateExecution execution = call.getArgument(0);
            execution.removeVariable(Variables.STATUS.name());
            execution.removeVariable(Variables.NEXT_ACTION.name());
            row.need = Need.WAIT;
            row.waitUntil = WAIT_UNTIL;
            return null;
        }).when(applyWork).execute(any());

        formService().submitTaskForm(task(pi).getId(), withVariables(Variables.STATUS.name(), "NEED_TO_CONTACT"));

        assertThat(pi).isWaitingAtExactly(Elements.AWAIT_EVENT);
        assertThat(timer(pi).getDuedate()).isEqualTo(Date.from(WAIT_UNTIL));
    }

    /** A status the row refuses fails the completion: the task stays, and so do no variables. */
    @Test
    void workTheRowRefusesLeavesTheTaskOpen() throws Exception {
        row.need = Need.WORK;
        ProcessInstance pi = start();
        Task work = task(pi);
        doThrow(new IllegalStateException("ticketStatus is NEED_TO_CONTACT, WAITING_ON_END_USER or COMPLETED"))
                .when(applyWork).execute(any());

        assertThatThrownBy(() -> formService().submitTaskForm(work.getId(),
                withVariables(Variables.STATUS.name(), "CLOSED"))).hasMessageContaining("ticketStatus is");

        assertThat(pi).isWaitingAtExactly(Elements.WORK);
        assertThat(task(pi).getId()).isEqualTo(work.getId());
        assertThat(runtimeService().getVariable(pi.getId(), Variables.STATUS.name())).isNull();
    }

    // ------------------------------------------------------------------------------------------ changes

    /** Moved (or kept) through the ticket pages while in triage: the triage task is withdrawn, the row read again. */
    @Test
    void aChangeDuringTriageWithdrawsTheTriageTask() {
        ProcessInstance pi = start();
        Task triage = task(pi);

        row.need = Need.WORK;
        row.group = "Volunteers";
        correlate(Messages.CHANGED);

        assertThat(pi).hasPassed(Elements.TRIAGE_CHANGED).hasNotPassed(Elements.APPLY_TRIAGE)
                .isWaitingAtExactly(Elements.WORK);
        assertThat(taskService().createTaskQuery().taskId(triage.getId()).count()).isZero();
        assertThat(task(pi)).hasCandidateGroup("groupVolunteers").isNotAssigned();
        verifyNoInteractions(applyTriage);
    }

    /** Still awaiting triage after a change (the end-user wrote again): a fresh triage task. */
    @Test
    void aChangeThatLeavesTheTicketInTriageOffersTriageAgain() {
        ProcessInstance pi = start();
        Task triage = task(pi);

        correlate(Messages.CHANGED);

        assertThat(pi).isWaitingAtExactly(Elements.TRIAGE);
        assertThat(task(pi).getId()).isNotEqualTo(triage.getId());
    }

    /** Taken, moved, or the end-user wrote: the work task is withdrawn and made again from the row. */
    @Test
    void aChangeDuringWorkWithdrawsTheWorkTaskAndOffersItAgainFromTheRow() {
        row.need = Need.WORK;
        row.group = "Donations";
        ProcessInstance pi = start();
        Task before = task(pi);
        assertThat(before).isNotAssigned();

        row.owner = OWNER;
        correlate(Messages.CHANGED);

        assertThat(pi).hasPassed(Elements.WORK_CHANGED).hasNotPassed(Elements.APPLY_WORK)
                .isWaitingAtExactly(Elements.WORK);
        Task after = task(pi);
        assertThat(after.getId()).isNotEqualTo(before.getId());
        assertThat(after).isAssignedTo(OWNER);
        assertThat(candidateGroups(after)).containsExactly("groupDonations");
        verifyNoInteractions(applyWork);
    }

    /** Set to wait for an event while worked: the task is withdrawn and the timer set from the row. */
    @Test
    void aChangeToWaitingForAnEventWithdrawsTheWorkTask() {
        row.need = Need.WORK;
        ProcessInstance pi = start();

        row.need = Need.WAIT;
        row.waitUntil = WAIT_UNTIL;
        correlate(Messages.CHANGED);

        assertThat(pi).isWaitingAtExactly(Elements.AWAIT_EVENT);
        assertThat(taskService().createTaskQuery().processInstanceId(pi.getId()).count()).isZero();
        assertThat(timer(pi).getDuedate()).isEqualTo(Date.from(WAIT_UNTIL));
    }

    /** A new date while waiting: the old timer is dropped and the new one set from the row, once. */
    @Test
    void aNewDateWhileWaitingMovesTheTimer() throws Exception {
        row.need = Need.WAIT;
        row.waitUntil = WAIT_UNTIL;
        ProcessInstance pi = start();
        Job old = timer(pi);
        Instant later = WAIT_UNTIL.plus(Duration.ofDays(3));

        row.waitUntil = later;
        correlate(Messages.CHANGED);

        assertThat(pi).hasPassed(Elements.CHANGED_WHILE_WAITING)
                .isWaitingAtExactly(Elements.AWAIT_EVENT);
        Job moved = timer(pi);
        assertThat(moved.getId()).isNotEqualTo(old.getId());
        assertThat(moved.getDuedate()).isEqualTo(Date.from(later));
        assertThat(managementService().createJobQuery().processInstanceId(pi.getId()).count()).isOne();
        assertThat(row.waitUntilReads).isEqualTo(2);
        ClockUtil.setCurrentTime(Date.from(WAIT_UNTIL));
        assertThat(executableJobs(pi)).as("the old date passes quietly").isZero();
        verifyNoInteractions(waitOver);
    }

    /** The end-user wrote, or the status changed, while waiting: the timer is dropped and the group has the work. */
    @Test
    void aChangeWhileWaitingReturnsTheTicketToWork() {
        row.need = Need.WAIT;
        row.waitUntil = WAIT_UNTIL;
        ProcessInstance pi = start();

        row.need = Need.WORK;
        row.waitUntil = null;
        correlate(Messages.CHANGED);

        assertThat(pi).hasPassed(Elements.CHANGED_WHILE_WAITING).isWaitingAtExactly(Elements.WORK);
        assertThat(managementService().createJobQuery().processInstanceId(pi.getId()).count()).isZero();
        verifyNoInteractions(waitOver);
    }

    // ------------------------------------------------------------------------------------------ closing

    /** Where an open ticket's instance waits. */
    enum State {
        TRIAGE, WORK, WAITING_FOR_EVENT
    }

    /** Closed (or merged away) in the row: whatever the instance waits for, it ends and withdraws it. */
    @ParameterizedTest
    @EnumSource(State.class)
    void closingEndsTheTicketFromEveryState(State state) {
        ProcessInstance pi = reach(state);

        row.need = Need.CLOSED;
        correlate(Messages.CLOSED);

        assertThat(pi).isEnded().hasPassed(Elements.CLOSED, Elements.END_CLOSED)
                .hasNotPassed(Elements.ALREADY_CLOSED, Elements.APPLY_TRIAGE, Elements.APPLY_WORK,
                        Elements.BACK_TO_NEED_TO_CONTACT);
        assertThat(taskService().createTaskQuery().processInstanceId(pi.getId()).count()).isZero();
        assertThat(managementService().createJobQuery().processInstanceId(pi.getId()).count()).isZero();
        verifyNoInteractions(applyTriage, applyWork, waitOver);
    }

    /** A change message that finds the row closed (its close message still to come) ends the instance too. */
    @ParameterizedTest
    @EnumSource(State.class)
    void aChangeThatFindsTheRowClosedEndsTheTicket(State state) {
        ProcessInstance pi = reach(state);

        row.need = Need.CLOSED;
        correlate(Messages.CHANGED);

        assertThat(pi).isEnded().hasPassed(Elements.ALREADY_CLOSED).hasNotPassed(Elements.END_CLOSED);
        assertThat(managementService().createJobQuery().processInstanceId(pi.getId()).count()).isZero();
    }

    /**
     * Messages the model does not wait for are refused, so the application's transaction that sent them fails: any
     * message to an ended ticket, and another model's message at every waiting point.
     */
    @ParameterizedTest
    @EnumSource(State.class)
    void messagesTheModelDoesNotWaitForAreRefused(State state) {
        ProcessInstance pi = reach(state);
        List<String> waitingAt = List.of(runtimeService().getActiveActivityIds(pi.getId()).toArray(String[]::new));

        for (String other : List.of("CallbackCancelled", "CallEnded", "ticketChanged")) {
            assertThatThrownBy(() -> correlate(other)).as(other)
                    .isInstanceOf(MismatchingMessageCorrelationException.class);
        }
        assertThat(runtimeService().getActiveActivityIds(pi.getId())).containsExactlyInAnyOrderElementsOf(waitingAt);

        row.need = Need.CLOSED;
        correlate(Messages.CLOSED);
        for (String message : List.of(Messages.CHANGED, Messages.CLOSED)) {
            assertThatThrownBy(() -> correlate(message)).as(message + " after the close")
                    .isInstanceOf(MismatchingMessageCorrelationException.class);
        }
    }

    /** The wait's step fails (the database is away): the timer's job fails and the ticket stays waiting. */
    @Test
    void aWaitOverThatFailsKeepsTheTicketWaiting() throws Exception {
        ProcessInstance pi = reach(State.WAITING_FOR_EVENT);
        doThrow(new IllegalStateException("database unavailable")).when(waitOver).execute(any());
        ClockUtil.setCurrentTime(Date.from(WAIT_UNTIL));
        Job timer = timer(pi);

        assertThatThrownBy(() -> managementService().executeJob(timer.getId()))
                .hasMessageContaining("database unavailable");

        assertThat(pi).isWaitingAtExactly(Elements.AWAIT_EVENT);
        assertThat(managementService().createJobQuery().jobId(timer.getId()).singleResult().getRetries())
                .as("one retry taken").isEqualTo(2);
        verify(waitOver, times(1)).execute(any());
    }

    // ------------------------------------------------------------------------------------------ the model itself

    @Test
    void theModelNamesWhatTheConstantsSay() throws IOException {
        BpmnModelInstance model = Bpmn.readModelFromStream(resource("bpmn/ticket.bpmn"));
        for (var field : Elements.class.getFields()) {
            try {
                String id = (String) field.get(null);
                assertThat(model.<BaseElement>getModelElementById(id)).as(field.getName() + " " + id).isNotNull();
            } catch (IllegalAccessException e) {
                throw new AssertionError(e);
            }
        }
        assertThat(model.<BaseElement>getModelElementById(TicketProcess.PROCESS_KEY)).isNotNull();

        assertThat(model.getModelElementsByType(Message.class)).extracting(Message::getName)
                .containsExactlyInAnyOrder(Messages.CHANGED, Messages.CLOSED);
        assertThat(model.getModelElementsByType(Message.class))
                .allSatisfy(message -> assertThat(message.getId()).isEqualTo("Message_" + message.getName()));
        // Every waiting point catches the one change message, so one correlation fits wherever the instance is.
        assertThat(List.of(Elements.TRIAGE_CHANGED, Elements.WORK_CHANGED, Elements.CHANGED_WHILE_WAITING))
                .allSatisfy(id -> assertThat(model.<FlowNode>getModelElementById(id)
                        .getChildElementsByType(MessageEventDefinition.class))
                        .singleElement().satisfies(definition -> assertThat(definition.getMessage().getName())
                                .isEqualTo(Messages.CHANGED)));
        assertThat(List.of(Elements.TRIAGE_CHANGED, Elements.WORK_CHANGED)).allSatisfy(id -> assertThat(
                model.<BoundaryEvent>getModelElementById(id).cancelActivity()).as(id + " withdraws the task").isTrue());
        assertThat(model.<FlowNode>getModelElementById(Elements.CLOSED)
                .getChildElementsByType(MessageEventDefinition.class)).singleElement()
                .satisfies(definition -> assertThat(definition.getMessage().getName()).isEqualTo(Messages.CLOSED));

        for (var task : Map.of(Elements.TRIAGE, Forms.TRIAGE, Elements.WORK, Forms.WORK).entrySet()) {
            UserTask userTask = model.getModelElementById(task.getKey());
            assertThat(userTask.getCamundaFormRef()).as(task.getKey()).isEqualTo(task.getValue());
            assertThat(userTask.getCamundaFormRefBinding()).as(task.getKey()).isEqualTo("deployment");
            assertThat(userTask.getCamundaCandidateGroups()).isEqualTo("${" + Beans.FACTS
                    + ".candidateGroup(execution)}");
        }

        String xml = new String(resource("bpmn/ticket.bpmn").readAllBytes(), StandardCharsets.UTF_8);
        for (String bean : List.of(Beans.FACTS, Beans.APPLY_TRIAGE, Beans.APPLY_WORK, Beans.WAIT_OVER,
                Beans.TASK_CREATED)) {
            assertThat(xml).as(bean).contains("${" + bean);
        }
        for (Need need : Need.values()) {
            assertThat(need == Need.WORK || xml.contains("== '" + need.name() + "'")).as(need.name()).isTrue();
        }
        assertThat(xml).as("no async boundary: each step runs in the transaction that reached it")
                .doesNotContain("camunda:async");
    }

    /** The forms' fields, by the keys the steps read: what Tasklist shows and submits. */
    @Test
    void theFormsHaveTheFieldsTheStepsRead() throws IOException {
        JsonNode triage = JSON.readTree(resource(Forms.TRIAGE_RESOURCE));
        assertThat(triage.get("id").asText()).isEqualTo(Forms.TRIAGE);
        JsonNode group = field(triage, Variables.TARGET_GROUP.name());
        assertThat(group.get("type").asText()).isEqualTo("select");
        assertThat(group.get("valuesKey").asText()).isEqualTo(Forms.GROUP_CHOICES);
        assertThat(group.path("validate").path("required").asBoolean()).isTrue();
        assertThat(keys(triage)).containsExactly(Variables.TARGET_GROUP.name());

        JsonNode work = JSON.readTree(resource(Forms.WORK_RESOURCE));
        assertThat(work.get("id").asText()).isEqualTo(Forms.WORK);
        assertThat(keys(work)).containsExactly(Variables.STATUS.name(), Variables.NEXT_ACTION.name());
        JsonNode status = field(work, Variables.STATUS.name());
        assertThat(status.get("type").asText()).isEqualTo("select");
        assertThat(status.path("validate").path("required").asBoolean()).isTrue();
        List<String> offered = new ArrayList<>();
        status.get("values").forEach(value -> offered.add(value.get("value").asText()));
        // Closing is the ticket pages'; waiting for an event needs a date this form has no field for.
        assertThat(offered).containsExactly("NEED_TO_CONTACT", "WAITING_ON_END_USER", "COMPLETED");
        assertThat(field(work, Variables.NEXT_ACTION.name()).path("validate").path("maxLength").asInt())
                .isEqualTo(500);
    }

    // ------------------------------------------------------------------------------------------ helpers

    private ProcessInstance start() {
        ProcessInstance pi = runtimeService().startProcessInstanceByKey(TicketProcess.PROCESS_KEY,
                Long.toString(NUMBER), ProcessVariable.values().with(Variables.TICKET_NUMBER, NUMBER).asMap());
        assertThat(pi).isStarted();
        return pi;
    }

    private ProcessInstance reach(State state) {
        switch (state) {
            case TRIAGE -> row.need = Need.TRIAGE;
            case WORK -> row.need = Need.WORK;
            case WAITING_FOR_EVENT -> {
                row.need = Need.WAIT;
                row.waitUntil = WAIT_UNTIL;
            }
        }
        ProcessInstance pi = start();
        switch (state) {
            case TRIAGE -> assertThat(pi).isWaitingAtExactly(Elements.TRIAGE);
            case WORK -> assertThat(pi).isWaitingAtExactly(Elements.WORK);
            case WAITING_FOR_EVENT -> assertThat(pi).isWaitingAtExactly(Elements.AWAIT_EVENT);
        }
        return pi;
    }

    private static List<String> candidateGroups(Task task) {
        return taskService().getIdentityLinksForTask(task.getId()).stream()
                .filter(link -> IdentityLinkType.CANDIDATE.equals(link.getType())).map(IdentityLink::getGroupId)
                .toList();
    }

    private static Task task(ProcessInstance pi) {
        return taskService().createTaskQuery().processInstanceId(pi.getId()).singleResult();
    }

    /** The task's Camunda Form is the deployment's, and loads. */
    private static void assertForm(Task task, String key) {
        CamundaFormRef form = formService().getTaskFormData(task.getId()).getCamundaFormRef();
        assertThat(form.getKey()).isEqualTo(key);
        assertThat(form.getBinding()).isEqualTo("deployment");
        assertThat(formService().getDeployedTaskForm(task.getId())).isNotNull();
    }

    private static Job timer(ProcessInstance pi) {
        return job(Elements.WAIT_OVER, pi);
    }

    private static long executableJobs(ProcessInstance pi) {
        return managementService().createJobQuery().processInstanceId(pi.getId()).executable().count();
    }

    /** As the application does: by the instance (here found by its business key, the ticket's number). */
    private static void correlate(String message) {
        runtimeService().createMessageCorrelation(message).processInstanceBusinessKey(Long.toString(NUMBER))
                .correlateWithResult();
    }

    private static Object historicVariable(ProcessInstance pi, ProcessVariable<?> variable) {
        var historic = historyService().createHistoricVariableInstanceQuery().processInstanceId(pi.getId())
                .variableName(variable.name()).singleResult();
        return historic == null ? null : historic.getValue();
    }

    private static JsonNode field(JsonNode form, String key) {
        for (JsonNode component : form.get("components")) {
            if (key.equals(component.path("key").asText(null))) {
                return component;
            }
        }
        throw new AssertionError("no field " + key);
    }

    private static List<String> keys(JsonNode form) {
        List<String> keys = new ArrayList<>();
        form.get("components").forEach(component -> {
            if (component.hasNonNull("key")) {
                keys.add(component.get("key").asText());
            }
        });
        return keys;
    }

    private InputStream resource(String name) {
        InputStream stream = getClass().getClassLoader().getResourceAsStream(name);
        assertThat(stream).as(name).isNotNull();
        return stream;
    }
}
