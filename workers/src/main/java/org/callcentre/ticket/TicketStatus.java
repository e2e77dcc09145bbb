package org.callcentre.ticket;

/** Where a ticket stands; every status but {@link #CLOSED} is open. */
public enum TicketStatus {
    /** Someone in the group needs to contact the end-user (the yellow phone). */
    NEED_TO_CONTACT,
    /** The group has answered and waits for the end-user (the green phone). */
    WAITING_ON_END_USER,
    /** Waits for a date (the hourglass); when it passes, the ticket needs contact again. */
    WAITING_FOR_EVENT,
    /** The follow-up has happened (the green check); closed by "close completed tickets". */
    COMPLETED,
    CLOSED;

    public boolean open() {
        return this != CLOSED;
    }
}
