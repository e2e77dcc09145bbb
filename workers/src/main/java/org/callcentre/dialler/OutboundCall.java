package org.callcentre.dialler;

import java.time.Instant;
import java.util.List;

/**
 * One call placed to a lead, as its row in {@code outbound_call} holds it.
 *
 * @param callSid         Twilio's sid; null until Twilio created the call, and for ever if it refused to
 * @param status          Twilio's status: queued, initiated, ringing, in-progress, completed, busy, no-answer,
 *                        canceled, failed
 * @param statusHistory   each status that moved the call, in order
 * @param durationSeconds Twilio's duration of the ended call, when it said
 * @param errorCode       Twilio's code when it refused to place the call
 * @param errorMessage    Twilio's message when it refused to place the call, or the dialling compliance's refusal
 *                        (without a code) when it refused the call just before Twilio was asked
 */
public record OutboundCall(long id, long leadId, String userId, long campaignId, String conferenceName,
        String callSid, String from, String to, String status, Integer sequenceNumber, boolean isFinal,
        boolean billable, Integer durationSeconds, Integer errorCode, String errorMessage,
        boolean overrideCallingHours, Instant placedAt, Instant endedAt, List<StatusChange> statusHistory) {

    /** A status the call moved to. */
    public record StatusChange(String status, Integer sequenceNumber, Instant at) {
    }

    /** Twilio has connected the call: hanging up now completes it rather than cancelling it. */
    public boolean answered() {
        return "in-progress".equals(status);
    }
}
