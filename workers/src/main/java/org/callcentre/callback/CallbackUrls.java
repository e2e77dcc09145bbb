package org.callcentre.callback;

import org.callcentre.telephony.PublicUrls;

/** The callbacks' TwiML URLs, as Twilio is given them. */
public class CallbackUrls {

    public static final String BASE = "/twilio/callbacks/";

    private final PublicUrls urls;

    public CallbackUrls(PublicUrls urls) {
        this.urls = urls;
    }

    /** Fetched when the agent answers an agent-first callback call: the announcement, then the agent's conference. */
    public String agentAnswered(long callbackId, String userId) {
        return urls.of(BASE + callbackId + "/agents/" + userId + "/answered");
    }
}
