package org.callcentre.ticket;

import static org.callcentre.problem.RefusedException.forbidden;
import static org.callcentre.problem.RefusedException.unprocessable;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.callcentre.dialler.Caller;
import org.callcentre.processes.Groups;
import org.callcentre.processes.ticket.TicketProcess.Forms;
import org.callcentre.processes.ticket.TicketProcess.Variables;
import org.callcentre.user.Role;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.camunda.bpm.engine.variable.Variables.SerializationDataFormats;

/** The ticket model's steps: each writes the ticket's row through {@link Tickets}. */
public final class TicketSteps {

    private TicketSteps() {
    }

    /** The triage form named a group: the ticket moves there (or stays), as the completing user. */
    public static class ApplyTriage implements JavaDelegate {
        private final Tickets tickets;

        public ApplyTriage(Tickets tickets) {
            this.tickets = tickets;
        }

        @Override
        public void execute(DelegateExecution execution) {
            String target = Variables.TARGET_GROUP.get(execution);
            execution.removeVariable(Variables.TARGET_GROUP.name());
            if (target == null || target.isBlank()) {
                throw unprocessable("targetGroup is required: the key of the group the ticket belongs to");
            }
            tickets.recordTriage(completedBy(execution), TicketFacts.number(execution), target);
        }
    }

    /** The work form gave a status and next action, as the completing user. */
    public static class ApplyWork implements JavaDelegate {
        private final Tickets tickets;

        public ApplyWork(Tickets tickets) {
            this.tickets = tickets;
        }

        @Override
        public void execute(DelegateExecution execution) {
            String status = Variables.STATUS.get(execution);
            String nextAction = Variables.NEXT_ACTION.get(execution);
            execution.removeVariable(Variables.STATUS.name());
            execution.removeVariable(Variables.NEXT_ACTION.name());
            TicketStatus parsed;
            try {
                parsed = status == null ? null : TicketStatus.valueOf(status);
            } catch (IllegalArgumentException unknown) {
                throw unprocessable("ticketStatus is NEED_TO_CONTACT, WAITING_ON_END_USER or COMPLETED");
            }
            tickets.recordWork(completedBy(execution), TicketFacts.number(execution), parsed, nextAction);
        }
    }

    /** The wait's date passed. */
    public static class WaitOver implements JavaDelegate {
        private final Tickets tickets;

        public WaitOver(Tickets tickets) {
            this.tickets = tickets;
        }

        @Override
        public void execute(DelegateExecution execution) {
            tickets.waitOver(TicketFacts.number(execution));
        }
    }

    /**
     * Names a task after its ticket ("Ticket 12: Pick-up of a sofa") and, for the triage task, offers the groups as
     * the form's choices (a task-local variable).
     */
    public static class TaskCreated implements TaskListener {
        private final Tickets tickets;
        private final TicketGroups groups;

        public TaskCreated(Tickets tickets, TicketGroups groups) {
            this.tickets = tickets;
            this.groups = groups;
        }

        @Override
        public void notify(DelegateTask task) {
            long number = TicketFacts.number(task.getExecution());
            Ticket ticket = tickets.ticket(number).orElseThrow();
            task.setName(task.getName() + ": ticket " + number + ", " + ticket.title());
            task.setDescription(ticket.endUser().displayName() + " (" + ticket.groupKey() + ")");
            if (ticket.awaitingTriage()) {
                List<Map<String, String>> choices = new ArrayList<>();
                for (TicketGroup group : groups.all()) {
                    choices.add(Map.of("label", group.name(), "value", group.key()));
                }
                task.setVariableLocal(Forms.GROUP_CHOICES, org.camunda.bpm.engine.variable.Variables
                        .objectValue(choices).serializationDataFormat(SerializationDataFormats.JSON).create());
            }
        }
    }

    /** The user completing a task, as the ticket rules judge them; a completion with no user is refused. */
    static Caller completedBy(DelegateExecution execution) {
        Authentication user = execution.getProcessEngineServices().getIdentityService().getCurrentAuthentication();
        if (user == null || user.getUserId() == null) {
            throw forbidden("a ticket's task is completed by a signed-in user");
        }
        List<String> engineGroups = user.getGroupIds() == null ? List.of() : user.getGroupIds();
        Role role = engineGroups.contains(Groups.ADMIN_OPS) || engineGroups.contains(Groups.CAMUNDA_ADMIN)
                ? Role.ADMIN_OPS : engineGroups.contains(Groups.AGENT_ADMINS) ? Role.AGENT_ADMIN : Role.AGENT;
        return new Caller(user.getUserId(), role);
    }
}
