package org.callcentre.ticket.mail;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.callcentre.problem.RefusedException;
import org.callcentre.ticket.EndUser;
import org.callcentre.ticket.Ticket;
import org.callcentre.ticket.Tickets;
import org.callcentre.ticket.Tickets.Incoming;
import org.callcentre.ticket.Ticket.Origin;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Files one mail from the mailbox, in the caller's transaction, and records it in {@code ticket_mail_seen} in the
 * same transaction: the key is claimed first, so a second filing of the same mail (another node, or a poll after a
 * crash between the commit and the server's {@code \Seen}) fails on the key and changes nothing.
 *
 * <p>Auto-replies and bounces are recorded and nothing else; so is mail from the app's own addresses. A mail that
 * answers a ticket's mail (its In-Reply-To or References name a Message-ID on the ticket) is added to that ticket;
 * so is one whose subject names a ticket ({@code [Ticket #12]}) and whose sender is that ticket's end-user. Any other
 * mail is a contact for the group whose inbox address it was sent to (To or Cc), else the triage group.
 */
public class MailFiling {

    /** What became of a mail ({@code ticket_mail_seen.outcome}). */
    public enum Outcome {
        /** A new contact: a new ticket, or added to the end-user's open ticket of the group. */
        FILED,
        /** An answer to a ticket's mail, added to it (or filed in its group once it is closed). */
        REPLY,
        /** An auto-reply, or mail from the app's own addresses: ignored. */
        AUTO_REPLY,
        /** A bounce (delivery status notification): ignored. */
        BOUNCE,
        /** No sender address to reach: no ticket; the mail stays in the mailbox for a person. */
        UNUSABLE
    }

    /** The outcome and the ticket it concerns, if any. */
    public record Filed(Outcome outcome, Long ticketNumber) {
    }

    private record Inbox(String groupKey, String address) {
    }

    private final Tickets tickets;
    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final TicketMailProperties properties;

    public MailFiling(Tickets tickets, JdbcTemplate jdbc, Clock clock, TicketMailProperties properties) {
        this.tickets = tickets;
        this.jdbc = jdbc;
        this.clock = clock;
        this.properties = properties;
    }

    /** Whether a mail with this key has been filed (whatever its outcome). */
    public boolean seen(String key) {
        return jdbc.queryForObject("select count(*) from ticket_mail_seen where mail_key = ?", Integer.class, key) > 0;
    }

    /** Files the mail under {@code key}; a key already filed fails with a {@code DuplicateKeyException}. */
    public Filed file(String key, IncomingMail mail) {
        jdbc.update("insert into ticket_mail_seen (mail_key, outcome, seen_at) values (?, ?, ?)", key,
                Outcome.FILED.name(), Timestamp.from(clock.instant()));
        Filed filed = fileOnce(mail);
        jdbc.update("update ticket_mail_seen set outcome = ?, ticket_id = ? where mail_key = ?", filed.outcome().name(),
                filed.ticketNumber(), key);
        return filed;
    }

    private Filed fileOnce(IncomingMail mail) {
        Optional<Long> answered = mail.referencedIds().isEmpty() ? Optional.empty()
                : tickets.ticketOfMail(mail.referencedIds());
        if (mail.automatic() != null) {
            return new Filed(mail.automatic() == IncomingMail.Automatic.BOUNCE ? Outcome.BOUNCE : Outcome.AUTO_REPLY,
                    answered.orElse(null));
        }
        List<Inbox> inboxes = inboxes();
        if (mail.fromAddress() != null && own(mail.fromAddress(), inboxes)) {
            return new Filed(Outcome.AUTO_REPLY, answered.orElse(null));
        }
        EndUser endUser;
        try {
            String name = mail.fromName() == null ? null
                    : mail.fromName().substring(0, Math.min(200, mail.fromName().length()));
            endUser = EndUser.of(name, mail.fromAddress(), null, tickets.properties().phoneRegion());
        } catch (RefusedException noAddress) {
            return new Filed(Outcome.UNUSABLE, null);
        }
        if (endUser.email() == null) {
            return new Filed(Outcome.UNUSABLE, null);
        }
        Optional<Ticket> threaded = answered.flatMap(tickets::ticket).or(() -> byMarker(mail, endUser));
        if (threaded.isPresent()) {
            Ticket ticket = threaded.get();
            Tickets.Received received = tickets.receiveOn(ticket.number(), incoming(mail, endUser, ticket.groupKey(),
                    toAddress(mail, null)));
            return new Filed(Outcome.REPLY, received.number());
        }
        Inbox inbox = inboxOf(mail, inboxes);
        String groupKey = inbox == null ? tickets.properties().triageGroup() : inbox.groupKey();
        Tickets.Received received = tickets.receive(incoming(mail, endUser, groupKey,
                toAddress(mail, inbox == null ? null : inbox.address())));
        return new Filed(Outcome.FILED, received.number());
    }

    /** The ticket the subject's marker names, when the sender is its end-user (a marker alone is easily written). */
    private Optional<Ticket> byMarker(IncomingMail mail, EndUser endUser) {
        Long number = MailHtml.ticketNumber(mail.subject());
        if (number == null) {
            return Optional.empty();
        }
        return tickets.ticket(number).filter(ticket -> endUser.email().equals(ticket.endUser().email()));
    }

    /** The group whose inbox address the mail was sent to, the first in To then Cc; else null. */
    private Inbox inboxOf(IncomingMail mail, List<Inbox> inboxes) {
        for (String recipient : mail.recipients()) {
            for (Inbox inbox : inboxes) {
                if (inbox.address().equals(recipient)) {
                    return inbox;
                }
            }
        }
        return null;
    }

    /** The groups' inbox addresses, lower-case (read here, beside the mail, as every mail needs them). */
    private List<Inbox> inboxes() {
        return jdbc.query("select group_key, inbox_address from ticket_group where inbox_address is not null",
                (rs, n) -> new Inbox(rs.getString("group_key"),
                        rs.getString("inbox_address").toLowerCase(Locale.ROOT)));
    }

    private boolean own(String address, List<Inbox> inboxes) {
        return address.equalsIgnoreCase(properties.infoAddress())
                || inboxes.stream().anyMatch(inbox -> inbox.address().equals(address));
    }

    private static String toAddress(IncomingMail mail, String inbox) {
        String to = inbox != null ? inbox : mail.recipients().isEmpty() ? null : mail.recipients().get(0);
        return to == null || to.length() <= 254 ? to : to.substring(0, 254);
    }

    private static Incoming incoming(IncomingMail mail, EndUser endUser, String groupKey, String toAddress) {
        String messageId = mail.messageId() == null || mail.messageId().length() > 500 ? null : mail.messageId();
        return new Incoming(groupKey, endUser, Origin.EMAIL, mail.subject(), mail.text(), mail.html(),
                endUser.email(), toAddress, messageId, null, null, mail.attachments());
    }
}
