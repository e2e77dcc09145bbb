package org.callcentre.dialler;

import java.time.Instant;
import java.util.List;

/**
 * A lead as the API shows it ({@code GET /api/leads/{id}}, and the lead Next Lead offers).
 *
 * @param lastCallStatus    the most recent call status, or null
 * @param attempts          calls actually placed
 * @param lock              who holds the lead, or null
 * @param callable          whether a call may be placed now, calling hours aside
 * @param notCallableReason why not, or null
 */
public record LeadView(long id, String externalRef, String firstName, String lastName, String email,
        List<Phone> phones, String timeZone, List<Long> callListIds, CallStatus lastCallStatus, int attempts,
        Lock lock, boolean callable, String notCallableReason) {

    /** One of the lead's numbers, in E.164. */
    public record Phone(String number, boolean doNotCall, boolean invalid) {
    }

    public record Lock(String userId, Instant since) {
    }
}
