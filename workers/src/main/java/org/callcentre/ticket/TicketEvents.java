package org.callcentre.ticket;

/**
 * What happened to tickets, published in the transaction that did it; listeners that send mail act after it
 * commits ({@code @TransactionalEventListener}), so nothing is sent for a change that was undone.
 */
public final class TicketEvents {

    private TicketEvents() {
    }

    /** A new ticket was opened by a contact or by a user. */
    public record Opened(long number, String groupKey) {
    }

    /** The end-user wrote, left a voicemail or sent a message on an existing ticket. */
    public record EndUserUpdated(long number, String ownerUserId) {
    }
}
