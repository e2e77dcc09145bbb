package org.callcentre.dialler;

import org.callcentre.telephony.PublicUrls;

/** The dialler's TwiML URLs, as Twilio is given them. */
public class DiallerUrls {

    public static final String BASE = "/twilio/dialler/";

    private final PublicUrls urls;

    public DiallerUrls(PublicUrls urls) {
        this.urls = urls;
    }

    /** Fetched when the lead answers: joins the lead to the agent's conference. */
    public String callAnswered(long callId) {
        return urls.of(BASE + "calls/" + callId + "/answered");
    }

    /** Fetched when the agent answers the phone: joins the agent to the agent's own conference. */
    public String agentPhoneAnswered(String userId) {
        return urls.of(BASE + "agents/" + userId + "/phone");
    }
}
