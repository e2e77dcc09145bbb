package org.callcentre.processes.ticket;

import java.util.List;

import org.callcentre.processes.ProcessVariable;

/**
 * Everything code and tests need to know about {@code bpmn/ticket.bpmn}: one ticket from its first contact to its
 * close. The business key is the ticket's number (its row in {@code ticket}), and that row is the truth: the
 * application writes every change there first and then tells the instance ({@link Messages}); the model's
 * gateways, assignees, candidate groups and timer read the row ({@code ticketFacts}), never a variable.
 */
public final class TicketProcess {

    private TicketProcess() {
    }

    public static final String PROCESS_KEY = "ticket";

    /** Element ids. */
    public static final class Elements {
        private Elements() {
        }

        public static final String START = "StartEvent_TicketOpened";
        /** Where every change comes back to, to read the row again. */
        public static final String READ_ROW = "Gateway_ReadRow";
        /** Reads the row: triage, waiting for an event, work for the group, or already closed. */
        public static final String ROUTE = "Gateway_Route";
        /** The row already says the ticket is closed: the instance ends. */
        public static final String ALREADY_CLOSED = "EndEvent_AlreadyClosed";
        public static final String TRIAGE = "UserTask_Triage";
        public static final String TRIAGE_CHANGED = "BoundaryEvent_TriageChanged";
        public static final String APPLY_TRIAGE = "Task_ApplyTriage";
        public static final String WORK = "UserTask_Work";
        public static final String WORK_CHANGED = "BoundaryEvent_WorkChanged";
        public static final String APPLY_WORK = "Task_ApplyWork";
        public static final String AWAIT_EVENT = "Gateway_AwaitEvent";
        public static final String WAIT_OVER = "Timer_WaitOver";
        public static final String CHANGED_WHILE_WAITING = "Catch_ChangedWhileWaiting";
        public static final String BACK_TO_NEED_TO_CONTACT = "Task_BackToNeedToContact";
        public static final String CLOSED = "StartEvent_Closed";
        public static final String END_CLOSED = "EndEvent_Closed";
    }

    /** Message names (the {@code name} of the BPMN message). */
    public static final class Messages {
        private Messages() {
        }

        /** Its group, owner, title, status or wait changed in the row: the instance reads the row again. */
        public static final String CHANGED = "TicketChanged";
        /** Closed (or merged into another ticket) in the row: the instance ends. */
        public static final String CLOSED = "TicketClosed";
    }

    /** What the row says the ticket needs ({@code ticketFacts.need}). */
    public enum Need {
        /** A new ticket of the triage group: someone assigns it to the right group. */
        TRIAGE,
        /** Waiting for an event until a date. */
        WAIT,
        /** Anything else: work for the group (need to contact, waiting on the end-user, completed). */
        WORK,
        /** Closed in the row (the instance learns it on its way, before its close message): nothing to wait for. */
        CLOSED
    }

    /** Process and task variables: the number only, and the forms' fields. */
    public static final class Variables {
        private Variables() {
        }

        /**
         * The ticket's number, for Cockpit. The model's beans find the ticket by the business key (the same number),
         * which no door of the engine changes, never by this variable.
         */
        public static final ProcessVariable<Long> TICKET_NUMBER = ProcessVariable.longValue("ticketNumber");
        /** The triage form's answer: the key of the group the ticket belongs to. Read, then removed. */
        public static final ProcessVariable<String> TARGET_GROUP = ProcessVariable.string("targetGroup");
        /** The work form's answers: the new status and next action. Read, then removed. */
        public static final ProcessVariable<String> STATUS = ProcessVariable.string("ticketStatus");
        public static final ProcessVariable<String> NEXT_ACTION = ProcessVariable.string("nextAction");

        public static final List<ProcessVariable<?>> ALL = List.of(TICKET_NUMBER, TARGET_GROUP, STATUS, NEXT_ACTION);
    }

    /** The Camunda Forms of the tasks ({@code camunda:formRef}). */
    public static final class Forms {
        private Forms() {
        }

        public static final String TRIAGE = "ticket-triage";
        public static final String TRIAGE_RESOURCE = "forms/ticket/ticket-triage.form";
        public static final String WORK = "ticket-work";
        public static final String WORK_RESOURCE = "forms/ticket/ticket-work.form";
        /** The triage form's choices (a task-local variable the create listener sets: label/value pairs). */
        public static final String GROUP_CHOICES = "groupChoices";
    }

    /** Beans the model refers to. */
    public static final class Beans {
        private Beans() {
        }

        /**
         * Reads the ticket's row: {@code need(execution)} (a {@link Need} name), {@code candidateGroup(execution)}
         * (the group's engine group), {@code owner(execution)} (user id or null) and {@code waitUntil(execution)}
         * (a {@code java.util.Date}).
         */
        public static final String FACTS = "ticketFacts";
        /** The triage task was completed: moves the ticket to the chosen group (or keeps it), in the row. */
        public static final String APPLY_TRIAGE = "applyTicketTriageDelegate";
        /** The work task was completed: writes its status and next action to the row. */
        public static final String APPLY_WORK = "applyTicketWorkDelegate";
        /** The wait is over: the row needs contact again. */
        public static final String WAIT_OVER = "ticketWaitOverDelegate";
        /** Names a task after its ticket and sets the triage form's choices. */
        public static final String TASK_CREATED = "ticketTaskCreatedListener";
    }
}
