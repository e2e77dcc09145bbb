package org.callcentre.ticket;

import java.util.Date;

import org.callcentre.processes.Groups;
import org.callcentre.processes.ticket.TicketProcess.Need;
import org.callcentre.processes.ticket.TicketProcess.Variables;
import org.camunda.bpm.engine.delegate.DelegateExecution;

/**
 * What {@code bpmn/ticket.bpmn} reads, all from the ticket's row (found by the instance's ticket number), never from
 * a variable.
 */
public class TicketFacts {

    private final Tickets tickets;

    public TicketFacts(Tickets tickets) {
        this.tickets = tickets;
    }

    /** {@code TRIAGE}, {@code WAIT} or {@code WORK}. */
    public String need(DelegateExecution execution) {
        Ticket ticket = ticket(execution);
        if (ticket.awaitingTriage()) {
            return Need.TRIAGE.name();
        }
        return ticket.status() == TicketStatus.WAITING_FOR_EVENT && ticket.waitUntil() != null ? Need.WAIT.name()
                : Need.WORK.name();
    }

    /** The engine group of the ticket's group: its tasks' candidates. */
    public String candidateGroup(DelegateExecution execution) {
        return Groups.ticketGroup(ticket(execution).groupKey());
    }

    /** The work task's assignee: the ticket's owner, or null. */
    public String owner(DelegateExecution execution) {
        return ticket(execution).ownerUserId();
    }

    /** The wait's end. */
    public Date waitUntil(DelegateExecution execution) {
        return Date.from(ticket(execution).waitUntil());
    }

    private Ticket ticket(DelegateExecution execution) {
        long number = Variables.TICKET_NUMBER.get(execution);
        return tickets.ticket(number).orElseThrow(() -> new IllegalStateException("there is no ticket " + number));
    }
}
