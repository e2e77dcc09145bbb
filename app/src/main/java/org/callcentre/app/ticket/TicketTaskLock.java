package org.callcentre.app.ticket;

import org.callcentre.app.security.TaskCompletionLocks;
import org.callcentre.ticket.Tickets;
import org.springframework.stereotype.Component;

/**
 * A ticket's task is completed in Tasklist under the ticket's row lock, which every change to the ticket takes first:
 * a triage or work form racing a move, a close or a new contact is one after the other, never both at once.
 */
@Component
public class TicketTaskLock implements TaskCompletionLocks.ProcessRowLock {

    private final Tickets tickets;

    public TicketTaskLock(Tickets tickets) {
        this.tickets = tickets;
    }

    @Override
    public boolean lock(String processInstanceId) {
        return tickets.lockOfProcess(processInstanceId);
    }
}
