package org.callcentre.app.dialler;

import java.time.Instant;
import java.util.List;

import org.callcentre.dialler.CallOutcomes;
import org.callcentre.dialler.CallStatus;
import org.callcentre.dialler.LeadView;
import org.callcentre.dialler.Rejection;

import com.fasterxml.jackson.annotation.JsonInclude;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** The JSON shapes of the leads, lead import and do-not-call API. */
public final class LeadApi {

    private LeadApi() {
    }

    /** The agent's outcome of a call; {@code callId}, when given, is one of the lead's calls. */
    /**
     * An outcome; with a Call back outcome, {@code callback} schedules the callback in the same transaction (a refused
     * callback records no outcome either).
     */
    public record NewCallStatus(@NotNull CallStatus status, Long callId, @Size(max = 1000) String note,
            CallbackToSchedule callback) {
    }

    /** The callback promised on the call: as {@code POST /api/callbacks}, for this lead and call. */
    public record CallbackToSchedule(String phone, String dueAt, String timeZone, String reason, String mode,
            Boolean overrideCallingHours, String ownerUserId) {
    }

    public record EditedCallStatus(@NotNull CallStatus status) {
    }

    /** A recorded call status: its id, and what the call-outcome decision made follow it. */
    public record RecordedCallStatus(long id, Decision decision,
            @JsonInclude(JsonInclude.Include.NON_NULL) Long callbackId) {

        static RecordedCallStatus of(CallOutcomes.Recorded recorded, Long callbackId) {
            CallOutcomes.Decision decision = recorded.decision();
            return new RecordedCallStatus(recorded.statusId(), new Decision(decision.action().name(),
                    decision.retryAt(), decision.summary()), callbackId);
        }
    }

    /**
     * What follows the outcome: {@code action} is {@code RETRY}, {@code NEXT_NUMBER}, {@code DO_NOT_CALL},
     * {@code STOP} or {@code NONE}; {@code retryAt} is when Next Lead may offer the lead again if the decision moved
     * it (null otherwise); {@code summary} is the sentence in the lead's history.
     */
    public record Decision(String action, Instant retryAt, String summary) {
    }

    /** A page of leads, newest first; {@code total} counts every lead the search matches. */
    public record LeadPage(List<LeadView> items, int page, int size, long total) {
    }

    /** What a lead import did: leads created, existing leads that joined the list, and the rows not taken. */
    public record ImportAnswer(long imported, long addedToList, List<Rejection> rejected) {
    }

    /** What a do-not-call upload did: numbers newly on the list, and the rows not taken. */
    public record DoNotCallAnswer(long added, List<Rejection> rejected) {
    }

    public record DoNotCallEntry(String number, Instant addedAt) {
    }
}
