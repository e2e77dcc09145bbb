package org.callcentre.dialler;

import java.util.List;
import java.util.Optional;

/** Leads, their numbers, call lists and call statuses, in the application's tables. */
public class Leads {

    /** The lead as the API shows it. */
    public Optional<LeadView> view(long leadId) {
        throw new UnsupportedOperationException("not built yet");
    }

    /** The lead's numbers that may be dialled, in their order: neither invalid nor on the do-not-call list. */
    public List<String> dialableNumbers(long leadId) {
        throw new UnsupportedOperationException("not built yet");
    }

    /** Twilio refused the number: it is marked invalid, never dialled again, and the lead's dialable flag is kept. */
    public void markInvalid(long leadId, String number, String reason) {
        throw new UnsupportedOperationException("not built yet");
    }
}
