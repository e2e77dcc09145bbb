package org.callcentre.ticket;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Messages (SMS, and MMS with photos) sent to the call centre's numbers.
 *
 * @param group the group of a new ticket for a sender with no open ticket; blank: the triage group
 *              ({@code tickets.triage-group})
 * @param reply what the sender gets back; blank: nothing
 */
@ConfigurationProperties("tickets.messaging")
public record TicketMessagingProperties(@DefaultValue("") String group,
        @DefaultValue("Thank you: your message has reached us.") String reply) {
}
