package org.callcentre.ticket.mail;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The tickets' mail ({@code tickets.mail.*}); outgoing mail goes through Spring Boot's {@code spring.mail.*}.
 *
 * @param poll        how often the mailbox is read (the first read one interval after start-up)
 * @param infoAddress the address mail to the end-users comes from when the ticket's group has no inbox address of its
 *                    own, and the notifications' sender
 * @param imap        the mailbox read for new mail; nothing is read unless {@code host} is set
 */
@ConfigurationProperties("tickets.mail")
public record TicketMailProperties(@DefaultValue("PT1H") Duration poll, String infoAddress, @DefaultValue Imap imap) {

    public TicketMailProperties {
        if (poll.isNegative() || poll.isZero()) {
            throw new IllegalArgumentException("tickets.mail.poll must be positive");
        }
        infoAddress = infoAddress == null || infoAddress.isBlank() ? null : infoAddress.strip();
    }

    /**
     * The mailbox.
     *
     * @param ssl    IMAP over TLS (imaps, usually port 993); off only for a server on this machine (the demo's)
     * @param folder the folder read; its unread messages are the new mail
     */
    public record Imap(String host, @DefaultValue("993") int port, String username, String password,
            @DefaultValue("INBOX") String folder, @DefaultValue("true") boolean ssl) {
    }
}
