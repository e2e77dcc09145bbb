package org.callcentre.ticket;

import java.util.Date;

import org.callcentre.processes.Groups;
import org.callcentre.processes.ticket.TicketProcess.Need;
import org.camunda.bpm.engine.delegate.DelegateExecution;

/**
 * What {@code bpmn/ticket.bpmn} reads, all from the ticket's row, never from a variable. The row is found by the
 * instance's business key, the ticket's number: unlike a process variable (even {@code ticketNumber}), which an
 * engine administrator may set, no door of the engine changes it.
 */
public class TicketFacts {

    private final Tickets tickets;

    public TicketFacts(Tickets tickets) {
        this.tickets = tickets;
    }

    /** {@code TRIAGE}, {@code WAIT}, {@code WORK} or {@code CLOSED}. */
    public String need(DelegateExecution execution) {
        Ticket ticket = ticket(execution);
        if (!ticket.status().open()) {
            return Need.CLOSED.name();
        }
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

    /** The number of the ticket the instance runs: its business key. */
    static long number(DelegateExecution execution) {
        return Long.parseLong(execution.getProcessBusinessKey());
    }

    private Ticket ticket(DelegateExecution execution) {
        long number = number(execution);
        return tickets.ticket(number).orElseThrow(() -> new IllegalStateException("there is no ticket " + number));
    }
}
