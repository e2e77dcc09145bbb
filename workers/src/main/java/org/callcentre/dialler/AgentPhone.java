package org.callcentre.dialler;

/**
 * An agent's phone for a shift: a call to the user's device, joined to the conference {@code agent-<userId>}.
 *
 * @param callSid   null until Twilio created the call
 * @param status    Twilio's status of that call
 * @param connected Twilio reported the leg in progress, and it has not ended since
 */
public record AgentPhone(String userId, String callSid, String device, String conferenceName, String status,
        boolean connected) {

    /** The conference an agent's phone and the agent's calls meet in. */
    public static String conferenceOf(String userId) {
        return "agent-" + userId;
    }
}
