package org.callcentre.ticket;

import java.util.List;

/**
 * A group that works tickets, with its members.
 *
 * @param publicGroup    offered on the public web form
 * @param takesVoicemail a caller the IVR routes to it may leave a voicemail
 * @param inboxAddress   the address its mail comes in at, or null
 * @param teamId         the inbound team whose callers its Call Center home counts, or null
 */
public record TicketGroup(String key, String name, boolean publicGroup, boolean takesVoicemail, String inboxAddress,
        List<String> members, Long teamId) {
}
