package org.callcentre.ticket;

import java.time.Instant;

/**
 * A ticket's row: one end-user's matter with one group.
 *
 * @param number           the ticket's number
 * @param awaitingTriage   a new ticket of the triage group, not yet assigned to the right group
 * @param unanswered       contacts from the end-user that nobody has answered yet
 * @param mergedInto       the ticket it was merged into, once closed by a merge
 */
public record Ticket(long number, String groupKey, String ownerUserId, EndUser endUser, String title,
        String nextAction, TicketStatus status, Instant waitUntil, boolean awaitingTriage, int unanswered,
        Origin origin, Long mergedInto, String processInstanceId, Instant createdAt, Instant updatedAt,
        Instant closedAt) {

    /** How a ticket began. */
    public enum Origin {
        EMAIL, WEB_FORM, VOICEMAIL, MESSAGE, BLANK
    }
}
