package org.callcentre.app.dialler;

import java.time.Instant;
import java.util.List;

import org.callcentre.dialler.AgentPhone;
import org.callcentre.dialler.OutboundCall;

import jakarta.validation.constraints.Pattern;

/** The request and answer bodies of the outbound calls and agents' phones endpoints. */
public final class OutboundCallApi {

    private OutboundCallApi() {
    }

    /**
     * {@code POST /api/leads/{id}/calls}.
     *
     * @param phone                one of the lead's numbers in E.164; absent: the lead's first dialable number
     * @param overrideCallingHours call outside the campaign's calling hours (recorded on the call and the lead)
     */
    public record NewCall(@Pattern(regexp = "\\+[1-9][0-9]{1,14}", message = "must be a number in E.164") String phone,
            Boolean overrideCallingHours) {
    }

    /**
     * The answer to a new call. {@code callSid} is null while Twilio is still being asked (the create runs in the job
     * executor); {@code GET /api/calls/{id}} shows it once known.
     */
    public record CallPlaced(long id, String callSid, String from, String to, String status) {
        static CallPlaced of(OutboundCall call) {
            return new CallPlaced(call.id(), call.callSid(), call.from(), call.to(), call.status());
        }
    }

    public record StatusChange(String status, Integer sequenceNumber, Instant at) {
    }

    /** {@code GET /api/calls/{id}}. {@code errorCode} and {@code errorMessage}: Twilio's, when it refused the call. */
    public record CallView(long id, long leadId, String userId, String callSid, String from, String to, String status,
            List<StatusChange> statusHistory, @com.fasterxml.jackson.annotation.JsonProperty("final") boolean isFinal,
            boolean billable, Integer durationSeconds, Integer errorCode, String errorMessage,
            boolean overrideCallingHours) {
        static CallView of(OutboundCall call) {
            return new CallView(call.id(), call.leadId(), call.userId(), call.callSid(), call.from(), call.to(),
                    call.status(), call.statusHistory().stream().map(change -> new StatusChange(change.status(),
                            change.sequenceNumber(), change.at())).toList(), call.isFinal(), call.billable(),
                    call.durationSeconds(), call.errorCode(), call.errorMessage(), call.overrideCallingHours());
        }
    }

    /** {@code POST /api/agents/me/phone}. */
    public record PhoneDialled(String callSid, String conferenceName) {
    }

    public record Phone(String status, boolean connected, String callSid, String conferenceName) {
        static Phone of(AgentPhone phone) {
            return new Phone(phone.status(), phone.connected(), phone.callSid(), phone.conferenceName());
        }
    }

    /**
     * {@code GET /api/agents/me}; {@code phone} is null when the user never connected one.
     * {@code nextLeadCountdownSeconds}: how long the console counts down after a call's outcome before it asks for
     * the next lead ({@code dialler.next-lead-countdown-seconds}; 0: it does not).
     */
    public record Me(String userId, String role, Phone phone, int nextLeadCountdownSeconds) {
    }
}
