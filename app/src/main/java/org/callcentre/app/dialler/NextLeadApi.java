package org.callcentre.app.dialler;

import java.time.Instant;

import org.callcentre.dialler.LeadView;

import org.callcentre.app.callback.CallbackApi.CallbackView;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The JSON shapes of Next Lead and of lead locks. */
public final class NextLeadApi {

    private NextLeadApi() {
    }

    /**
     * Next Lead's answer: the lead, locked to the agent; or no lead, a reason code ({@code NO_TEAM},
     * {@code NO_CALL_LISTS}, {@code OUTSIDE_CALLING_HOURS}, {@code NONE_LEFT}) and a sentence for the agent. A lead
     * offered for its due callback comes with the callback.
     */
    public record NextLeadAnswer(LeadView lead, @JsonInclude(JsonInclude.Include.NON_NULL) String reason,
            @JsonInclude(JsonInclude.Include.NON_NULL) String detail,
            @JsonInclude(JsonInclude.Include.NON_NULL) CallbackView callback) {
    }

    /** A lead's lock: who holds it and since when. */
    public record LockAnswer(String userId, Instant since) {
    }
}
