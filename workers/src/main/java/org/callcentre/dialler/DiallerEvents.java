package org.callcentre.dialler;

import org.callcentre.dialler.CallOutcomes.Decision;

/**
 * What the dialler tells the capabilities built on it (callbacks), in the transaction where it happens, so that what
 * they keep never disagrees with the call or the outcome that caused it. A listener that throws undoes the event.
 */
public interface DiallerEvents {

    /** A call to the lead was placed by {@code userId} (its row exists; Twilio has not been asked yet). */
    default void callPlaced(long callId, long leadId, String userId) {
    }

    /**
     * An outcome was recorded for the lead and its decision applied.
     *
     * @param callId       the call it is the outcome of, or null (an outcome recorded without a call)
     * @param calledNumber the number that call went to, or null
     */
    default void outcomeRecorded(long leadId, Long callId, String calledNumber, CallStatus status, Decision decision,
            String userId) {
    }
}
