package org.callcentre.callback;

import java.time.Instant;

/**
 * One callback, as its row holds it.
 *
 * @param dueLocal the local date-time asked for, as given, in {@code timeZone}
 * @param outcome  the last call's status, or why it failed, was cancelled or neglected
 * @param origin   who or what created it: {@code AGENT} (from a call or a lead), {@code IVR} (asked for in an
 *                 inbound queue) or {@code LOST_CALL} (a caller who hung up while queued)
 * @param originInboundCallId   the inbound call it was asked for in, or made of
 * @param servedByInboundCallId the inbound call that served its number, making it Neglected
 */
public record Callback(long id, long leadId, String phone, Mode mode, String ownerUserId, long teamId,
        long campaignId, String reason, Instant dueAt, String dueLocal, String timeZone,
        boolean overrideCallingHours, Status status, int attempts, String outcome, String createdBy, String origin,
        Long originCallId, Long servedByCallId, Instant openedToTeamAt, String offeredTo, String processInstanceId,
        Instant createdAt, Instant updatedAt, Long originInboundCallId, Long servedByInboundCallId) {

    /** Call Back Agent (its owner keeps it) or Call Back Queue (any agent of the team). */
    public enum Mode {
        AGENT, QUEUE
    }

    public enum Status {
        SCHEDULED, DUE, OFFERED, IN_CALL, DONE, NEGLECTED, CANCELLED, FAILED;

        /** Not yet kept, failed, cancelled or neglected. */
        public boolean open() {
            return this == SCHEDULED || this == DUE || this == OFFERED || this == IN_CALL;
        }
    }

    /** Whether {@code userId} may take it from Next Lead now (its owner, or anyone of the team once it is open). */
    public boolean forAnyoneOfTheTeam() {
        return mode == Mode.QUEUE || openedToTeamAt != null;
    }
}
