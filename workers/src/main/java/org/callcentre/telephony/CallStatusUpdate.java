package org.callcentre.telephony;

import java.util.Set;

/**
 * One status callback of a call, as recorded.
 *
 * @param callSid        the call
 * @param status         Twilio's {@code CallStatus}: queued, ringing, in-progress, completed, busy, failed,
 *                       no-answer, canceled
 * @param sequenceNumber Twilio's {@code SequenceNumber} of this callback, or null when it came without a readable one
 * @param repeated       this very callback (same call and sequence number) was recorded before: Twilio sent it again
 * @param current        it is the call's current status now (it moved the call forward, or the call was unknown)
 * @param durationSeconds Twilio's {@code CallDuration} (sent with the end of a call), or null
 */
public record CallStatusUpdate(String callSid, String status, Integer sequenceNumber, boolean repeated,
        boolean current, Integer durationSeconds) {

    public CallStatusUpdate(String callSid, String status, Integer sequenceNumber, boolean repeated, boolean current) {
        this(callSid, status, sequenceNumber, repeated, current, null);
    }

    /** The same callback, with the duration Twilio reported in it. */
    public CallStatusUpdate withDuration(Integer seconds) {
        return new CallStatusUpdate(callSid, status, sequenceNumber, repeated, current, seconds);
    }

    /** The statuses of a call that is over; none of them ever changes again. */
    public static final Set<String> ENDED = Set.of("completed", "busy", "failed", "no-answer", "canceled");

    /**
     * The call is over. True even for a late or repeated callback: an ended call never comes back, so acting on the
     * end whenever it is heard is safe, and a listener need not care about order.
     */
    public boolean ended() {
        return isEnded(status);
    }

    /** A status ends the call; none yet (no status callback recorded) does not. */
    public static boolean isEnded(String status) {
        return status != null && ENDED.contains(status);
    }

    /** Twilio's {@code CallDuration} in seconds, or null when it is missing or not a count. */
    public static Integer durationOf(String callDuration) {
        return sequenceOf(callDuration);
    }

    /** Twilio's {@code SequenceNumber} (a count from 0), or null when it is missing or not a count. */
    public static Integer sequenceOf(String sequenceNumber) {
        if (sequenceNumber == null || !sequenceNumber.matches("[0-9]{1,9}")) {
            return null;
        }
        return Integer.valueOf(sequenceNumber);
    }
}
