package org.callcentre.telephony;

/** The call has ended (or never existed), so it cannot be redirected: Twilio errors 21220 and 20404. */
public class CallNotInProgressException extends RuntimeException {

    public CallNotInProgressException(String callSid) {
        super("call " + callSid + " is not in progress");
    }
}
