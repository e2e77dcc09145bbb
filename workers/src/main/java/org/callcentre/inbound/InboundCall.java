package org.callcentre.inbound;

import java.time.Instant;

/** One call to an inbound number, as its row says. */
public record InboundCall(long id, String callSid, long inboundNumberId, String from, Long leadId, Status status,
        Result result, int menuAttempts, String menuKey, Long teamId, Instant enqueuedAt, String assignedTo,
        Instant assignedAt, Instant answeredAt, Long callbackId, String processInstanceId, Instant startedAt,
        Instant endedAt) {

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
        SERVED, LOST, CALLBACK, MISSED, ABANDONED, FAILED
    }
}
