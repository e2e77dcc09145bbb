package org.callcentre.telephony;

import org.springframework.stereotype.Component;

/** The webhook URLs every call shares, whichever capability handles it, as Twilio is given them. */
@Component
public class TelephonyUrls {

    /** Every status callback of every call: recorded, then handed to the capability that owns the call. */
    public static final String CALL_STATUS = "/twilio/calls/status";
    /** Every recording status callback of every recorded call: the recording's metadata, stored against its call. */
    public static final String RECORDING_STATUS = "/twilio/recordings/status";

    private final PublicUrls urls;

    public TelephonyUrls(PublicUrls urls) {
        this.urls = urls;
    }

    public String callStatus() {
        return urls.of(CALL_STATUS);
    }

    public String recordingStatus() {
        return urls.of(RECORDING_STATUS);
    }
}
