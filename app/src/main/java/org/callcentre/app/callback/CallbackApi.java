package org.callcentre.app.callback;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;

import org.callcentre.callback.Callback;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The JSON shapes of {@code /api/callbacks}. */
public final class CallbackApi {

    private CallbackApi() {
    }

    /**
     * A callback to schedule. {@code dueAt} is a local date-time ({@code 2027-03-28T14:30}) in {@code timeZone} (the
     * lead's when absent); with an offset it picks one instant of a repeated hour. {@code mode}: {@code AGENT} or
     * {@code QUEUE}. {@code phone}: one of the lead's numbers (the first dialable when absent). {@code callId}: the
     * call it was promised on. {@code ownerUserId}: for a team manager scheduling a Call Back Agent callback.
     */
    public record ScheduleRequest(Long leadId, String phone, String dueAt, String timeZone, String reason, String mode,
            Boolean overrideCallingHours, Long callId, String ownerUserId) {
    }

    /** A change: each field given replaces the callback's; the callback is dormant again until its due time. */
    public record ChangeRequest(String dueAt, String timeZone, String reason, String mode, String ownerUserId,
            Boolean overrideCallingHours) {
    }

    /** Why a callback is cancelled (also accepted as the query parameter {@code reason}). */
    public record CancelRequest(String reason) {
    }

    /** The answer to a schedule. */
    public record Scheduled(long id, String status, Instant dueAtUtc) {
    }

    /**
     * A callback. {@code dueAtLocal} is the due instant in the callback's zone, with its offset; in the Call Back
     * Queue view {@code dueAtLeadZone} shows it in the lead's zone and {@code dueAtViewer} in the zone the viewer
     * asked for.
     */
    public record CallbackView(long id, long leadId, String leadName, String phone, String mode, String ownerUserId,
            long teamId, String reason, Instant dueAtUtc, OffsetDateTime dueAtLocal, String timeZone, String status,
            int attempts, String outcome, String createdBy, String origin, Long originCallId, Long servedByCallId,
            Long originInboundCallId, Long servedByInboundCallId, boolean overrideCallingHours, Instant openedToTeamAt, String offeredTo,
            @JsonInclude(JsonInclude.Include.NON_NULL) String leadTimeZone,
            @JsonInclude(JsonInclude.Include.NON_NULL) OffsetDateTime dueAtLeadZone,
            @JsonInclude(JsonInclude.Include.NON_NULL) String viewerTimeZone,
            @JsonInclude(JsonInclude.Include.NON_NULL) OffsetDateTime dueAtViewer) {

        public static CallbackView of(Callback c, String leadName) {
            return of(c, leadName, null, null);
        }

        static CallbackView of(Callback c, String leadName, ZoneId leadZone, ZoneId viewer) {
            return new CallbackView(c.id(), c.leadId(), leadName, c.phone(), c.mode().name(), c.ownerUserId(),
                    c.teamId(), c.reason(), c.dueAt(), c.dueAt().atZone(ZoneId.of(c.timeZone())).toOffsetDateTime(),
                    c.timeZone(), c.status().name(), c.attempts(), c.outcome(), c.createdBy(), c.origin(),
                    c.originCallId(), c.servedByCallId(), c.originInboundCallId(), c.servedByInboundCallId(),
                    c.overrideCallingHours(), c.openedToTeamAt(),
                    c.offeredTo(), leadZone == null ? null : leadZone.getId(),
                    leadZone == null ? null : c.dueAt().atZone(leadZone).toOffsetDateTime(),
                    viewer == null ? null : viewer.getId(),
                    viewer == null ? null : c.dueAt().atZone(viewer).toOffsetDateTime());
        }
    }
}
