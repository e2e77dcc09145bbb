package org.callcentre.dialler;

import java.util.Optional;

/**
 * What Next Lead found for an agent: a lead, now locked to the agent, or the reason there is nothing to offer.
 *
 * @param leadId the lead offered, or null
 * @param reason why nothing was offered, or null
 */
public record NextLead(Long leadId, Reason reason) {

    /** Why there is nothing to offer: a clear answer for the agent, not an error. */
    public enum Reason {
        NO_TEAM("you are in no team: ask an agent admin to add you to one"),
        NO_CALL_LISTS("your team works no call lists: ask an agent admin to give it one"),
        OUTSIDE_CALLING_HOURS("every lead of your team's call lists is outside its calling hours now"),
        NONE_LEFT("no lead of your team's call lists can be called now");

        private final String message;

        Reason(String message) {
            this.message = message;
        }

        public String message() {
            return message;
        }
    }

    public NextLead {
        if ((leadId == null) == (reason == null)) {
            throw new IllegalArgumentException("either a lead or a reason");
        }
    }

    public static NextLead offered(long leadId) {
        return new NextLead(leadId, null);
    }

    public static NextLead nothing(Reason reason) {
        return new NextLead(null, reason);
    }

    public Optional<Long> lead() {
        return Optional.ofNullable(leadId);
    }
}
