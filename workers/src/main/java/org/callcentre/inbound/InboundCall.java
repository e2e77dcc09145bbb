package org.callcentre.inbound;

import java.time.Instant;

/**
 * One call to an inbound number, as its row says.
 *
 * @param groupKey the ticket group the caller was routed to (by the menu, or to the number's voicemail group from a
 *                 full queue), or null
 * @param ticketId the ticket the caller's voicemail was filed on, or null
 */
public record InboundCall(long id, String callSid, long inboundNumberId, String from, Long leadId, Status status,
        Result result, int menuAttempts, String menuKey, Long teamId, Instant enqueuedAt, String assignedTo,
        Instant assignedAt, Instant answeredAt, Long callbackId, String processInstanceId, Instant startedAt,
        Instant endedAt, String groupKey, Long ticketId) {

    public enum Status {
        /** In the menu. */
        IVR,
        /** Waiting in the team's queue. */
        QUEUED,
        /** An agent was chosen; Twilio is moving the caller to them. */
        ASSIGNING,
        /** With the agent. */
        ASSIGNED,
        ENDED
    }

    public enum Result {
        SERVED, LOST, CALLBACK, MISSED, ABANDONED, FAILED,
        /** Routed to a group that takes voicemail: the caller is asked for a message, which becomes a ticket. */
        VOICEMAIL,
        /** Routed to a group that does not: the caller was told to use the website form. */
        REFERRED
    }
}
