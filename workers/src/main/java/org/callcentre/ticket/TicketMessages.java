package org.callcentre.ticket;

import org.callcentre.processes.ProcessVariable;
import org.callcentre.processes.engine.AsSystem;
import org.callcentre.processes.ticket.TicketProcess;
import org.callcentre.processes.ticket.TicketProcess.Messages;
import org.callcentre.processes.ticket.TicketProcess.Variables;
import org.camunda.bpm.engine.ProcessEngine;

/**
 * Tells a ticket's instance what its row now says, in the caller's transaction, as the system: the ticket's rules
 * were checked by the application, and the user whose request this is holds no permission on the instance.
 */
public class TicketMessages {

    private final ProcessEngine engine;

    public TicketMessages(ProcessEngine engine) {
        this.engine = engine;
    }

    /** Starts the ticket's instance; its id is kept on the row. */
    public String started(long number) {
        return AsSystem.call(engine, () -> engine.getRuntimeService().startProcessInstanceByKey(
                TicketProcess.PROCESS_KEY, Long.toString(number),
                ProcessVariable.values().with(Variables.TICKET_NUMBER, number).asMap()).getId());
    }

    public void changed(String processInstanceId) {
        AsSystem.correlate(engine, Messages.CHANGED, processInstanceId);
    }

    public void closed(String processInstanceId) {
        AsSystem.correlate(engine, Messages.CLOSED, processInstanceId);
    }
}
