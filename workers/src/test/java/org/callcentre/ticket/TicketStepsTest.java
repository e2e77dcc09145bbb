package org.callcentre.ticket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.callcentre.dialler.Caller;
import org.callcentre.problem.RefusedException;
import org.callcentre.processes.Groups;
import org.callcentre.processes.ticket.TicketProcess.Forms;
import org.callcentre.processes.ticket.TicketProcess.Need;
import org.callcentre.processes.ticket.TicketProcess.Variables;
import org.callcentre.ticket.Ticket.Origin;
import org.callcentre.user.Role;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngineServices;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.camunda.bpm.engine.variable.Variables.SerializationDataFormats;
import org.camunda.bpm.engine.variable.value.ObjectValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mockito.ArgumentCaptor;

/**
 * The ticket model's steps and facts on their own: which ticket (the business key, never the variable), who completed
 * the task (the engine's current user, judged by their engine groups), what a form's answer becomes, and what the
 * model reads of the row.
 */
class TicketStepsTest {

    private static final long NUMBER = 31L;

    private final Tickets tickets = mock(Tickets.class);
    private final Map<String, Object> variables = new HashMap<>();

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"agents, AGENT", "agentadmins, AGENT_ADMIN", "adminops, ADMIN_OPS", "camunda-admin, ADMIN_OPS",
        "groupInfo, AGENT"})
    void theCompletingUserIsJudgedByTheirEngineGroups(String group, Role role) {
        DelegateExecution execution = execution("sam", List.of(group, "groupDonations"));

        assertThat(TicketSteps.completedBy(execution)).isEqualTo(new Caller("sam", role));
    }

    @Test
    void aCompletionWithoutASignedInUserIsRefused() {
        variables.put(Variables.TARGET_GROUP.name(), "Donations");
        DelegateExecution execution = execution(null, null);

        assertThatThrownBy(() -> new TicketSteps.ApplyTriage(tickets).execute(execution))
                .isInstanceOfSatisfying(RefusedException.class,
                        refused -> assertThat(refused.reason()).isEqualTo(RefusedException.Reason.FORBIDDEN));
        verifyNoInteractions(tickets);
    }

    /** The triage form's group is read and removed; the ticket is the business key's even if the variable lies. */
    @Test
    void triageMovesTheBusinessKeysTicketAsTheCompletingUser() {
        variables.put(Variables.TARGET_GROUP.name(), "Donations");
        variables.put(Variables.TICKET_NUMBER.name(), 999L);
        DelegateExecution execution = execution("sam", List.of(Groups.AGENTS));

        new TicketSteps.ApplyTriage(tickets).execute(execution);

        verify(tickets).recordTriage(new Caller("sam", Role.AGENT), NUMBER, "Donations");
        assertThat(variables).doesNotContainKey(Variables.TARGET_GROUP.name());
    }

    @Test
    void aTriageWithoutAGroupIsRefusedBeforeTheRowIsTouched() {
        DelegateExecution execution = execution("sam", List.of(Groups.AGENTS));

        assertThatThrownBy(() -> new TicketSteps.ApplyTriage(tickets).execute(execution))
                .isInstanceOfSatisfying(RefusedException.class,
                        refused -> assertThat(refused.reason()).isEqualTo(RefusedException.Reason.UNPROCESSABLE))
                .hasMessageContaining("targetGroup is required");
        verifyNoInteractions(tickets);
    }

    @Test
    void workWritesTheFormsStatusAndNextAction() {
        variables.put(Variables.STATUS.name(), "WAITING_ON_END_USER");
        variables.put(Variables.NEXT_ACTION.name(), "Wait for the photos");
        DelegateExecution execution = execution("sam", List.of(Groups.AGENT_ADMINS));

        new TicketSteps.ApplyWork(tickets).execute(execution);

        verify(tickets).recordWork(new Caller("sam", Role.AGENT_ADMIN), NUMBER, TicketStatus.WAITING_ON_END_USER,
                "Wait for the photos");
        assertThat(variables).doesNotContainKeys(Variables.STATUS.name(), Variables.NEXT_ACTION.name());
    }

    @Test
    void aStatusThatIsNoneOfTheTicketsIsRefusedBeforeTheRowIsTouched() {
        variables.put(Variables.STATUS.name(), "DONE");
        DelegateExecution execution = execution("sam", List.of(Groups.AGENTS));

        assertThatThrownBy(() -> new TicketSteps.ApplyWork(tickets).execute(execution))
                .isInstanceOfSatisfying(RefusedException.class,
                        refused -> assertThat(refused.reason()).isEqualTo(RefusedException.Reason.UNPROCESSABLE))
                .hasMessageContaining("ticketStatus is NEED_TO_CONTACT, WAITING_ON_END_USER or COMPLETED");
        verifyNoInteractions(tickets);
    }

    @Test
    void theWaitIsOverForTheBusinessKeysTicket() {
        variables.put(Variables.TICKET_NUMBER.name(), 999L);

        new TicketSteps.WaitOver(tickets).execute(execution(null, null));

        verify(tickets).waitOver(NUMBER);
    }

    @Test
    void theFactsAreTheRowsFoundByTheBusinessKey() {
        variables.put(Variables.TICKET_NUMBER.name(), 999L);
        when(tickets.ticket(999L)).thenThrow(new AssertionError("read by the variable"));
        Instant until = Instant.parse("2027-06-01T09:00:00Z");
        when(tickets.ticket(NUMBER)).thenReturn(Optional.of(ticket(TicketStatus.WAITING_FOR_EVENT, until, false,
                "Donations", "sam")));
        TicketFacts facts = new TicketFacts(tickets);
        DelegateExecution execution = execution(null, null);

        assertThat(facts.need(execution)).isEqualTo(Need.WAIT.name());
        assertThat(facts.candidateGroup(execution)).isEqualTo("groupDonations");
        assertThat(facts.owner(execution)).isEqualTo("sam");
        assertThat(facts.waitUntil(execution)).isEqualTo(Date.from(until));
    }

    @ParameterizedTest(name = "{0}, awaiting triage {1} -> {2}")
    @CsvSource({"NEED_TO_CONTACT, true, TRIAGE", "NEED_TO_CONTACT, false, WORK", "WAITING_ON_END_USER, false, WORK",
        "COMPLETED, false, WORK", "WAITING_FOR_EVENT, false, WAIT", "CLOSED, false, CLOSED", "CLOSED, true, CLOSED"})
    void whatTheTicketNeedsIsReadFromItsRow(TicketStatus status, boolean awaitingTriage, Need need) {
        Instant until = status == TicketStatus.WAITING_FOR_EVENT ? Instant.parse("2027-06-01T09:00:00Z") : null;
        when(tickets.ticket(NUMBER)).thenReturn(Optional.of(ticket(status, until, awaitingTriage, "Info", null)));

        assertThat(new TicketFacts(tickets).need(execution(null, null))).isEqualTo(need.name());
    }

    @Test
    void aTicketWithoutItsRowIsAnEngineFailureNotAGuess() {
        when(tickets.ticket(anyLong())).thenReturn(Optional.empty());

        assertThatThrownBy(() -> new TicketFacts(tickets).need(execution(null, null)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("there is no ticket " + NUMBER);
        verify(tickets).ticket(NUMBER);
        verify(tickets, org.mockito.Mockito.never()).recordWork(any(), anyLong(), any(), any());
    }

    /**
     * The triage task offers every group as a label/value pair, serialised in Spin's JSON format: Tasklist parses a
     * form variable of that format into the array the form's {@code valuesKey} needs.
     */
    @Test
    void theTriageTaskOffersEveryGroupAsJsonChoices() {
        when(tickets.ticket(NUMBER)).thenReturn(Optional.of(ticket(TicketStatus.NEED_TO_CONTACT, null, true, "Info",
                null)));
        TicketGroups groups = mock(TicketGroups.class);
        when(groups.all()).thenReturn(List.of(group("Donations", "Donations"), group("WebMaster", "Web Master")));
        DelegateTask task = task("Assign to the right group");

        new TicketSteps.TaskCreated(tickets, groups).notify(task);

        verify(task).setName("Assign to the right group: ticket " + NUMBER + ", Sofa");
        verify(task).setDescription("Jane (Info)");
        ArgumentCaptor<Object> choices = ArgumentCaptor.forClass(Object.class);
        verify(task).setVariableLocal(eq(Forms.GROUP_CHOICES), choices.capture());
        assertThat(choices.getValue()).isInstanceOfSatisfying(ObjectValue.class, value -> {
            assertThat(value.getSerializationDataFormat()).isEqualTo(SerializationDataFormats.JSON.getName());
            assertThat(value.getValue()).isEqualTo(List.of(Map.of("label", "Donations", "value", "Donations"),
                    Map.of("label", "Web Master", "value", "WebMaster")));
        });
    }

    @Test
    void aWorkTaskIsNamedAfterItsTicketWithoutChoices() {
        when(tickets.ticket(NUMBER)).thenReturn(Optional.of(ticket(TicketStatus.NEED_TO_CONTACT, null, false,
                "Donations", null)));
        TicketGroups groups = mock(TicketGroups.class);
        DelegateTask task = task("Work the ticket");

        new TicketSteps.TaskCreated(tickets, groups).notify(task);

        verify(task).setName("Work the ticket: ticket " + NUMBER + ", Sofa");
        verify(task, never()).setVariableLocal(any(), any());
        verifyNoInteractions(groups);
    }

    private DelegateTask task(String name) {
        DelegateTask task = mock(DelegateTask.class);
        DelegateExecution execution = execution(null, null);
        when(task.getExecution()).thenReturn(execution);
        when(task.getName()).thenReturn(name);
        return task;
    }

    private static TicketGroup group(String key, String name) {
        return new TicketGroup(key, name, true, false, null, List.of(), null);
    }

    private static Ticket ticket(TicketStatus status, Instant waitUntil, boolean awaitingTriage, String group,
            String owner) {
        Instant created = Instant.parse("2027-05-01T09:00:00Z");
        return new Ticket(NUMBER, group, owner, new EndUser("Jane", "jane@example.org", null), "Sofa", null, status,
                waitUntil, awaitingTriage, 1, Origin.EMAIL, null, "instance", created, created,
                status == TicketStatus.CLOSED ? created : null);
    }

    /** An execution of ticket {@link #NUMBER} whose variables are {@link #variables}, completed by the user. */
    private DelegateExecution execution(String userId, List<String> groups) {
        DelegateExecution execution = mock(DelegateExecution.class);
        when(execution.getProcessBusinessKey()).thenReturn(Long.toString(NUMBER));
        when(execution.getVariable(any())).thenAnswer(call -> variables.get(call.<String>getArgument(0)));
        org.mockito.Mockito.doAnswer(call -> variables.remove(call.<String>getArgument(0))).when(execution)
                .removeVariable(any());
        ProcessEngineServices services = mock(ProcessEngineServices.class);
        IdentityService identity = mock(IdentityService.class);
        when(execution.getProcessEngineServices()).thenReturn(services);
        when(services.getIdentityService()).thenReturn(identity);
        when(identity.getCurrentAuthentication()).thenReturn(userId == null ? null
                : new Authentication(userId, groups));
        return execution;
    }
}
